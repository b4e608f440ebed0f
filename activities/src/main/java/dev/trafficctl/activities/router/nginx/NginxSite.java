package dev.trafficctl.activities.router.nginx;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trafficctl.activities.AllowedBinaries;
import dev.trafficctl.activities.ConfinedPaths;
import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.activities.ResourceName;
import dev.trafficctl.activities.UnquotedProblem;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.InvalidConfigException;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.config.catalog.NginxMode;
import dev.trafficctl.config.catalog.NginxRouterSettings;
import dev.trafficctl.config.catalog.ServerAddress;
import dev.trafficctl.config.catalog.VersionPool;
import dev.trafficctl.config.loadbalancer.LoadBalancerDocument;
import dev.trafficctl.config.loadbalancer.LoadBalancerSpec;
import dev.trafficctl.config.loadbalancer.UpstreamServer;
import dev.trafficctl.workflows.ports.RouteTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One service in one environment as the nginx router sees it: the catalog entry resolved against
 * the worker's base directory, every name and address checked again, the load-balancer document
 * loaded (all of it from {@code router.nginx}). Files live in {@code config_dir}:
 *
 * <pre>
 * &lt;env&gt;.&lt;service&gt;.conf            the include nginx loads (http context)
 * &lt;env&gt;.&lt;service&gt;.conf.last-good  the last include nginx was seen serving
 * &lt;env&gt;.&lt;service&gt;.conf.rejected  the last include nginx refused (for investigation)
 * &lt;env&gt;.&lt;service&gt;.weights         dynamic mode: "version weight" lines nginx loads at start
 * &lt;env&gt;.&lt;service&gt;.admin-secret    dynamic mode: the admin endpoint's write secret (0600)
 * </pre>
 *
 * @param versions each version's servers, in catalog order
 * @param loadBalancer the spec's load-balancer document, or null when the catalog names none
 */
record NginxSite(
    String service,
    String env,
    NginxMode mode,
    ServerAddress listen,
    ServerAddress admin,
    Path configDir,
    NginxCommand command,
    Path errorLog,
    Map<String, List<ServerAddress>> versions,
    LoadBalancerSpec loadBalancer) {

  NginxSite {
    versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
  }

  /** The load-balancer copy's mapping: the one JSON mapping of trafficctl. */
  private static final ObjectMapper COPIES = JsonMapping.json();

  /**
   * Resolves {@code target}; every problem is a non-retryable invalid-configuration failure. Paths
   * must lead inside {@code paths}' directories and the binary must be one of {@code binaries},
   * checked before anything is read, written or run.
   */
  static NginxSite resolve(
      RouteTarget target, ConfinedPaths paths, AllowedBinaries binaries, DocumentLoader loader) {
    String service = ResourceName.require("service", target.service());
    String env = ResourceName.require("env", target.env());
    String where = service + " (" + env + ")";
    EnvironmentEntry entry = target.entry();
    NginxRouterSettings nginx = entry.router().nginx();
    if (nginx == null) {
      throw InvalidConfiguration.failure(
          where + ": router.nginx (the nginx router's settings) is required");
    }
    if (nginx.listen() == null) {
      throw InvalidConfiguration.failure(
          where + ": router.nginx.listen (host:port nginx serves the service on) is required");
    }
    if (nginx.admin() == null) {
      throw InvalidConfiguration.failure(
          where + ": router.nginx.admin (loopback host:port of the admin endpoint) is required");
    }
    ServerAddress listen = NginxSyntax.address(where + ": router.nginx.listen", nginx.listen());
    ServerAddress admin = NginxSyntax.loopback(where + ": router.nginx.admin", nginx.admin());
    if (listen.equals(admin)) {
      throw InvalidConfiguration.failure(
          where + ": router.nginx.admin \"" + admin + "\" is also the service's listen address");
    }
    Path configDir = path(paths, where, "config_dir", nginx.configDirOrDefault());
    Path binary =
        NginxSyntax.path(
            where + ": router.nginx.binary",
            binaries.require(
                where, "router.nginx.binary", nginx.binaryOrDefault(), paths.stateDir()));
    NginxCommand command =
        new NginxCommand(
            binary,
            nginx.prefix() == null ? null : path(paths, where, "prefix", nginx.prefix()),
            nginx.conf() == null ? null : path(paths, where, "conf", nginx.conf()));
    Path errorLog = path(paths, where, "error_log", nginx.errorLogOrDefault());

    Map<String, List<ServerAddress>> versions = new LinkedHashMap<>();
    Set<String> known = new HashSet<>();
    if (entry.versions() == null || entry.versions().isEmpty()) {
      throw InvalidConfiguration.failure(where + ": the catalog lists no versions");
    }
    for (Map.Entry<String, VersionPool> pool : entry.versions().entrySet()) {
      String version = ResourceName.require("version", pool.getKey());
      List<String> servers = pool.getValue() == null ? null : pool.getValue().servers();
      if (servers == null || servers.isEmpty()) {
        throw InvalidConfiguration.failure(where + ": version " + version + " has no servers");
      }
      List<ServerAddress> addresses = new ArrayList<>();
      for (String server : servers) {
        ServerAddress address =
            NginxSyntax.address(where + ": server of version " + version, server);
        addresses.add(address);
        known.add(address.toString());
      }
      versions.put(version, addresses);
    }
    LoadBalancerSpec loadBalancer =
        nginx.loadBalancer() == null
            ? null
            : loadBalancer(
                paths,
                where,
                nginx.loadBalancer(),
                loader,
                known,
                loadBalancerCopy(configDir, env, service));
    return new NginxSite(
        service,
        env,
        nginx.modeOrDefault(),
        listen,
        admin,
        configDir,
        command,
        errorLog,
        versions,
        loadBalancer);
  }

  /** How the include, its state and its copies are named: {@code <env>.<service>}. */
  String stem() {
    return env + "." + service;
  }

  Path include() {
    return configDir.resolve(stem() + ".conf");
  }

  Path lastGood() {
    return configDir.resolve(stem() + ".conf.last-good");
  }

  /** The last include nginx refused, kept for investigation; never included. */
  Path rejected() {
    return configDir.resolve(stem() + ".conf.rejected");
  }

  Path state() {
    return configDir.resolve(stem() + ".weights");
  }

  /**
   * Dynamic mode: the secret that authorizes writes to the admin endpoint, readable by the router's
   * user alone; nginx never reads it (the include holds a verifier). See {@link AdminSecret}.
   */
  Path adminSecret() {
    return configDir.resolve(stem() + ".admin-secret");
  }

  /**
   * The layers the router holds for the service, with their owners: JSON, written before applying.
   */
  /**
   * The load-balancer document as the router first routed the service with it: later changes use
   * this copy, so an edit of the document does not apply in the middle of a rollout (server
   * settings change only through their owner; delete the copy to take an edited document).
   */
  Path loadBalancerCopy() {
    return loadBalancerCopy(configDir, env, service);
  }

  private static Path loadBalancerCopy(Path configDir, String env, String service) {
    return configDir.resolve(env + "." + service + ".load-balancer.json");
  }

  /**
   * The lock of this service's files: its changes queue here, one at a time, while other services'
   * changes go on. What all services share (nginx -t, a reload) queues on {@link #reloadLock()}.
   */
  Path lock() {
    return configDir.resolve("." + stem() + ".lock");
  }

  /** The lock of what every service of the config dir shares: testing and reloading nginx. */
  Path reloadLock() {
    return configDir.resolve(".trafficctl.lock");
  }

  Path layers() {
    return configDir.resolve(stem() + ".layers.json");
  }

  /**
   * {@code weights} in the catalog's order of versions, as the include and state file list them.
   */
  Map<String, Integer> inCatalogOrder(Map<String, Integer> weights) {
    Map<String, Integer> ordered = new LinkedHashMap<>();
    versions.keySet().stream()
        .filter(weights::containsKey)
        .forEach(version -> ordered.put(version, weights.get(version)));
    return ordered;
  }

  /** For messages: {@code api (production)}. */
  String label() {
    return service + " (" + env + ")";
  }

  /**
   * The upstream of one version. '_' is in no name, so the parts cannot run into each other: {@code
   * trafficctl_production_api_v2}.
   */
  String upstream(String version) {
    return "trafficctl_" + env + "_" + service + "_" + version;
  }

  /** The Lua shared dict of the weights (dynamic mode), and the prefix of per-service variables. */
  String key() {
    return "trafficctl_" + env + "_" + service;
  }

  /**
   * A variable of this service, {@code trafficctl_<what>_<env>__<service>}: variable names allow
   * only letters, digits and '_', so '.' and '-' in names are written {@code _2e} and {@code _2d};
   * '__' then cannot occur inside a part, which keeps different services apart.
   */
  String variable(String what) {
    return "trafficctl_" + what + "_" + identifier(env) + "__" + identifier(service);
  }

  private static String identifier(String name) {
    return name.replace(".", "_2e").replace("-", "_2d");
  }

  /** The load-balancer document's entry for {@code server}, if it has one. */
  UpstreamServer serverSettings(ServerAddress server) {
    if (loadBalancer == null) {
      return null;
    }
    return loadBalancer.upstream().servers().stream()
        .filter(s -> server.toString().equals(s.server()))
        .findFirst()
        .orElse(null);
  }

  private static LoadBalancerSpec loadBalancer(
      ConfinedPaths paths,
      String where,
      String file,
      DocumentLoader loader,
      Set<String> known,
      Path copy) {
    Path path = paths.resolve(where, "router.nginx.load_balancer", file);
    LoadBalancerSpec spec;
    try {
      String kept = AtomicFile.read(copy);
      spec =
          kept != null
              ? COPIES.readValue(kept, LoadBalancerSpec.class)
              : loader.load(path, LoadBalancerDocument.class).loadBalancer();
    } catch (IOException e) {
      throw new UncheckedIOException(where + ": cannot read " + copy + ": " + e.getMessage(), e);
    } catch (InvalidConfigException e) {
      // The message goes to the workflow's history, and the loader's words may quote the file
      // (a value, a key): say where the problem is, never what the file says there.
      throw InvalidConfiguration.failure(
          where + ": router.nginx.load_balancer: " + UnquotedProblem.of(e, "load-balancer"));
    }
    for (UpstreamServer server : spec.upstream().servers()) {
      ServerAddress address =
          NginxSyntax.address(where + ": " + path + ": upstream server", server.server());
      // A server the catalog does not run would be silently ignored: most likely a typo.
      if (!known.contains(address.toString())) {
        throw InvalidConfiguration.failure(
            where
                + ": "
                + path
                + ": upstream server "
                + address
                + " is in no version's servers in the catalog (servers: "
                + String.join(", ", known.stream().sorted().toList())
                + ")");
      }
    }
    if (spec.session().persistence()) {
      NginxSyntax.cookieName(spec.session().cookieName());
    }
    return spec;
  }

  private static Path path(ConfinedPaths paths, String where, String field, String value) {
    String name = "router.nginx." + field;
    return NginxSyntax.path(where + ": " + name, paths.resolve(where, name, value));
  }
}
