package dev.trafficctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command of the tree answers {@code --help} cleanly: exit 0, usage on stdout, no warning.
 */
class CommandTreeTest {

  static Stream<String> commands() {
    List<String> paths = new ArrayList<>();
    collect(Trafficctl.newCommandLine(), "", paths);
    return paths.stream();
  }

  private static void collect(CommandLine cli, String prefix, List<String> paths) {
    paths.add(prefix.trim());
    cli.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!name.equals("help")) {
                collect(sub, prefix + " " + name, paths);
              }
            });
  }

  @ParameterizedTest(name = "trafficctl {0} --help")
  @MethodSource("commands")
  void helpIsCleanEverywhere(String path) {
    List<String> args = new ArrayList<>(path.isEmpty() ? List.of() : List.of(path.split(" ")));
    args.add("--help");
    CommandLine cli = Trafficctl.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    PrintStream original = System.err;
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code;
    try {
      // picocli reports description formatting problems on System.err.
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      code = cli.execute(args.toArray(String[]::new));
    } finally {
      System.setErr(original);
    }
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().startsWith("Usage: trafficctl"), out.toString());
    assertEquals("", err.toString());
    assertFalse(stderr.toString(StandardCharsets.UTF_8).contains("WARN"), stderr.toString());
  }
}
