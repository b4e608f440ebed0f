package dev.trafficctl.activities.router.nginx;

import dev.trafficctl.config.catalog.ServerAddress;
import dev.trafficctl.config.loadbalancer.BalancingMethod;
import dev.trafficctl.config.loadbalancer.HealthCheck;
import dev.trafficctl.config.loadbalancer.UpstreamServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code upstream} per version ({@code trafficctl_<env>_<service>_<version>}), with the
 * load-balancer document's per-server weight, max_fails and fail_timeout and its balancing method.
 * A change's server weights override the document's weight (a server the document marks {@code
 * down}, weight 0, stays down). One upstream per version keeps {@code proxy_next_upstream} retries
 * inside the version a request was given to: the candidate's failures stay visible and the shares
 * stay as set.
 *
 * @param serverWeights {@code host:port} to weight, overriding the document's
 */
record Upstreams(NginxSite site, Map<String, Integer> serverWeights) implements IncludePart {

  private static final Pattern SERVER_LINE = Pattern.compile("(?m)^    server ([^\\s;{]+)(.*);$");
  private static final Pattern WEIGHT = Pattern.compile(" weight=([0-9]+)");

  /** Idle connections kept open to each version's servers, so proxying does not reconnect. */
  private static final int KEEPALIVE = 16;

  @Override
  public void http(NginxConfigWriter out) {
    site.versions().forEach((version, servers) -> upstream(out, version, servers));
  }

  private void upstream(NginxConfigWriter out, String version, List<ServerAddress> servers) {
    out.open("upstream", site.upstream(version));
    if (site.loadBalancer() != null) {
      String method = method(site.loadBalancer().algorithms().method());
      if (method != null) {
        out.directive(method);
      }
      HealthCheck check = site.loadBalancer().healthCheck();
      if (check != null) {
        out.comment(
            "health_check "
                + NginxSyntax.comment(check.uri())
                + " every "
                + NginxSyntax.time(check.interval())
                + ": open-source nginx has no active checks;");
        out.comment("max_fails and fail_timeout take a failing server out passively.");
      }
    }
    for (ServerAddress server : servers) {
      out.directive(server(server));
    }
    out.directive("keepalive", Integer.toString(KEEPALIVE));
    out.close();
  }

  private String server(ServerAddress server) {
    List<String> words = new ArrayList<>(List.of("server", server.toString()));
    UpstreamServer settings = site.serverSettings(server);
    Integer override = serverWeights.get(server.toString());
    if (settings != null) {
      words.add(
          settings.weight() == 0
              ? "down"
              : "weight=" + (override != null ? override : settings.weight()));
      words.add("max_fails=" + settings.maxFails());
      words.add("fail_timeout=" + NginxSyntax.seconds(settings.failTimeout()));
    } else if (override != null) {
      words.add("weight=" + override);
    }
    return String.join(" ", words);
  }

  private static String method(BalancingMethod method) {
    return switch (method) {
      case ROUND_ROBIN -> null;
      case LEAST_CONN -> "least_conn";
      case IP_HASH -> "ip_hash";
      case RANDOM -> "random";
      case HASH -> "hash $request_uri consistent";
    };
  }

  /**
   * The weight of every server in a rendered include's upstreams, {@code host:port} to weight: the
   * rendered {@code weight=N}, 0 for {@code down}, nginx's default 1 for neither.
   */
  static Map<String, Integer> serverWeightsOf(String include) {
    Map<String, Integer> weights = new TreeMap<>();
    Matcher m = SERVER_LINE.matcher(include);
    while (m.find()) {
      String rest = m.group(2);
      Matcher weight = WEIGHT.matcher(rest);
      int value =
          rest.contains(" down") ? 0 : weight.find() ? Integer.parseInt(weight.group(1)) : 1;
      weights.put(m.group(1), value);
    }
    return weights;
  }
}
