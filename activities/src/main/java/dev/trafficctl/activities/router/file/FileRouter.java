package dev.trafficctl.activities.router.file;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trafficctl.activities.ConfinedPaths;
import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.activities.ResourceName;
import dev.trafficctl.activities.router.RouteLayers;
import dev.trafficctl.activities.router.RouterProvider;
import dev.trafficctl.activities.router.WriterQueue;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.config.catalog.FileRouterSettings;
import dev.trafficctl.config.catalog.VersionPool;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RouterCapability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The {@code file} router: writes the desired weights for a GitOps pipeline to apply, and reads
 * back what it wrote. Nothing else moves traffic; whatever watches the directory does.
 *
 * <p>Layout, with {@code router.file.state_dir} from the catalog (relative paths resolve against
 * the base directory given to the constructor):
 *
 * <pre>
 * &lt;state_dir&gt;/&lt;env&gt;/&lt;service&gt;.json   the weights and routing rules in force: {@link FileRouterState}
 * &lt;state_dir&gt;/&lt;env&gt;/&lt;service&gt;.log    one JSON line per write: {@link FileRouterAuditEntry}
 * </pre>
 *
 * <p>The state file is replaced atomically (a temporary file in the same directory, flushed to
 * disk, then renamed over it), so a reader never sees half a file. Writers of one service are
 * serialized in arrival order ({@link WriterQueue}, on the audit log), so generations increase and
 * log lines come in the order of the writes. The state file is written before its log line; should
 * the process die in between, the state file is the truth and the retried activity writes (and
 * logs) the same weights again under a new generation.
 */
public final class FileRouter implements RouterProvider {

  /** Environment variable the worker may set to the directory relative state dirs resolve in. */
  public static final String STATE_BASE_ENV = "TRAFFICCTL_STATE_BASE";

  private final ConfinedPaths paths;
  private final Clock clock;
  private final ObjectMapper json = JsonMapping.json();

  /**
   * @param base the directory relative {@code state_dir}s resolve against, and the only one they
   *     may lead into
   */
  public FileRouter(Path base) {
    this(ConfinedPaths.within(base), Clock.systemUTC());
  }

  public FileRouter(Path base, Clock clock) {
    this(ConfinedPaths.within(base), clock);
  }

  /**
   * @param paths where {@code state_dir}s resolve and may lead: the worker's state directory and
   *     the directories its settings allow
   */
  public FileRouter(ConfinedPaths paths) {
    this(paths, Clock.systemUTC());
  }

  public FileRouter(ConfinedPaths paths, Clock clock) {
    this.paths = paths;
    this.clock = clock;
  }

  /** The base directory a worker uses: {@value #STATE_BASE_ENV} if set, else its working dir. */
  public static Path baseFrom(Map<String, String> environment) {
    String configured = environment.get(STATE_BASE_ENV);
    return Path.of(
        configured == null || configured.isBlank() ? System.getProperty("user.dir") : configured);
  }

  @Override
  public Set<RouterCapability> capabilities() {
    // The file says what to route; whatever applies it must route that way.
    return EnumSet.allOf(RouterCapability.class);
  }

  @Override
  public RouteState change(RouteChange change) {
    RouteTarget target = change.target();
    Location at = locate(target);
    // A change that cannot be composed is refused before anything is written; under the lock it is
    // composed again, on what is in force then.
    RouteLayers.compose(
        read(at.state()).map(FileRouterState::routes).orElse(RouteState.none()), change);
    try {
      WriterQueue.run(
          at.log(),
          target.service() + " (" + target.env() + ")",
          log -> {
            Optional<FileRouterState> current = read(at.state());
            RouteState next =
                RouteLayers.compose(
                    current.map(FileRouterState::routes).orElse(RouteState.none()), change);
            long generation = current.map(FileRouterState::generation).orElse(0L) + 1;
            Map<String, Integer> weights = inCatalogOrder(target.entry(), next.weights());
            FileRouterState state =
                new FileRouterState(
                    target.service(),
                    target.env(),
                    generation,
                    weights,
                    change.reason(),
                    clock.instant(),
                    serversOf(target.entry(), weights),
                    FileRouterRules.of(next.rules()),
                    next.serverWeights(),
                    next.layers());
            byte[] content = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(state);
            replaceAtomically(at.state(), append(content, "\n"));
            FileRouterAuditEntry line =
                new FileRouterAuditEntry(
                    state.updatedAt(),
                    generation,
                    weights,
                    change.reason(),
                    state.rules(),
                    change.owner(),
                    change.change(),
                    change.layers());
            writeFully(log, append(json.writeValueAsBytes(line), "\n"));
            log.force(true);
            return null;
          });
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + at.state() + ": " + e, e);
    }
    return read(target);
  }

  @Override
  public RouteState read(RouteTarget target) {
    return read(locate(target).state()).map(FileRouterState::routes).orElse(RouteState.none());
  }

  /** Where a target's files live; checks the names first, as they become path segments. */
  private Location locate(RouteTarget target) {
    String service = ResourceName.require("service", target.service());
    String env = ResourceName.require("env", target.env());
    FileRouterSettings file = target.entry().router().file();
    String stateDir = file == null ? null : file.stateDir();
    if (stateDir == null || stateDir.isBlank()) {
      throw InvalidConfiguration.failure(
          service + " (" + env + "): router.file.state_dir is required for the file router");
    }
    Path root = paths.resolve(service + " (" + env + ")", "router.file.state_dir", stateDir);
    Path dir = root.resolve(env);
    return new Location(dir, dir.resolve(service + ".json"), dir.resolve(service + ".log"));
  }

  private Optional<FileRouterState> read(Path state) {
    byte[] content;
    try {
      content = Files.readAllBytes(state);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + state + ": " + e, e);
    }
    try {
      return Optional.of(json.readValue(content, FileRouterState.class));
    } catch (JsonProcessingException e) {
      // Only a person editing the file gets it here (writes are atomic); retrying cannot help.
      // Where, but not what: the parser's words quote the file, and this message goes to the
      // workflow's history (and the cause with it), so neither carries them.
      String at =
          e.getLocation() == null
              ? ""
              : ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
      throw InvalidConfiguration.failure(
          state + at + " is not a trafficctl state file (not quoted here; read the file itself)");
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + state + ": " + e, e);
    }
  }

  /** The change's weights in the order the catalog lists the versions, for stable diffs. */
  private static Map<String, Integer> inCatalogOrder(
      EnvironmentEntry entry, Map<String, Integer> weights) {
    Map<String, Integer> ordered = new LinkedHashMap<>();
    for (String version : entry.versions().keySet()) {
      if (weights.containsKey(version)) {
        ordered.put(version, weights.get(version));
      }
    }
    ordered.putAll(weights);
    return ordered;
  }

  private static Map<String, List<String>> serversOf(
      EnvironmentEntry entry, Map<String, Integer> weights) {
    Map<String, List<String>> servers = new LinkedHashMap<>();
    for (String version : weights.keySet()) {
      VersionPool pool = entry.versions().get(version);
      servers.put(version, pool == null || pool.servers() == null ? List.of() : pool.servers());
    }
    return servers;
  }

  /** Temporary file in the same directory, flushed, renamed over the target, directory synced. */
  private static void replaceAtomically(Path target, byte[] content) throws IOException {
    Path dir = target.getParent();
    Path temporary = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel out =
          FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        writeFully(out, content);
        out.force(true);
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
    syncDirectory(dir);
  }

  /** Makes the rename itself durable. Not every platform can open a directory; then skip it. */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException notSupported) {
      // The file's content is on disk already; only the rename's durability is best effort here.
    }
  }

  private static void writeFully(FileChannel channel, byte[] content) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(content);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static byte[] append(byte[] content, String suffix) {
    byte[] tail = suffix.getBytes(UTF_8);
    byte[] all = new byte[content.length + tail.length];
    System.arraycopy(content, 0, all, 0, content.length);
    System.arraycopy(tail, 0, all, content.length, tail.length);
    return all;
  }

  private record Location(Path dir, Path state, Path log) {}
}
