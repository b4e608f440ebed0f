package dev.trafficctl.testing;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The only place tests send traffic to: this machine's loopback (127.0.0.0/8, localhost, [::1]).
 * Load and fault tests check their target here before the first request.
 */
public final class Loopback {

  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

  private Loopback() {}

  /** {@code url} ({@code http://host:port/...}) when its host is loopback; else refused. */
  public static String requireUrl(String url) {
    URI uri = URI.create(url);
    if (!"http".equals(uri.getScheme()) || !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException("load goes to loopback only: " + url);
    }
    return url;
  }

  /** {@code address} ({@code host:port}) when its host is loopback; else refused. */
  public static String requireAddress(String address) {
    URI uri = URI.create("http://" + address);
    if (!isLoopback(uri.getHost()) || uri.getPort() < 1 || !uri.getRawPath().isEmpty()) {
      throw new IllegalArgumentException("load goes to loopback only: " + address);
    }
    return address;
  }

  static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("[::1]") || IPV4_LOOPBACK.matcher(h).matches();
  }
}
