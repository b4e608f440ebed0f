package dev.trafficctl.worker;

import dev.trafficctl.activities.AllowedBinaries;
import dev.trafficctl.activities.AllowedHosts;
import dev.trafficctl.activities.ConfinedPaths;
import dev.trafficctl.activities.notify.WebUiLinks;
import dev.trafficctl.activities.router.file.FileRouter;
import dev.trafficctl.client.ConnectionOptions;
import dev.trafficctl.client.DurationConverter;
import dev.trafficctl.client.InvalidConnectionSettings;
import dev.trafficctl.client.payload.PayloadEncryption;
import dev.trafficctl.client.payload.PayloadKeyOptions;
import dev.trafficctl.client.payload.PayloadKeyRing;
import dev.trafficctl.config.Validator;
import dev.trafficctl.workflows.TaskQueues;
import dev.trafficctl.workflows.ports.Notifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code trafficctl-worker}: the process that runs rollouts. Connects to Temporal through the SDK's
 * environment configuration (flags on top), registers every workflow and activity on one task
 * queue, serves {@code /healthz} and {@code /metrics}, and on SIGTERM or SIGINT finishes the tasks
 * in flight before it exits 0. Scale out by starting more of them on the same task queue.
 */
@Command(
    name = "trafficctl-worker",
    mixinStandardHelpOptions = true,
    versionProvider = TrafficWorker.Version.class,
    sortOptions = false,
    subcommands = NginxConfigCommand.class,
    description = {
      "Runs trafficctl's rollout workflows and activities on a Temporal task queue.",
      "",
      "Connection settings come from Temporal's environment configuration (TEMPORAL_ADDRESS,"
          + " TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_PROFILE,"
          + " TEMPORAL_CONFIG_FILE, temporal.toml); flags override them.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped by SIGTERM or SIGINT after finishing its tasks",
      "2:bad flag, file or connection setting",
      "3:Temporal unreachable"
    })
public final class TrafficWorker implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(TrafficWorker.class);

  @Mixin ConnectionOptions connection = new ConnectionOptions();

  @Mixin PayloadKeyOptions payloadKeys = new PayloadKeyOptions();

  @Mixin WorkerTuningOptions tuning = new WorkerTuningOptions();

  @Option(
      names = "--require-encrypted-payloads",
      description =
          "Refuse plain (unencrypted) workflow inputs and update arguments, such as a pipeline's"
              + " start through Temporal's API without the key; needs a payload key (default:"
              + " TRAFFICCTL_REQUIRE_ENCRYPTED_PAYLOADS=true, else plain ones are accepted).")
  Boolean requireEncrypted;

  @Option(
      names = "--codec-port",
      paramLabel = "PORT",
      description =
          "Serve Temporal's remote codec protocol (POST /encode, /decode) with the payload keys on"
              + " this port, for the Web UI and temporal --codec-endpoint; 0 picks a free port"
              + " (default: TRAFFICCTL_CODEC_PORT, else off).")
  Integer codecPort;

  @Option(
      names = "--codec-host",
      paramLabel = "HOST",
      description =
          "Interface of the codec server (default: ${DEFAULT-VALUE}; any other needs"
              + " --codec-token-file).")
  String codecHost = "127.0.0.1";

  @Option(
      names = "--codec-token-file",
      paramLabel = "FILE",
      description =
          "File holding a token the codec server requires as Authorization: Bearer TOKEN"
              + " (temporal --codec-auth 'Bearer TOKEN') (default: TRAFFICCTL_CODEC_TOKEN_FILE,"
              + " else none: loopback only).")
  Path codecTokenFile;

  @Option(
      names = "--task-queue",
      paramLabel = "NAME",
      description = "Task queue to poll (default: ${DEFAULT-VALUE}).")
  String taskQueue = TaskQueues.ROLLOUTS;

  @Option(
      names = "--router-host",
      paramLabel = "NAME",
      description =
          "Also run the router activities of catalog routers with host: NAME (their changes,"
              + " reads and nginx access-log samples), from task queue "
              + TaskQueues.ROUTER_HOST_PREFIX
              + "NAME; start it on the host that holds those routers' files; repeatable (default: "
              + ROUTER_HOSTS_ENV
              + ", comma-separated, else none).")
  List<String> routerHosts = new ArrayList<>();

  @Option(
      names = "--health-port",
      paramLabel = "PORT",
      description = "Port of /healthz and /metrics; 0 turns them off (default: ${DEFAULT-VALUE}).")
  int healthPort = 7280;

  @Option(
      names = "--health-host",
      paramLabel = "HOST",
      description =
          "Interface of /healthz and /metrics (default: ${DEFAULT-VALUE}; 0.0.0.0 in a container).")
  String healthHost = "127.0.0.1";

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Directory the catalog's relative paths (router.file.state_dir,"
              + " router.nginx.config_dir, metrics.access_log, ...) resolve in, and which every"
              + " such path must lead into unless --allow-path allows its directory (default: "
              + FileRouter.STATE_BASE_ENV
              + ", else the working directory).")
  Path stateDir;

  @Option(
      names = "--allow-path",
      paramLabel = "DIR",
      description =
          "Another directory a catalog's paths may lead into, absolute, e.g. /etc/nginx/conf.d"
              + " or /var/log/nginx; repeatable (default: "
              + ALLOWED_PATHS_ENV
              + ", colon-separated, else the state directory alone).")
  List<Path> allowPaths = new ArrayList<>();

  @Option(
      names = "--allow-binary",
      paramLabel = "PATH",
      description =
          "An nginx binary a catalog's router.nginx.binary may name, absolute; repeatable"
              + " (default: "
              + ALLOWED_BINARIES_ENV
              + ", colon-separated, else /usr/sbin/nginx alone).")
  List<Path> allowBinaries = new ArrayList<>();

  @Option(
      names = "--allow-host",
      paramLabel = "HOST[:PORT]",
      description =
          "A host a catalog's metrics.address and notifications.webhook.url may reach, with any"
              + " port or the one given; loopback always may; repeatable (default: "
              + ALLOWED_HOSTS_ENV
              + ", comma-separated, else loopback alone).")
  List<String> allowHosts = new ArrayList<>();

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long to wait for Temporal at start (default: 30s).")
  Duration connectTimeout = Duration.ofSeconds(30);

  @Option(
      names = "--shutdown-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How long tasks in flight may run on after a stop signal before they are cancelled"
              + " (default: 20s).")
  Duration shutdownTimeout = Duration.ofSeconds(20);

  @Option(
      names = "--web-ui",
      paramLabel = "URL",
      description =
          "Temporal Web UI that notifications link to (default: TRAFFICCTL_WEB_UI, else"
              + " http://localhost:8233, the dev server's).")
  String webUi;

  static final String REQUIRE_ENCRYPTED_ENV = "TRAFFICCTL_REQUIRE_ENCRYPTED_PAYLOADS";
  static final String CODEC_PORT_ENV = "TRAFFICCTL_CODEC_PORT";
  static final String CODEC_TOKEN_FILE_ENV = "TRAFFICCTL_CODEC_TOKEN_FILE";
  static final String ALLOWED_PATHS_ENV = "TRAFFICCTL_ALLOWED_PATHS";
  static final String ALLOWED_BINARIES_ENV = "TRAFFICCTL_ALLOWED_BINARIES";
  static final String ALLOWED_HOSTS_ENV = "TRAFFICCTL_ALLOWED_HOSTS";

  static final String ROUTER_HOSTS_ENV = "TRAFFICCTL_ROUTER_HOSTS";

  /** Environment the settings are read from; tests replace it. */
  Map<String, String> environment = System.getenv();

  /** How often the SDK's metrics reach /metrics; tests shorten it. */
  Duration metricsInterval = Duration.ofSeconds(10);

  public static void main(String[] args) {
    System.exit(newCommandLine(new TrafficWorker()).execute(args));
  }

  static CommandLine newCommandLine(TrafficWorker worker) {
    CommandLine cli = new CommandLine(worker);
    cli.setParameterExceptionHandler(
        (e, args) -> {
          e.getCommandLine()
              .getErr()
              .println(
                  "trafficctl-worker: " + e.getMessage() + " (see 'trafficctl-worker --help')");
          e.getCommandLine().getErr().flush();
          return StartupFailure.BAD_INPUT;
        });
    cli.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          if (e instanceof StartupFailure failure) {
            cmd.getErr().println("trafficctl-worker: " + failure.getMessage());
            cmd.getErr().flush();
            return failure.exitCode();
          }
          if (e instanceof InvalidConnectionSettings invalid) {
            cmd.getErr().println("trafficctl-worker: " + invalid.getMessage());
            cmd.getErr().flush();
            return StartupFailure.BAD_INPUT;
          }
          throw e;
        });
    return cli;
  }

  @Override
  public Integer call() throws InterruptedException {
    WorkerSettings settings = settings();
    ActivityLimits limits = limits();
    Notifier notifier =
        Notifications.create(
            environment, new WebUiLinks(webUi(), settings.namespace()), limits.hosts());
    WorkerProcess process = WorkerProcess.start(settings, Activities.create(limits, notifier));
    // Once connected: a worker that cannot start says why in one line, and nothing else.
    log.info("trafficctl-worker: {}", limits.describe());
    Thread hook = new Thread(process::close, "trafficctl-worker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    StopSignals.install(process::requestStop);
    process.awaitStopRequest();
    process.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook finds the worker closed.
    }
    return 0;
  }

  String webUi() {
    if (webUi != null) {
      return webUi;
    }
    String fromEnv = environment.get("TRAFFICCTL_WEB_UI");
    return fromEnv == null || fromEnv.isBlank() ? "http://localhost:8233" : fromEnv.strip();
  }

  /** The settings in force: flags, then the environment, then the defaults. */
  WorkerSettings settings() {
    PayloadEncryption encryption = encryption();
    if (healthPort < 0 || healthPort > 65535) {
      throw new StartupFailure(
          StartupFailure.BAD_INPUT, "--health-port " + healthPort + " is not a port (0..65535)");
    }
    if (taskQueue.isBlank()) {
      throw new StartupFailure(StartupFailure.BAD_INPUT, "--task-queue is empty");
    }
    return new WorkerSettings(
        connection.resolve(environment),
        taskQueue,
        healthHost,
        healthPort,
        connectTimeout,
        shutdownTimeout,
        metricsInterval,
        encryption,
        codecServer(encryption),
        tuning.tuning(),
        routerHosts());
  }

  /** {@code --router-host}, else the comma-separated {@value #ROUTER_HOSTS_ENV}; names checked. */
  private List<String> routerHosts() {
    Listed hosts = listed("--router-host", ROUTER_HOSTS_ENV, routerHosts);
    for (String host : hosts.entries()) {
      if (!Validator.NAME.matcher(host).matches()) {
        throw new StartupFailure(
            StartupFailure.BAD_INPUT,
            hosts.setting()
                + ": \""
                + host
                + "\" is not a router host name ("
                + Validator.NAME_RULE
                + ", as the catalog's router.host)");
      }
    }
    return List.copyOf(new LinkedHashSet<>(hosts.entries()));
  }

  /** A list setting as given, and the flag or variable it came from, for messages. */
  private record Listed(List<String> entries, String setting) {}

  /** {@code flags} as {@code flag}, else the comma-separated entries of {@code env}. */
  private Listed listed(String flag, String env, List<String> flags) {
    if (!flags.isEmpty()) {
      return new Listed(List.copyOf(flags), flag);
    }
    List<String> entries = new ArrayList<>();
    for (String entry : environment.getOrDefault(env, "").split(",")) {
      if (!entry.isBlank()) {
        entries.add(entry.strip());
      }
    }
    return new Listed(entries, env);
  }

  /**
   * What a rollout's input may make the activities touch: the state directory and the directories
   * and binaries allowed by flags, else by the environment.
   */
  ActivityLimits limits() {
    Path base = stateDir != null ? stateDir : FileRouter.baseFrom(environment);
    List<Path> dirs = absolute("--allow-path", ALLOWED_PATHS_ENV, allowPaths);
    List<Path> binaries = absolute("--allow-binary", ALLOWED_BINARIES_ENV, allowBinaries);
    return new ActivityLimits(
        ConfinedPaths.within(base).allowing(dirs),
        binaries.isEmpty() ? AllowedBinaries.DEFAULT : AllowedBinaries.of(binaries),
        hosts());
  }

  /** {@code --allow-host}, else the comma-separated {@value #ALLOWED_HOSTS_ENV}. */
  private AllowedHosts hosts() {
    Listed hosts = listed("--allow-host", ALLOWED_HOSTS_ENV, allowHosts);
    try {
      return AllowedHosts.of(hosts.entries());
    } catch (IllegalArgumentException e) {
      throw new StartupFailure(StartupFailure.BAD_INPUT, hosts.setting() + ": " + e.getMessage());
    }
  }

  /**
   * {@code flags}, else the colon-separated list in {@code env}; each absolute, as a relative one
   * would depend on where the worker happens to be started.
   */
  private List<Path> absolute(String flag, String env, List<Path> flags) {
    List<Path> paths = new ArrayList<>(flags);
    String setting = flag;
    if (paths.isEmpty()) {
      setting = env;
      for (String entry : environment.getOrDefault(env, "").split(":")) {
        if (!entry.isBlank()) {
          try {
            paths.add(Path.of(entry.strip()));
          } catch (InvalidPathException e) {
            throw new StartupFailure(
                StartupFailure.BAD_INPUT, env + ": \"" + entry.strip() + "\" is not a path");
          }
        }
      }
    }
    for (Path path : paths) {
      if (!path.isAbsolute()) {
        throw new StartupFailure(
            StartupFailure.BAD_INPUT, setting + " " + path + " is not an absolute path");
      }
    }
    return paths;
  }

  /** The payload keys, and whether plain payloads are refused. */
  private PayloadEncryption encryption() {
    PayloadKeyRing keys = payloadKeys.resolve(environment);
    boolean require =
        requireEncrypted != null
            ? requireEncrypted
            : "true".equalsIgnoreCase(environment.getOrDefault(REQUIRE_ENCRYPTED_ENV, "").strip());
    if (require && keys.isEmpty()) {
      throw new StartupFailure(
          StartupFailure.BAD_INPUT,
          "--require-encrypted-payloads needs a payload key (--payload-key-file, "
              + PayloadKeyOptions.KEY_FILE_ENV
              + " or "
              + PayloadKeyOptions.KEYS_ENV
              + ")");
    }
    return new PayloadEncryption(keys, require);
  }

  /** The codec server's settings, or null when it is off. */
  private CodecServerSettings codecServer(PayloadEncryption encryption) {
    Integer port = codecPort;
    if (port == null) {
      String fromEnv = environment.get(CODEC_PORT_ENV);
      if (fromEnv == null || fromEnv.isBlank()) {
        return null;
      }
      try {
        port = Integer.parseInt(fromEnv.strip());
      } catch (NumberFormatException e) {
        throw new StartupFailure(
            StartupFailure.BAD_INPUT, CODEC_PORT_ENV + " " + fromEnv + " is not a port");
      }
    }
    if (port < 0 || port > 65535) {
      throw new StartupFailure(
          StartupFailure.BAD_INPUT, "--codec-port " + port + " is not a port (0..65535)");
    }
    if (!encryption.encrypts()) {
      throw new StartupFailure(
          StartupFailure.BAD_INPUT,
          "--codec-port serves the payload keys, and none is given (--payload-key-file, "
              + PayloadKeyOptions.KEY_FILE_ENV
              + " or "
              + PayloadKeyOptions.KEYS_ENV
              + ")");
    }
    try {
      return new CodecServerSettings(
          codecHost, port, codecToken(), CodecServerSettings.originsOf(webUi()));
    } catch (IllegalArgumentException e) {
      throw new StartupFailure(StartupFailure.BAD_INPUT, e.getMessage());
    }
  }

  /** The codec server's bearer token, from its file; null when none is set. */
  private String codecToken() {
    Path file = codecTokenFile;
    String setting = "--codec-token-file";
    if (file == null) {
      String fromEnv = environment.get(CODEC_TOKEN_FILE_ENV);
      if (fromEnv == null || fromEnv.isBlank()) {
        return null;
      }
      file = Path.of(fromEnv.strip());
      setting = CODEC_TOKEN_FILE_ENV;
    }
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new StartupFailure(StartupFailure.BAD_INPUT, setting + " " + file + ": cannot read it");
    }
    if (token.isEmpty()) {
      throw new StartupFailure(StartupFailure.BAD_INPUT, setting + " " + file + " is empty");
    }
    return token;
  }

  /** {@code --version}: the version the jar was built as. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = TrafficWorker.class.getPackage().getImplementationVersion();
      return new String[] {
        "trafficctl-worker " + (version == null ? "development build" : version)
      };
    }
  }
}
