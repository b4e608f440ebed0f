package dev.trafficctl.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The flags; parsing only, no server is started. */
class DemoServiceCommandTest {

  private static DemoServer.Options parse(String... args) {
    CommandLine cli = DemoService.newCommandLine();
    cli.parseArgs(args);
    DemoService command = cli.getCommand();
    return command.options();
  }

  @Test
  void defaults() {
    DemoServer.Options options = parse("--port", "18081");

    assertEquals("127.0.0.1", options.host());
    assertEquals(18081, options.port());
    assertEquals("v1", options.version());
    assertEquals(Behaviour.NOMINAL, options.behaviour());
  }

  @Test
  void everyFlag() {
    DemoServer.Options options =
        parse(
            "--port=0",
            "--host=::1",
            "--version=v2.1-rc",
            "--error-rate=2.5",
            "--latency=20ms",
            "--latency-jitter=1s",
            "--seed=99");

    assertEquals("::1", options.host());
    assertEquals(0, options.port());
    assertEquals("v2.1-rc", options.version());
    assertEquals(
        new Behaviour(2.5, Duration.ofMillis(20), Duration.ofSeconds(1), true),
        options.behaviour());
    assertEquals(99L, options.seed());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--port=18081 --version=V2|--version: 'V2' does not match [a-z0-9][a-z0-9.-]*",
        "--port=18081 --version=-v2|--version: '-v2' does not match [a-z0-9][a-z0-9.-]*",
        "--port=18081 --error-rate=101|--error-rate: 101 is not a percentage (0..100)",
        "--port=70000|--port: 70000 is not a port (0..65535)",
      })
  void badValuesExitTwoWithOneLine(String args, String message) {
    Outcome outcome = run(args.split(" "));

    assertEquals(2, outcome.code());
    assertEquals(
        "trafficctl-demo-service: " + message + " (see 'trafficctl-demo-service --help')",
        outcome.err().strip());
  }

  @Test
  void badDurationsAndAMissingPortExitTwo() {
    Outcome latency = run("--port=18081", "--latency=20");
    Outcome noPort = run("--version=v1");

    assertEquals(2, latency.code());
    assertTrue(latency.err().contains("'20' is not a duration"), latency.err());
    assertEquals(1, latency.err().strip().lines().count(), latency.err());
    assertEquals(2, noPort.code());
    assertTrue(noPort.err().contains("--port"), noPort.err());
  }

  @Test
  void helpNamesEveryFlag() {
    StringWriter out = new StringWriter();
    CommandLine cli = DemoService.newCommandLine();
    cli.setOut(new PrintWriter(out));

    assertEquals(0, cli.execute("--help"));
    for (String flag :
        new String[] {
          "--port", "--host", "--version", "--error-rate", "--latency", "--latency-jitter", "--seed"
        }) {
      assertTrue(out.toString().contains(flag), flag);
    }
  }

  private record Outcome(int code, String err) {}

  private static Outcome run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = DemoService.newCommandLine();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    int code = cli.execute(args);
    return new Outcome(code, err.toString());
  }
}
