package dev.trafficctl.activities.router.nginx;

import dev.trafficctl.config.catalog.ServerAddress;
import dev.trafficctl.workflows.ports.RoutingRules;
import java.io.IOException;
import java.net.Proxy;
import java.time.Duration;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The loopback admin endpoint a rendered include adds for its service: {@code GET
 * /trafficctl/generation} (which rendering nginx serves), {@code GET /trafficctl/weights} (the
 * weights in force) and, in dynamic mode, {@code POST /trafficctl/weights} (set them, no reload),
 * which needs the include's {@link AdminSecret}. The reads need none.
 */
final class NginxAdminClient {

  private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");

  /** The endpoint is on loopback: never through a proxy, and quick to answer or to refuse. */
  static final OkHttpClient DEFAULT_CLIENT =
      new OkHttpClient.Builder()
          .proxy(Proxy.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(2))
          .readTimeout(Duration.ofSeconds(5))
          .callTimeout(Duration.ofSeconds(10))
          .retryOnConnectionFailure(false)
          .build();

  /**
   * nginx answered, but refused what was asked (400: weights it does not accept; 401: not the admin
   * secret of the include it serves).
   */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private final OkHttpClient http;

  NginxAdminClient(OkHttpClient http) {
    this.http = http;
  }

  long generation(ServerAddress admin) throws IOException {
    String body = call(get(admin, "/trafficctl/generation"));
    try {
      return Long.parseLong(body.strip());
    } catch (NumberFormatException e) {
      throw new IOException(
          "http://" + admin + "/trafficctl/generation answered \"" + body.strip() + "\"", e);
    }
  }

  Map<String, Integer> weights(ServerAddress admin) throws IOException {
    return parse(admin, call(get(admin, "/trafficctl/weights")));
  }

  /**
   * The routing rules the live include renders ({@code GET /trafficctl/rules}); none from an
   * include rendered before rules existed, whose admin server answers 404 there.
   */
  RoutingRules rules(ServerAddress admin) throws IOException {
    String body;
    try {
      body = call(get(admin, "/trafficctl/rules"));
    } catch (Refused e) {
      if (e.status == 404) {
        return RoutingRules.NONE;
      }
      throw e;
    }
    try {
      return RuleLines.parse(body);
    } catch (IllegalArgumentException e) {
      throw new IOException("http://" + admin + "/trafficctl/rules: " + e.getMessage(), e);
    }
  }

  Map<String, Integer> setWeights(
      ServerAddress admin, AdminSecret secret, Map<String, Integer> weights, String reason)
      throws IOException {
    Request.Builder request =
        new Request.Builder()
            .url(url(admin, "/trafficctl/weights"))
            .header("Authorization", secret.authorization())
            .post(RequestBody.create(WeightLines.format(weights), TEXT));
    String why = NginxSyntax.comment(reason);
    if (!why.isEmpty()) {
      request.header("X-Trafficctl-Reason", why);
    }
    return parse(admin, call(request.build()));
  }

  private static Map<String, Integer> parse(ServerAddress admin, String body) throws IOException {
    try {
      return WeightLines.parse(body);
    } catch (IllegalArgumentException e) {
      throw new IOException("http://" + admin + "/trafficctl/weights: " + e.getMessage(), e);
    }
  }

  private String call(Request request) throws IOException {
    // No keep-alive: after a reload an old worker may still hold a pooled connection, and the
    // answer must come from the configuration nginx serves now.
    Request fresh = request.newBuilder().header("Connection", "close").build();
    try (Response response = http.newCall(fresh).execute()) {
      ResponseBody body = response.body();
      String text = body == null ? "" : body.string();
      if (response.code() >= 400 && response.code() < 500) {
        throw new Refused(response.code(), text.strip());
      }
      if (!response.isSuccessful()) {
        throw new IOException(
            request.method()
                + " "
                + request.url()
                + " answered "
                + response.code()
                + ": "
                + text.strip());
      }
      return text;
    }
  }

  private static Request get(ServerAddress admin, String path) {
    return new Request.Builder().url(url(admin, path)).get().build();
  }

  private static String url(ServerAddress admin, String path) {
    return "http://" + admin + path;
  }
}
