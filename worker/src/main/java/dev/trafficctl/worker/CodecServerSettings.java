package dev.trafficctl.worker;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The codec server's settings.
 *
 * @param host interface to listen on; loopback unless the operator says otherwise
 * @param port its port (0: any free port)
 * @param bearerToken when set, every {@code /encode} and {@code /decode} must carry {@code
 *     Authorization: Bearer <token>}; null: none asked (loopback only)
 * @param allowedOrigins the browser origins (the Web UI's) that may call it; requests without an
 *     {@code Origin} (the Temporal CLI) are not browsers' and need none
 */
record CodecServerSettings(String host, int port, String bearerToken, Set<String> allowedOrigins) {

  CodecServerSettings {
    allowedOrigins = Set.copyOf(allowedOrigins);
  }

  /**
   * The origins a Web UI at {@code webUi} calls from: its own, and, for a UI on this host, the same
   * under the other loopback name (a browser opened on localhost is another origin than 127.0.0.1).
   */
  static Set<String> originsOf(String webUi) {
    URI uri = URI.create(webUi.strip());
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new IllegalArgumentException("--web-ui " + webUi + " is not an http(s) URL");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    Set<String> origins = new LinkedHashSet<>();
    origins.add(scheme + "://" + host + port);
    if (host.equals("localhost")) {
      origins.add(scheme + "://127.0.0.1" + port);
    } else if (host.equals("127.0.0.1")) {
      origins.add(scheme + "://localhost" + port);
    }
    return origins;
  }

  /** The token stays out: this string may reach a log. */
  @Override
  public String toString() {
    return "CodecServerSettings[host="
        + host
        + ", port="
        + port
        + ", token="
        + (bearerToken == null ? "none" : "set")
        + ", origins="
        + allowedOrigins
        + "]";
  }
}
