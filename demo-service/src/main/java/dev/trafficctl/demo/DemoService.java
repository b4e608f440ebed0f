package dev.trafficctl.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code trafficctl-demo-service}: one instance of the demo "api", the thing a canary rolls out.
 * Run v1 and v2 side by side on loopback ports, make v2 fail or slow down with {@code --error-rate}
 * and {@code --latency} (or later, through {@code POST /admin/config}), and watch the rollout
 * react.
 */
@Command(
    name = "trafficctl-demo-service",
    usageHelpAutoWidth = true,
    description = {
      "One instance of the demo service: JSON answers naming its version, injected errors and"
          + " latency, Prometheus metrics on /metrics, run-time changes through /admin/config.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped by SIGTERM or SIGINT",
      "1:could not listen on the address",
      "2:bad flags"
    })
public final class DemoService implements Callable<Integer> {

  static final Pattern VERSION_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*");

  /** How long requests in flight may take to finish after a stop signal. */
  static final Duration STOP_GRACE = Duration.ofSeconds(1);

  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      required = true,
      paramLabel = "PORT",
      description = "Port to listen on (0: any free port).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      paramLabel = "ADDRESS",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--version",
      defaultValue = "v1",
      paramLabel = "NAME",
      description =
          "Version label in answers, the X-Version header and metrics; [a-z0-9][a-z0-9.-]*"
              + " (default: ${DEFAULT-VALUE}).")
  String version;

  @Option(
      names = "--error-rate",
      defaultValue = "0",
      paramLabel = "PERCENT",
      description = "Percent of requests answered with 500, 0..100 (default: ${DEFAULT-VALUE}).")
  double errorRate;

  @Option(
      names = "--latency",
      defaultValue = "0",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Delay before every answer, e.g. 20ms (default: ${DEFAULT-VALUE}).")
  Duration latency;

  @Option(
      names = "--latency-jitter",
      defaultValue = "0",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Extra delay drawn uniformly from 0..DURATION (default: ${DEFAULT-VALUE}).")
  Duration latencyJitter;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of the error and latency draws (default: from the clock).")
  Long seed;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  private final CountDownLatch stopRequested = new CountDownLatch(1);

  public static void main(String[] args) {
    int code = newCommandLine().execute(args);
    System.exit(code);
  }

  /** The command with one-line errors for bad flags. */
  static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new DemoService());
    cli.setParameterExceptionHandler(
        (e, args) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println(
              "trafficctl-demo-service: "
                  + e.getMessage()
                  + " (see 'trafficctl-demo-service --help')");
          err.flush();
          return 2;
        });
    return cli;
  }

  @Override
  public Integer call() throws InterruptedException {
    DemoServer.Options options = options();
    DemoServer server;
    try {
      server = DemoServer.start(options);
    } catch (IOException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "trafficctl-demo-service: cannot listen on " + host + ":" + port + ": " + e.getMessage());
      err.flush();
      return 1;
    }
    Thread hook = new Thread(() -> server.stop(STOP_GRACE), "demo-service-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    StopSignals.install(stopRequested::countDown);
    PrintWriter out = spec.commandLine().getOut();
    out.println("demo-service " + version + " listening on " + server.instance());
    out.flush();
    stopRequested.await();
    server.stop(STOP_GRACE);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook finds the server stopped.
    }
    out.println("demo-service " + version + " stopped");
    out.flush();
    return 0;
  }

  /** The flags checked and turned into server options. */
  DemoServer.Options options() {
    if (port < 0 || port > 65535) {
      throw new ParameterException(
          spec.commandLine(), "--port: " + port + " is not a port (0..65535)");
    }
    if (!VERSION_NAME.matcher(version).matches()) {
      throw new ParameterException(
          spec.commandLine(), "--version: '" + version + "' does not match [a-z0-9][a-z0-9.-]*");
    }
    Behaviour behaviour;
    try {
      behaviour = new Behaviour(errorRate, latency, latencyJitter, true);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "--" + e.getMessage().replaceFirst("_", "-"), e);
    }
    long effectiveSeed = seed != null ? seed : System.nanoTime();
    return new DemoServer.Options(host, port, version, behaviour, effectiveSeed);
  }

  /** Durations as trafficctl writes them: {@code 20ms}, {@code 1s}; {@code 0} for none. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return DemoDurations.parse("duration", value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration (examples: 0, 20ms, 1s, 1m30s)");
      }
    }
  }
}
