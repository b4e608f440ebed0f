package dev.trafficctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated bash completion and man pages cover the real command tree. */
class ShellDocsTest {

  @TempDir static Path target;

  private static Path completion;

  @BeforeAll
  static void generate() throws IOException {
    ShellDocs.write(target, "9.8.7");
    completion = target.resolve("completion/trafficctl");
  }

  @Test
  void completionNamesTheCommandsAndOptions() throws IOException {
    String script = Files.readString(completion, StandardCharsets.UTF_8);
    for (String word :
        List.of("traffic", "canary", "blue-green", "split", "migration", "validate", "--env")) {
      assertTrue(script.contains(word), "completion lacks " + word);
    }
    assertTrue(script.contains("complete -F _complete_trafficctl"), "no completion registered");
  }

  @Test
  void bashAcceptsTheScript() throws Exception {
    Result result = bash("bash", "-n", completion.toString());
    assertEquals(0, result.code(), result.output());
  }

  @Test
  void bashCompletesSubcommandsAndOptions() throws Exception {
    assertEquals("canary", complete("trafficctl traffic ca"));
    assertEquals("blue-green", complete("trafficctl traffic bl"));
    assertEquals("--env", complete("trafficctl traffic canary deploy --en"));
  }

  @Test
  void manPagesForEveryCommandNameTheirOptionsAndVersion() throws IOException {
    Path man = target.resolve("man");
    Path deploy = man.resolve("trafficctl-traffic-canary-deploy.adoc");
    assertTrue(Files.isRegularFile(deploy), "no man page " + deploy);
    String page = Files.readString(deploy, StandardCharsets.UTF_8);
    assertTrue(page.contains("= trafficctl-traffic-canary-deploy(1)"), page);
    assertTrue(page.contains("*--version*=_VERSION_"), page);
    assertTrue(page.contains(":mansource: trafficctl 9.8.7"), page);
    // One synopsis line: picocli's 80-column wrap would split HOST:PORT across lines.
    assertTrue(page.contains("[*--address*=_HOST:PORT_]"), page);
    for (String command :
        List.of(
            "trafficctl",
            "trafficctl-validate",
            "trafficctl-traffic-split",
            "trafficctl-traffic-blue-green-switch",
            "trafficctl-traffic-migration-resume")) {
      assertTrue(Files.isRegularFile(man.resolve(command + ".adoc")), "no man page " + command);
    }
  }

  /** What bash's completion function offers for {@code line}, the cursor at its end. */
  private static String complete(String line) throws Exception {
    String script =
        "compopt() { :; }\n"
            + "source \"$1\"\n"
            + "COMP_LINE=\"$2\"; COMP_POINT=${#COMP_LINE}\n"
            + "read -r -a COMP_WORDS <<< \"$COMP_LINE\"\n"
            + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
            + "_complete_trafficctl trafficctl \"${COMP_WORDS[COMP_CWORD]}\""
            + " \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
            + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Result result = bash("bash", "-c", script, "complete", completion.toString(), line);
    assertEquals(0, result.code(), result.output());
    return result.output().strip();
  }

  private static Result bash(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "bash did not finish");
    return new Result(process.exitValue(), output);
  }

  private record Result(int code, String output) {}
}
