package dev.trafficctl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's generated bash completion and man pages cover its real command line. */
class ShellDocsTest {

  @Test
  void writesCompletionThatBashAcceptsAndManPages(@TempDir Path target) throws Exception {
    ShellDocs.write(target, "9.8.7");

    Path completion = target.resolve("completion/trafficctl-worker");
    String script = Files.readString(completion, StandardCharsets.UTF_8);
    for (String word : List.of("nginx-config", "--task-queue", "--health-port", "--address")) {
      assertTrue(script.contains(word), "completion lacks " + word);
    }
    Process bash = new ProcessBuilder("bash", "-n", completion.toString()).start();
    bash.getOutputStream().close();
    String errors = new String(bash.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(bash.waitFor(30, TimeUnit.SECONDS), "bash did not finish");
    assertEquals(0, bash.exitValue(), errors);

    String page =
        Files.readString(target.resolve("man/trafficctl-worker.adoc"), StandardCharsets.UTF_8);
    assertTrue(page.contains("= trafficctl-worker(1)"), page);
    assertTrue(page.contains("*--task-queue*=_NAME_"), page);
    assertTrue(page.contains("*-V*, *--version*"), page);
    assertTrue(page.contains(":mansource: trafficctl-worker 9.8.7"), page);
  }
}
