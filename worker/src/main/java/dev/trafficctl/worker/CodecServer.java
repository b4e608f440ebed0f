package dev.trafficctl.worker;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;

/**
 * Temporal's remote codec protocol over the worker's payload keys, so the Web UI and {@code
 * temporal ... --codec-endpoint} show decoded payloads to those who may reach it: {@code POST
 * .../encode} and {@code POST .../decode} take and answer {@code {"payloads": [...]}} in protobuf's
 * JSON form; only the last path segment counts, so {@code /default/decode} works too. The namespace
 * ({@code X-Namespace}) does not matter: the keys are the worker's, whatever the namespace.
 *
 * <p>Whoever reaches it can decrypt any payload of the history, so it guards itself: it listens on
 * loopback unless told otherwise (and then only with a bearer token); on loopback it answers only
 * requests addressed to a loopback name (a web page that rebinds its DNS name to 127.0.0.1 is
 * refused); a browser may call it only from the Web UI's origin (CORS, with the preflight a JSON
 * POST needs); and with a token, {@code /encode} and {@code /decode} need it.
 */
final class CodecServer implements AutoCloseable {

  /** A page of history with large inputs stays well under this; anything past it is refused. */
  static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser();

  private final WorkerHttpServer http;

  private CodecServer(WorkerHttpServer http) {
    this.http = http;
  }

  /**
   * Listens as {@code settings} say (port 0: any free port).
   *
   * @throws StartupFailure when the address cannot be listened on, or a non-loopback address is
   *     asked for without a token
   */
  static CodecServer start(CodecServerSettings settings, PayloadCodec codec) {
    InetAddress address;
    try {
      address = InetAddress.getByName(settings.host());
    } catch (UnknownHostException e) {
      throw new StartupFailure(
          StartupFailure.BAD_INPUT, "--codec-host " + settings.host() + ": unknown host");
    }
    boolean loopback = address.isLoopbackAddress();
    if (!loopback && settings.bearerToken() == null) {
      throw new StartupFailure(
          StartupFailure.BAD_INPUT,
          "--codec-host "
              + settings.host()
              + " is not loopback: the codec server decrypts for whoever reaches it, so off this"
              + " host it needs --codec-token-file (or keep it on loopback behind an"
              + " authenticating proxy)");
    }
    Handler handler = new Handler(settings, codec, loopback);
    return new CodecServer(
        WorkerHttpServer.start(
            "--codec-port",
            settings.host(),
            new InetSocketAddress(address, settings.port()),
            "trafficctl-worker-codec",
            handler::handle));
  }

  int port() {
    return http.port();
  }

  @Override
  public void close() {
    http.close();
  }

  /** One request: where it comes from, whether it may, then the codec. */
  private record Handler(CodecServerSettings settings, PayloadCodec codec, boolean loopback) {

    void handle(HttpExchange exchange) throws IOException {
      Headers request = exchange.getRequestHeaders();
      if (loopback && !loopbackHost(request.getFirst("Host"))) {
        respond(exchange, 403, "this codec server answers requests to a loopback address only");
        return;
      }
      String origin = request.getFirst("Origin");
      if (origin != null) {
        if (!settings.allowedOrigins().contains(origin)) {
          // No CORS headers: the browser keeps the answer from the page.
          respond(
              exchange,
              403,
              "origin " + origin + " may not call this codec server (the worker's --web-ui may)");
          return;
        }
        Headers response = exchange.getResponseHeaders();
        response.set("Access-Control-Allow-Origin", origin);
        response.set("Access-Control-Allow-Credentials", "true");
        response.add("Vary", "Origin");
      }
      String method = exchange.getRequestMethod();
      if (method.equals("OPTIONS")) {
        Headers response = exchange.getResponseHeaders();
        response.set("Access-Control-Allow-Methods", "POST, OPTIONS");
        response.set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Namespace");
        response.set("Access-Control-Max-Age", "600");
        exchange.sendResponseHeaders(204, -1);
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String last = path.substring(path.lastIndexOf('/') + 1);
      if (!last.equals("encode") && !last.equals("decode")) {
        respond(exchange, 404, "not found: POST .../encode or .../decode");
        return;
      }
      if (!method.equals("POST")) {
        exchange.getResponseHeaders().set("Allow", "POST, OPTIONS");
        respond(exchange, 405, "method not allowed: POST");
        return;
      }
      if (settings.bearerToken() != null && !authorized(request.getFirst("Authorization"))) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        respond(exchange, 401, "an Authorization: Bearer token is required");
        return;
      }
      String contentType = request.getFirst("Content-Type");
      if (contentType == null
          || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
        // Also keeps out a page's form post, which needs no preflight.
        respond(exchange, 415, "Content-Type must be application/json");
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY_BYTES + 1);
      }
      if (body.length > MAX_BODY_BYTES) {
        respond(exchange, 413, "more than " + MAX_BODY_BYTES + " bytes");
        return;
      }
      Payloads.Builder payloads = Payloads.newBuilder();
      try {
        PARSER.merge(new String(body, StandardCharsets.UTF_8), payloads);
      } catch (InvalidProtocolBufferException e) {
        respond(exchange, 400, "not Payloads in protobuf JSON: " + firstLine(e.getMessage()));
        return;
      }
      List<Payload> converted;
      try {
        converted =
            last.equals("encode")
                ? codec.encode(payloads.getPayloadsList())
                : codec.decode(payloads.getPayloadsList());
      } catch (PayloadCodecException e) {
        respond(exchange, 400, firstLine(e.getMessage()));
        return;
      }
      byte[] answer =
          PRINTER
              .print(Payloads.newBuilder().addAllPayloads(converted).build())
              .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    }

    private boolean authorized(String header) {
      if (header == null) {
        return false;
      }
      byte[] expected = ("Bearer " + settings.bearerToken()).getBytes(StandardCharsets.UTF_8);
      // Constant time: how long a wrong guess takes says nothing of how close it was.
      return MessageDigest.isEqual(expected, header.strip().getBytes(StandardCharsets.UTF_8));
    }

    /** localhost, 127.x.y.z or [::1], with any port. */
    private static boolean loopbackHost(String host) {
      if (host == null || host.isBlank()) {
        return false;
      }
      String name = host.strip().toLowerCase(Locale.ROOT);
      if (name.startsWith("[")) {
        int end = name.indexOf(']');
        return end > 0 && name.substring(1, end).equals("::1");
      }
      int colon = name.indexOf(':');
      if (colon >= 0) {
        name = name.substring(0, colon);
      }
      return name.equals("localhost") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static void respond(HttpExchange exchange, int status, String message)
        throws IOException {
      byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }

    private static String firstLine(String message) {
      if (message == null) {
        return "";
      }
      int newline = message.indexOf('\n');
      return newline < 0 ? message : message.substring(0, newline);
    }
  }
}
