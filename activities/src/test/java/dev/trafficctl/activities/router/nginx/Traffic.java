package dev.trafficctl.activities.router.nginx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Bounded loopback load: a fixed number of requests, one after another, on keep-alive. Each call
 * starts with new connections: after a reload, a connection kept from before could still reach a
 * worker of the old configuration while it drains.
 */
final class Traffic {

  private static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .proxy(HttpClient.Builder.NO_PROXY)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  /** Sends {@code count} GETs to {@code address}; returns how many each version answered. */
  Map<String, Integer> send(String address, int count) {
    return send(address, count, null);
  }

  /** As {@link #send(String, int)}, each request carrying {@code cookie} when not null. */
  Map<String, Integer> send(String address, int count, String cookie) {
    Map<String, Integer> versions = new TreeMap<>();
    HttpClient client = client();
    for (int i = 0; i < count; i++) {
      HttpResponse<String> response = get(client, address, "/work/" + i, cookie);
      String key =
          response.statusCode() == 200 ? response.body() : "status " + response.statusCode();
      versions.merge(key, 1, Integer::sum);
    }
    return versions;
  }

  HttpResponse<String> get(String address, String path, String cookie) {
    return get(client(), address, path, cookie);
  }

  /** Sends {@code count} GETs carrying {@code headers}; returns how many each version answered. */
  Map<String, Integer> sendWith(String address, int count, Map<String, String> headers) {
    Map<String, Integer> versions = new TreeMap<>();
    HttpClient client = client();
    for (int i = 0; i < count; i++) {
      HttpResponse<String> response = getWith(client, address, "/work/" + i, headers);
      String key =
          response.statusCode() == 200 ? response.body() : "status " + response.statusCode();
      versions.merge(key, 1, Integer::sum);
    }
    return versions;
  }

  /** A client of its own, for many requests on kept-alive connections. */
  HttpClient newClient() {
    return client();
  }

  HttpResponse<String> getWith(String address, String path, Map<String, String> headers) {
    return getWith(client(), address, path, headers);
  }

  private static HttpResponse<String> get(
      HttpClient client, String address, String path, String cookie) {
    return getWith(client, address, path, cookie == null ? Map.of() : Map.of("Cookie", cookie));
  }

  static HttpResponse<String> getWith(
      HttpClient client, String address, String path, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + address + path))
            .timeout(Duration.ofSeconds(5));
    headers.forEach(request::header);
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("GET http://" + address + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  HttpResponse<String> post(String address, String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + address + path))
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return client().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("POST http://" + address + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * How far, in standard deviations, a share may stray from its weight before a test calls the
   * split wrong. Each request is routed independently (a random draw, or a hash of a random id), so
   * a version's count is binomial; |z| > 5 happens by chance about once in 1.7 million checks,
   * while a weight off by 10 points over 1,000 requests lies 6 to 8 deviations away.
   */
  private static final double MAX_Z = 5.0;

  /**
   * Asserts that {@code version} got about {@code percent} of {@code counts}: within {@link #MAX_Z}
   * binomial standard deviations, so a bound that suits 4,000 requests at 50% also suits 400 at
   * 10%, and the check does not fail on one run in a hundred by chance.
   */
  static void assertShare(
      Map<String, Integer> counts, String version, double percent, String what) {
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    double p = percent / 100.0;
    double expected = total * p;
    double deviations = Math.sqrt(total * p * (1 - p));
    int got = counts.getOrDefault(version, 0);
    double z =
        deviations == 0
            ? (got == expected ? 0 : Double.POSITIVE_INFINITY)
            : (got - expected) / deviations;
    if (Math.abs(z) > MAX_Z) {
      throw new AssertionError(
          String.format(
              Locale.ROOT,
              "%s: %s got %.1f%% of %s, set %.1f%% (z = %.1f, allowed |z| <= %.0f)",
              what,
              version,
              share(counts, version),
              counts,
              percent,
              z,
              MAX_Z));
    }
  }

  /** Percent of {@code counts} answered by {@code version}. */
  static double share(Map<String, Integer> counts, String version) {
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    return 100.0 * counts.getOrDefault(version, 0) / total;
  }

  private static final Set<Integer> ISSUED = new HashSet<>();

  /**
   * A loopback port free right now and not handed out before in this JVM: the kernel may offer a
   * just-released port again, and a listen port equal to the admin port would collide.
   */
  static synchronized int freePort() {
    while (true) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      if (ISSUED.add(port)) {
        return port;
      }
    }
  }
}
