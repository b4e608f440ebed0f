package dev.trafficctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trafficctl.config.JsonMapping;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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
    assertEquals(dir.resolve("nope.yaml") + ": no such file\n", run.err());
  }

  /** A catalog saved as Latin-1: the byte is named where it stands, not by a decoder's name. */
  @Test
  void aFileThatIsNotUtf8IsNamedAtItsByte() throws IOException {
    Path file = dir.resolve("trafficctl.yaml");
    byte[] start =
        ("services:\n  api:\n    environments:\n      production:\n"
                + "        router: { type: nginx, nginx: {} }\n"
                + "        versions: { v1: { servers: [\"127.0.0.1:18081\"] } }\n"
                + "        notifications: { slack: { channel: \"#d")
            .getBytes(StandardCharsets.UTF_8);
    byte[] end = "ploiements\" } }\n".getBytes(StandardCharsets.UTF_8);
    byte[] latin1 = new byte[start.length + 1 + end.length];
    System.arraycopy(start, 0, latin1, 0, start.length);
    latin1[start.length] = (byte) 0xe9;
    System.arraycopy(end, 0, latin1, start.length + 1, end.length);
    Files.write(file, latin1);

    Run run = run("validate", file.toString());

    assertEquals(ExitCode.BAD_INPUT, run.exitCode());
    assertEquals(
        file
            + ":7:47: services.api.environments.production.notifications.slack.channel: byte 0xe9"
            + " is not UTF-8 (a document is UTF-8 text: save it as UTF-8)\n",
        run.err());
  }

  @Test
  void aFileOverOneMegabyteIsRefusedUnread() throws IOException {
    Path file = write("canary.yaml", "canary: {}\n# " + "x".repeat(2 * 1024 * 1024) + "\n");

    Run run = run("validate", file.toString());

    assertEquals(ExitCode.BAD_INPUT, run.exitCode());
    assertEquals(
        file
            + ": the document is "
            + Files.size(file)
            + " bytes (2.0 MB); a document may have at most 1048576 bytes (1 MB)\n",
        run.err());
  }

  @Test
  void tabsBetweenValuesAreReadAndTabsInIndentationAreNot() throws IOException {
    Path separated =
        write("good.yaml", "canary:\n  api:\n    steps:\t\n      - traffic_percent:\t100\t\n");
    Path indented = write("bad.yaml", "canary:\n\tapi: {}\n");

    Run run = run("validate", separated.toString(), indented.toString());

    assertEquals(ExitCode.BAD_INPUT, run.exitCode());
    assertEquals("ok " + separated + " (canary)\n", run.out());
    assertEquals(
        indented + ":2:1: syntax error: a tab character; YAML is indented with spaces only\n",
        run.err());
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

  /** A catalog with the router fields of before the provider blocks. */
  private static final String FLAT_ROUTER_CATALOG =
      """
      services:
        api:
          environments:
            production:
              router:
                type: nginx
                listen: "127.0.0.1:18080"
                nginx: { admin: "127.0.0.1:18090" }
              versions:
                v1: { servers: ["127.0.0.1:18081"] }
      """;

  @Test
  void deprecatedFieldsAreWarnedAboutAndTheDocumentStaysValid() throws IOException {
    Path file = write("services.yaml", FLAT_ROUTER_CATALOG);
    Run run = run("validate", file.toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.err());
    assertEquals("ok " + file + " (service catalog)\n", run.out());
    assertEquals(
        file
            + ":7:19: warning: services.api.environments.production.router.listen: deprecated,"
            + " write router.nginx.listen\n",
        run.err());
  }

  @Test
  void jsonOutputListsWarningsOfValidDocuments() throws IOException {
    Path flat = write("services.yaml", FLAT_ROUTER_CATALOG);
    Path canary =
        write("canary.yaml", "canary:\n  api:\n    steps:\n      - traffic_percent: 100\n");
    Run run = run("validate", "--output", "json", flat.toString(), canary.toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.err());
    assertEquals("", run.err());
    JsonNode results = JsonMapping.json().readTree(run.out());
    JsonNode warning = results.at("/0/warnings/0");
    assertTrue(results.at("/0/valid").asBoolean(), run.out());
    assertEquals(
        "services.api.environments.production.router.listen", warning.path("path").asText());
    assertEquals("deprecated, write router.nginx.listen", warning.path("message").asText());
    assertEquals(7, warning.path("line").asInt());
    assertEquals("warning", warning.path("severity").asText());
    assertEquals(1, results.at("/0/warnings").size(), run.out());
    assertEquals(0, results.at("/1/warnings").size(), run.out());
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
