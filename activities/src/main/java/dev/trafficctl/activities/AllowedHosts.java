package dev.trafficctl.activities;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * The hosts a worker's activities may send requests to when a catalog entry names them (a
 * Prometheus {@code metrics.address}, a {@code notifications.webhook.url}). The entry travels in a
 * rollout's input, so without this list whoever may start a workflow could make the worker reach
 * any host on its network; the list comes from the worker's own settings ({@code --allow-host}).
 * Loopback ({@code localhost}, {@code 127.x.x.x}, {@code ::1}) is always allowed: it is the
 * worker's own machine, where the demo and the tests run everything.
 *
 * <p>Hosts are compared as written in the URL, case-insensitively, never resolved: an entry names
 * the host the worker connects to.
 *
 * @param hosts the allowed hosts, each with a port or with any port
 */
public record AllowedHosts(List<HostPort> hosts) {

  /** The setting that lists them, named in refusals. */
  public static final String ALLOW_SETTING = "--allow-host";

  /** Loopback alone. */
  public static final AllowedHosts LOOPBACK = new AllowedHosts(List.of());

  private static final Pattern ENTRY =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+)(?::([0-9]{1,5}))?");

  private static final Pattern LOOPBACK_V4 =
      Pattern.compile("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");

  /**
   * One allowed host, lower case, an IPv6 address without brackets (as {@link HttpUrl#host()} gives
   * it).
   *
   * @param port the port, or -1 for any
   */
  public record HostPort(String host, int port) {

    boolean admits(HttpUrl url) {
      return host.equals(url.host().toLowerCase(Locale.ROOT)) && (port < 0 || port == url.port());
    }

    @Override
    public String toString() {
      String name = host.contains(":") ? "[" + host + "]" : host;
      return port < 0 ? name : name + ":" + port;
    }
  }

  public AllowedHosts {
    hosts = List.copyOf(hosts);
  }

  /**
   * {@code HOST} or {@code HOST:PORT} entries ({@code [::1]:9090} for IPv6).
   *
   * @throws IllegalArgumentException naming the first entry that is neither
   */
  public static AllowedHosts of(Collection<String> entries) {
    List<HostPort> hosts = new ArrayList<>();
    for (String entry : entries) {
      Matcher m = ENTRY.matcher(entry.strip());
      int port = m.matches() && m.group(2) != null ? Integer.parseInt(m.group(2)) : -1;
      if (!m.matches() || port > 65535 || port == 0) {
        throw new IllegalArgumentException(
            "\"" + entry + "\" is not HOST or HOST:PORT (IPv6 in brackets: [::1]:9090)");
      }
      String host = m.group(1).replaceAll("^\\[|\\]$", "").toLowerCase(Locale.ROOT);
      hosts.add(new HostPort(host, port));
    }
    return new AllowedHosts(hosts);
  }

  /**
   * Passes when {@code url}'s host is loopback or on the list; else a non-retryable {@code
   * InvalidConfiguration} naming the field and the host and port, never the whole URL (a webhook's
   * may carry a token).
   *
   * @param where whose entry it is: {@code api (production)}
   * @param field the catalog field: {@code metrics.address}
   */
  public void require(String where, String field, HttpUrl url) {
    if (isLoopback(url.host()) || hosts.stream().anyMatch(h -> h.admits(url))) {
      return;
    }
    String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
    throw InvalidConfiguration.failure(
        where
            + ": "
            + field
            + " reaches "
            + host
            + ":"
            + url.port()
            + ", not a host this worker may reach (allowed: loopback"
            + hosts.stream().map(h -> ", " + h).reduce("", String::concat)
            + "; the worker's "
            + ALLOW_SETTING
            + ")");
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("::1") || LOOPBACK_V4.matcher(h).matches();
  }
}
