package dev.trafficctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {

  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    CommandLine cli = Trafficctl.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void validDocumentPrintsOkWithItsType() throws IOException {
    Path file = write("canary.yaml", "canary:\n  api:\n    steps:\n      - traffic_percent: 100\n");
    Run run = run("validate", file.toString());
    assertEquals(ExitCode.OK, run.exitCode());
    assertEquals("ok " + file + " (canary)\n", run.out());
    assertEquals("", run.err());
  }

  @Test
  void invalidDocumentPrintsOneLineAndExits2() throws IOException {
    Path good = write("good.yaml", "canary:\n  api:\n    steps:\n      - traffic_percent: 100\n");
    Path bad = write("bad.yaml", "canary:\n  api:\n    steps:\n      - traffic_percent: 120\n");
    Run run = run("validate", good.toString(), bad.toString());
    assertEquals(ExitCode.BAD_INPUT, run.exitCode());
    assertEquals("ok " + good + " (canary)\n", run.out());
    assertEquals(
        bad
            + ":4:26: canary.api.steps[0].traffic_percent: 120 is not a percentage (0..100)\n"
            + bad
            + ":4:26: canary.api.steps[0].traffic_percent: 120 ends the steps; the last step"
            + " must be 100\n",
        run.err());
  }

  @Test
  void missingFileIsBadInputWithoutStackTrace() {
    Run run = run("validate", dir.resolve("nope.yaml").toString());
    assertEquals(ExitCode.BAD_INPUT, run.exitCode());
    assertEquals(dir.resolve("nope.yaml") + ": cannot read: no such file\n", run.err());
  }

  @Test
  void jsonOutputListsEveryFile() throws IOException {
    Path bad = write("bad.yaml", "canary:\n  api:\n    stepz: []\n");
    Run run = run("validate", "--output", "json", bad.toString());
    assertEquals(ExitCode.BAD_INPUT, run.exitCode());
    assertTrue(run.out().contains("\"valid\" : false"), run.out());
    assertTrue(run.out().contains("\"path\" : \"canary.api.stepz\""), run.out());
    assertEquals("", run.err());
  }

  @Test
  void unknownFlagIsOneLineAndExit2() {
    Run run = run("validate", "--frobnicate", "x.yaml");
    assertEquals(ExitCode.BAD_INPUT, run.exitCode());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().startsWith("trafficctl: Unknown option: '--frobnicate'"), run.err());
  }

  @Test
  void helpAndVersion() {
    Run help = run("--help");
    assertEquals(ExitCode.OK, help.exitCode());
    assertTrue(help.out().contains("validate"), help.out());
    Run version = run("--version");
    assertEquals(ExitCode.OK, version.exitCode());
    assertTrue(version.out().startsWith("trafficctl "), version.out());
    assertFalse(version.out().isBlank());
  }
}
