package dev.trafficctl.activities.router.nginx;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trafficctl.activities.AllowedBinaries;
import dev.trafficctl.activities.ConfinedPaths;
import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.activities.router.RouteLayers;
import dev.trafficctl.activities.router.RouterAttempt;
import dev.trafficctl.activities.router.RouterProvider;
import dev.trafficctl.activities.router.WriterQueue;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.config.catalog.NginxMode;
import dev.trafficctl.config.catalog.ServerAddress;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RouterCapability;
import dev.trafficctl.workflows.ports.RoutingRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import okhttp3.OkHttpClient;

/**
 * The {@code nginx} router: one upstream per version, the version chosen per request in proportion
 * to the weights (see {@link NginxInclude} and the package documentation).
 *
 * <p>A change renders the service's include and compares it with the one on disk. When they differ
 * (first use, servers or settings changed, or in reload mode the weights), the router writes it
 * atomically, runs {@code nginx -t}, {@code nginx -s reload}, and then waits until the admin
 * endpoint reports the new generation: a reload nginx accepts but cannot apply (a port held by
 * another process) leaves the old configuration serving and shows only in the error log. On any
 * failure it puts the last known good include back, reloads again if it had reloaded, and fails
 * non-retryably with nginx's own message. In dynamic mode the weights then go to the admin
 * endpoint, which puts them in force with no reload and persists them for nginx's next start. Its
 * writes need the service's {@link AdminSecret}, kept in {@code config_dir} and checked by nginx
 * against the verifier rendered into the include.
 *
 * <p>Changes to one {@code config_dir} are serialized in arrival order ({@link WriterQueue}),
 * because {@code nginx -t} checks every service's include at once.
 */
public final class NginxRouter implements RouterProvider {

  /** How long a reload has to show the new generation on the admin endpoint. */
  public static final Duration DEFAULT_APPLY_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration POLL = Duration.ofMillis(25);

  /** How long the new generation must answer alone; see {@link #awaitGeneration}. */
  private static final Duration SETTLE = Duration.ofMillis(300);

  /** The layers file's mapping: the one JSON mapping of trafficctl. */
  private static final ObjectMapper LAYERS = JsonMapping.json();

  private final ConfinedPaths paths;
  private final AllowedBinaries binaries;
  private final NginxAdminClient admin;
  private final Duration applyTimeout;
  private final DocumentLoader loader = new DocumentLoader();

  /**
   * @param base the directory relative {@code config_dir}, {@code load_balancer} and nginx paths
   *     resolve against (the worker's state base, as for the file router), and the only one they
   *     may lead into; the binary must be {@link AllowedBinaries#DEFAULT}'s
   */
  public NginxRouter(Path base) {
    this(base, NginxAdminClient.DEFAULT_CLIENT, DEFAULT_APPLY_TIMEOUT);
  }

  public NginxRouter(Path base, OkHttpClient http, Duration applyTimeout) {
    this(ConfinedPaths.within(base), AllowedBinaries.DEFAULT, http, applyTimeout);
  }

  /**
   * @param paths where the entry's paths resolve and may lead
   * @param binaries the nginx binaries an entry may name
   */
  public NginxRouter(ConfinedPaths paths, AllowedBinaries binaries) {
    this(paths, binaries, NginxAdminClient.DEFAULT_CLIENT, DEFAULT_APPLY_TIMEOUT);
  }

  public NginxRouter(
      ConfinedPaths paths, AllowedBinaries binaries, OkHttpClient http, Duration applyTimeout) {
    this.paths = paths;
    this.binaries = binaries;
    this.admin = new NginxAdminClient(http);
    this.applyTimeout = applyTimeout;
  }

  @Override
  public Set<RouterCapability> capabilities() {
    return EnumSet.allOf(RouterCapability.class);
  }

  @Override
  public RouteState change(RouteChange change) {
    NginxSite site = NginxSite.resolve(change.target(), paths, binaries, loader);
    try {
      WriterQueue.run(
          site.lock(),
          site.label(),
          lock -> {
            String previousLayers = AtomicFile.read(site.layers());
            RouteState next = RouteLayers.compose(held(site, previousLayers), change);
            NginxRoutes routes =
                new NginxRoutes(
                    site.inCatalogOrder(next.weights()),
                    RuleLines.checked(site, next.rules()),
                    servers(site, next.serverWeights()));
            // Written ahead, as the dynamic state file is: should the worker die before the next
            // write, what nginx may already serve is what the router holds.
            AtomicFile.replace(site.layers(), LAYERS.writeValueAsString(next));
            try {
              if (site.mode() == NginxMode.DYNAMIC) {
                // Loaded, or created and written before the include that holds its verifier, so
                // that an include nginx may serve always has its secret on disk; a new one
                // changes the include, and the reload below is confirmed before the secret is
                // sent.
                AdminSecret secret = AdminSecret.loadOrCreate(site.adminSecret());
                renderAndApply(site, routes, secret.verifier(), change.reason());
                post(site, secret, routes.weights(), change.reason());
              } else {
                renderAndApply(site, routes, null, change.reason());
              }
            } catch (RuntimeException e) {
              AtomicFile.restore(site.layers(), previousLayers);
              throw e;
            }
            return null;
          });
    } catch (IOException e) {
      throw new UncheckedIOException(
          site.label() + ": cannot write " + site.configDir() + ": " + e, e);
    }
    return read(site);
  }

  @Override
  public RouteState read(RouteTarget target) {
    return read(NginxSite.resolve(target, paths, binaries, loader));
  }

  /**
   * What nginx serves (weights and rules live, server weights from the include), and who set it.
   */
  private RouteState read(NginxSite site) {
    if (!Files.exists(site.include())) {
      return RouteState.none();
    }
    try {
      Map<String, Integer> weights = admin.weights(site.admin());
      RoutingRules rules = admin.rules(site.admin());
      // Server weights are rendered into the include: the one on disk is the one nginx serves
      // (a failed change puts the last known good one back).
      String include = AtomicFile.read(site.include());
      String layers = AtomicFile.read(site.layers());
      return new RouteState(
          weights,
          rules,
          include == null ? Map.of() : Upstreams.serverWeightsOf(include),
          layers == null ? Map.of() : LAYERS.readValue(layers, RouteState.class).layers(),
          Set.of());
    } catch (IOException e) {
      throw unreachable(site, e);
    }
  }

  /**
   * The layers the router holds: as it last wrote them; for an include written before layers, what
   * nginx serves, the server weights being the load-balancer document's.
   */
  private RouteState held(NginxSite site, String layers) throws IOException {
    if (layers != null) {
      return LAYERS.readValue(layers, RouteState.class);
    }
    RouteState serving = read(site);
    return new RouteState(serving.weights(), serving.rules(), Map.of());
  }

  /**
   * Brings the include up to date and live; does nothing when it already is. The include is
   * rendered once, with the generation it gets if it is applied: it differs from the one on disk in
   * its stamp alone when the configuration is the same.
   */
  private void renderAndApply(
      NginxSite site, NginxRoutes routes, AdminSecret.Verifier adminSecret, String reason)
      throws IOException {
    String current = AtomicFile.read(site.include());
    long generation = current == null ? 0 : GenerationStamp.generationOf(current).orElse(0);
    // A generation nginx rejected may still have been applied late (a bind() that succeeded on
    // nginx's retry): a new rendering never reuses its number.
    String rejected = AtomicFile.read(site.rejected());
    long tried = rejected == null ? 0 : GenerationStamp.generationOf(rejected).orElse(0);
    long next = Math.max(generation, tried) + 1;
    String text = NginxInclude.render(site, routes, adminSecret, next, reason);
    if (current != null
        && GenerationStamp.configurationOf(text).equals(GenerationStamp.configurationOf(current))) {
      // The file is right; is it what nginx serves? A crash between writing and reloading
      // would leave it unapplied, and then this retry must reload.
      try {
        if (admin.generation(site.admin()) == generation) {
          return;
        }
      } catch (NginxAdminClient.Refused e) {
        // Something else answers on the admin port: apply, and let verification say so.
      } catch (IOException e) {
        throw unreachable(site, e);
      }
    }
    apply(site, routes.weights(), text, next);
  }

  /**
   * Writes the include and has nginx test and load it: with the changes of other services that
   * arrive meanwhile when that works ({@link ReloadBatch}), else alone, one service of the config
   * dir at a time, so that a failure is this change's: {@code nginx -t} and a reload take in every
   * include.
   */
  private void apply(NginxSite site, Map<String, Integer> weights, String text, long generation)
      throws IOException {
    ReloadBatch.Render render =
        new ReloadBatch.Render() {
          private String previousState;
          private String previousInclude;

          @Override
          public void write() throws IOException {
            previousInclude = AtomicFile.read(site.include());
            previousState = writeFiles(site, weights, text);
          }

          @Override
          public void undo() throws IOException {
            AtomicFile.restore(site.include(), previousInclude);
            if (site.mode() == NginxMode.DYNAMIC) {
              AtomicFile.restore(site.state(), previousState);
            }
          }

          @Override
          public Optional<String> awaitLive(ErrorLogTail tail) {
            return awaitGeneration(site.admin(), generation, tail);
          }
        };
    if (ReloadBatch.of(site).reload(render) == ReloadBatch.Outcome.LIVE) {
      confirmed(site, text);
      return;
    }
    WriterQueue.run(
        site.reloadLock(),
        "nginx's " + site.configDir(),
        lock -> {
          reload(site, weights, text, generation);
          return null;
        });
  }

  /**
   * Writes the state file (dynamic mode) and the include; returns the state file as it was. The
   * workers of a new rendering (a reload, or nginx's start) load the state file, the dict holding
   * no weights under their generation's key yet: they find the new weights, not the old ones or
   * none, in the moment between the reload and the admin call.
   */
  private String writeFiles(NginxSite site, Map<String, Integer> weights, String text)
      throws IOException {
    String previousState = null;
    if (site.mode() == NginxMode.DYNAMIC) {
      previousState = AtomicFile.read(site.state());
      AtomicFile.replace(site.state(), stateFile(site, weights));
    }
    AtomicFile.replace(site.include(), text);
    return previousState;
  }

  /** nginx serves {@code text}: it is the last known good include now. */
  private void confirmed(NginxSite site, String text) throws IOException {
    AtomicFile.replace(site.lastGood(), text);
    if (site.loadBalancer() != null && AtomicFile.read(site.loadBalancerCopy()) == null) {
      // Routed with the document for the first time: from now on its settings are the router's.
      AtomicFile.replace(site.loadBalancerCopy(), LAYERS.writeValueAsString(site.loadBalancer()));
    }
  }

  private void reload(NginxSite site, Map<String, Integer> weights, String text, long generation)
      throws IOException {
    String previousState = writeFiles(site, weights, text);

    NginxCommand.Outcome test = site.command().test();
    if (!test.ok()) {
      String restored = restore(site, previousState, false);
      throw InvalidConfiguration.failure(
          site.label()
              + ": nginx -t rejected generation "
              + generation
              + ": "
              + test.problem()
              + "; "
              + restored);
    }
    ErrorLogTail tail = ErrorLogTail.mark(site.errorLog());
    NginxCommand.Outcome reload = site.command().reload();
    if (reload.noMaster()) {
      // Not a refusal: the change is worth trying again once nginx is back, and a rollback must
      // keep trying until then. nginx loads the last known good configuration when it starts.
      String restored = restore(site, previousState, false);
      throw new IllegalStateException(
          site.label() + ": nginx is not running: " + reload.problem() + "; " + restored);
    }
    if (!reload.ok()) {
      String restored = restore(site, previousState, false);
      throw InvalidConfiguration.failure(
          site.label() + ": nginx -s reload failed: " + reload.problem() + "; " + restored);
    }
    Optional<String> failure = awaitGeneration(site.admin(), generation, tail);
    if (failure.isPresent()) {
      String restored = restore(site, previousState, true);
      throw InvalidConfiguration.failure(
          site.label()
              + ": nginx did not apply generation "
              + generation
              + ": "
              + failure.get()
              + "; "
              + restored);
    }
    confirmed(site, text);
  }

  /**
   * Puts the last known good include (and the previous state file) back; with {@code reload},
   * reloads nginx and waits for the restored generation. Returns what happened, for the message.
   */
  private String restore(NginxSite site, String previousState, boolean reload) throws IOException {
    // Kept for whoever investigates: the include nginx refused, next to the one it serves.
    String refused = AtomicFile.read(site.include());
    if (refused != null) {
      AtomicFile.replace(site.rejected(), refused);
    }
    String lastGood = AtomicFile.read(site.lastGood());
    AtomicFile.restore(site.include(), lastGood);
    if (site.mode() == NginxMode.DYNAMIC) {
      AtomicFile.restore(site.state(), previousState);
    }
    long generation = lastGood == null ? 0 : GenerationStamp.generationOf(lastGood).orElse(0);
    String what =
        lastGood == null
            ? "removed the include (there is no last known good one)"
            : "restored the last known good configuration (generation " + generation + ")";
    if (!reload) {
      return what;
    }
    NginxCommand.Outcome again = site.command().reload();
    if (!again.ok()) {
      return what + ", but nginx -s reload failed: " + again.problem();
    }
    if (lastGood == null) {
      return what + " and reloaded nginx";
    }
    // The failed reload's own errors may still be arriving (nginx retries a bind() for a few
    // seconds), so only the generation tells whether the restored configuration is live.
    ServerAddress restoredAdmin = AdminServer.addressOf(lastGood).orElse(site.admin());
    Optional<String> failure = awaitGeneration(restoredAdmin, generation, null);
    return failure.isEmpty()
        ? what + ", which nginx serves again"
        : what + ", but nginx did not confirm it: " + failure.get();
  }

  /**
   * Polls the admin endpoint until it reports {@code generation} on every poll for {@link #SETTLE}.
   * Returns why not, if that does not happen within the apply timeout or the error log reports that
   * nginx gave up on the configuration.
   *
   * <p>Why a settle time: on a reload nginx starts the new workers, sleeps 100 ms, and only then
   * tells the old ones to stop accepting; meanwhile both accept new connections. Answers from the
   * new generation alone for longer than that mean the old workers no longer take new requests, so
   * what the caller reads back next is the new configuration.
   */
  private Optional<String> awaitGeneration(
      ServerAddress address, long generation, ErrorLogTail tail) {
    long deadline = System.nanoTime() + applyTimeout.toNanos();
    long since = 0;
    boolean seenNew = false;
    while (true) {
      String seen;
      try {
        long live = admin.generation(address);
        if (live == generation) {
          long now = System.nanoTime();
          if (!seenNew) {
            seenNew = true;
            since = now;
          }
          if (now - since >= SETTLE.toNanos()) {
            return Optional.empty();
          }
        } else {
          seenNew = false;
        }
        seen = "http://" + address + "/trafficctl/generation answers " + live;
      } catch (IOException e) {
        seenNew = false;
        seen = "http://" + address + "/trafficctl/generation: " + e.getMessage();
      }
      List<String> failures = tail == null ? List.of() : tail.failures();
      // Wait until nginx has given up: until then the configuration may still become live, and
      // a restore sent meanwhile would be overtaken by it.
      if (!seenNew && ErrorLogTail.givenUp(failures)) {
        return Optional.of(String.join("; ", failures) + " (" + seen + ")");
      }
      if (System.nanoTime() - deadline > 0) {
        String logged = failures.isEmpty() ? "" : String.join("; ", failures) + "; ";
        return Optional.of(
            logged + "not live after " + applyTimeout.toMillis() + " ms (" + seen + ")");
      }
      RouterAttempt.alive("waiting for nginx to serve generation " + generation);
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("interrupted while waiting for generation " + generation);
      }
    }
  }

  /**
   * Dynamic mode: writes the state file (nginx's next start loads it), then puts the weights in
   * force through the admin endpoint. nginx's workers only read the state file, so they need no
   * write access to {@code config_dir}.
   */
  private void post(NginxSite site, AdminSecret secret, Map<String, Integer> weights, String reason)
      throws IOException {
    String previous = AtomicFile.read(site.state());
    String state = stateFile(site, weights);
    if (!state.equals(previous)) {
      AtomicFile.replace(site.state(), state);
    }
    try {
      admin.setWeights(site.admin(), secret, weights, reason);
    } catch (NginxAdminClient.Refused e) {
      AtomicFile.restore(site.state(), previous);
      if (e.status == 401) {
        // The include on disk holds this secret's verifier and nginx serves its generation (the
        // render above saw to both), so what answered was rendered by something else.
        throw InvalidConfiguration.failure(
            site.label()
                + ": nginx's admin endpoint http://"
                + site.admin()
                + " refused the admin secret in "
                + site.adminSecret()
                + ": what answers there was not rendered from "
                + site.include()
                + " (another config_dir with the same admin address?)",
            e);
      }
      throw InvalidConfiguration.failure(
          site.label() + ": nginx refused the weights " + weights + ": " + e.getMessage(), e);
    } catch (IOException e) {
      // The state file keeps the new weights: they are wanted, and a retry posts them again.
      throw unreachable(site, e);
    }
  }

  /** A running nginx that cannot be reached now may be reachable on the next attempt. */
  private static UncheckedIOException unreachable(NginxSite site, IOException e) {
    return new UncheckedIOException(
        site.label()
            + ": nginx's admin endpoint http://"
            + site.admin()
            + " is unreachable: "
            + e.getMessage(),
        e);
  }

  private static String stateFile(NginxSite site, Map<String, Integer> weights) {
    return "# trafficctl: weights of "
        + site.label()
        + ", written by the nginx router; nginx loads them at start\n"
        + WeightLines.format(weights);
  }

  /** Server weights by normalized {@code host:port}, as the include names the servers. */
  private static Map<String, Integer> servers(NginxSite site, Map<String, Integer> serverWeights) {
    Map<String, Integer> normalized = new TreeMap<>();
    serverWeights.forEach(
        (server, weight) -> normalized.put(ServerAddress.parse(server).toString(), weight));
    return normalized;
  }
}
