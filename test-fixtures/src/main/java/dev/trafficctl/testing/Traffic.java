package dev.trafficctl.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measured loopback traffic: a fixed number of requests, one after another, on keep-alive, counted
 * by who answered (the body of a 200, which {@link VersionBackends} fill with their version; {@code
 * status N} otherwise). Bounded in count ({@value #MAX_REQUESTS} a batch) and in time (each request
 * 5 s, a batch {@link #MAX_BATCH}), and only ever to loopback. Each batch starts with new
 * connections: after a reload, a connection kept from before could still reach a worker of the old
 * configuration while it drains.
 */
public final class Traffic {

  /** The most requests one batch sends. */
  public static final int MAX_REQUESTS = 100_000;

  /** The longest one batch may take before it stops and fails. */
  public static final Duration MAX_BATCH = Duration.ofMinutes(2);

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .proxy(HttpClient.Builder.NO_PROXY)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  /** Sends {@code count} GETs to {@code address}; returns how many each version answered. */
  public Map<String, Integer> send(String address, int count) {
    return send(address, count, null);
  }

  /** As {@link #send(String, int)}, each request carrying {@code cookie} when not null. */
  public Map<String, Integer> send(String address, int count, String cookie) {
    return sendWith(address, count, cookie == null ? Map.of() : Map.of("Cookie", cookie));
  }

  /** Sends {@code count} GETs carrying {@code headers}; returns how many each version answered. */
  public Map<String, Integer> sendWith(String address, int count, Map<String, String> headers) {
    if (count < 0 || count > MAX_REQUESTS) {
      throw new IllegalArgumentException(count + " requests: a batch sends 0.." + MAX_REQUESTS);
    }
    Loopback.requireAddress(address);
    long deadline = System.nanoTime() + MAX_BATCH.toNanos();
    Map<String, Integer> versions = new TreeMap<>();
    HttpClient client = client();
    for (int i = 0; i < count; i++) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "sent " + i + " of " + count + " requests to " + address + " in " + MAX_BATCH);
      }
      HttpResponse<String> response = getWith(client, address, "/work/" + i, headers);
      String key =
          response.statusCode() == 200 ? response.body() : "status " + response.statusCode();
      versions.merge(key, 1, Integer::sum);
    }
    return versions;
  }

  /** One GET on a new connection, carrying {@code cookie} when not null. */
  public HttpResponse<String> get(String address, String path, String cookie) {
    return getWith(address, path, cookie == null ? Map.of() : Map.of("Cookie", cookie));
  }

  /** A client of its own, for many requests on kept-alive connections. */
  public HttpClient newClient() {
    return client();
  }

  /** One GET on a new connection, carrying {@code headers}. */
  public HttpResponse<String> getWith(String address, String path, Map<String, String> headers) {
    return getWith(client(), address, path, headers);
  }

  /** One GET through {@code client}, carrying {@code headers}. */
  public static HttpResponse<String> getWith(
      HttpClient client, String address, String path, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + Loopback.requireAddress(address) + path))
            .timeout(REQUEST_TIMEOUT);
    headers.forEach(request::header);
    return send(client, request.build());
  }

  /** One POST of {@code body} on a new connection. */
  public HttpResponse<String> post(String address, String path, String body) {
    return postWith(address, path, body, Map.of());
  }

  /** One POST of {@code body} on a new connection, carrying {@code headers}. */
  public HttpResponse<String> postWith(
      String address, String path, String body, Map<String, String> headers) {
    return requestWith("POST", address, path, body, headers);
  }

  /**
   * One request of {@code method} with {@code body} on a new connection, carrying {@code headers}.
   */
  public HttpResponse<String> requestWith(
      String method, String address, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + Loopback.requireAddress(address) + path))
            .timeout(REQUEST_TIMEOUT)
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return send(client(), request.build());
  }

  private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(request.method() + " " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
