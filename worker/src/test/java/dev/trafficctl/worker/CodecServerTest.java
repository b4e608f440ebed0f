package dev.trafficctl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import dev.trafficctl.client.payload.AesGcmPayloadCodec;
import dev.trafficctl.client.payload.PayloadKey;
import dev.trafficctl.client.payload.PayloadKeyRing;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The codec server over real HTTP with the real codec: Temporal's protocol, and each of its guards
 * (loopback names only, the Web UI's origin only, the bearer token when one is set).
 */
class CodecServerTest {

  private static final String UI = "http://127.0.0.1:8233";
  private static final String SECRET = "https://hooks.example.com/x?token=s3cr3t";

  private final HttpClient http = HttpClient.newHttpClient();
  private final AesGcmPayloadCodec codec = new AesGcmPayloadCodec(ring(), false);
  private CodecServer server;

  private static PayloadKeyRing ring() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new PayloadKeyRing(List.of(PayloadKey.of("k1", key)));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private CodecServer start(String token) {
    server =
        CodecServer.start(
            new CodecServerSettings(
                "127.0.0.1", 0, token, CodecServerSettings.originsOf("http://localhost:8233")),
            codec);
    return server;
  }

  private static String json(Payload... payloads) throws Exception {
    return JsonFormat.printer().print(Payloads.newBuilder().addAllPayloads(List.of(payloads)));
  }

  private static Payloads payloads(String json) throws Exception {
    Payloads.Builder builder = Payloads.newBuilder();
    JsonFormat.parser().merge(json, builder);
    return builder.build();
  }

  private static Payload plain(String json) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8(json))
        .build();
  }

  private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length == 0) {
      request.header("Content-Type", "application/json");
    } else {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void encodeThenDecodeGivesThePayloadsBackAnyDepthOfPath() throws Exception {
    start(null);
    Payload input = plain("{\"url\":\"" + SECRET + "\"}");

    HttpResponse<String> encoded = post("/encode", json(input, plain("2")));
    assertEquals(200, encoded.statusCode(), encoded.body());
    assertEquals("application/json", encoded.headers().firstValue("Content-Type").orElseThrow());
    assertFalse(encoded.body().contains("s3cr3t"), encoded.body());
    Payloads sealed = payloads(encoded.body());
    assertEquals(2, sealed.getPayloadsCount());
    assertTrue(AesGcmPayloadCodec.isEncrypted(sealed.getPayloads(0)));

    // The CLI's --codec-endpoint http://host:port/{namespace} puts the namespace first.
    HttpResponse<String> decoded =
        post(
            "/default/decode",
            encoded.body(),
            "Content-Type",
            "application/json",
            "X-Namespace",
            "default");
    assertEquals(200, decoded.statusCode(), decoded.body());
    assertEquals(List.of(input, plain("2")), payloads(decoded.body()).getPayloadsList());
  }

  @Test
  void aPayloadItCannotDecryptIsABadRequestWithTheReason() throws Exception {
    start(null);
    Payload foreign =
        new AesGcmPayloadCodec(
                new PayloadKeyRing(List.of(PayloadKey.of("other", new byte[32]))), false)
            .encode(List.of(plain("{}")))
            .get(0);
    HttpResponse<String> response = post("/decode", json(foreign));
    assertEquals(400, response.statusCode());
    assertTrue(response.body().contains("key id other"), response.body());

    assertEquals(400, post("/decode", "{\"payloads\": 3}").statusCode());
    assertEquals(415, post("/decode", json(), "Content-Type", "text/plain").statusCode());
    assertEquals(404, post("/healthz", json()).statusCode());
    HttpResponse<String> get =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/decode"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
  }

  @Test
  void theWebUisOriginGetsItsPreflightAndCorsHeadersAnotherOriginIsRefused() throws Exception {
    start(null);
    HttpResponse<String> preflight =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/decode"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", UI)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-namespace")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(204, preflight.statusCode());
    assertEquals(UI, preflight.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    assertEquals(
        "true", preflight.headers().firstValue("Access-Control-Allow-Credentials").orElseThrow());
    String allowed = preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow();
    assertTrue(allowed.contains("Content-Type") && allowed.contains("X-Namespace"), allowed);

    HttpResponse<String> fromUi =
        post("/decode", json(), "Content-Type", "application/json", "Origin", UI);
    assertEquals(200, fromUi.statusCode());
    assertEquals(UI, fromUi.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());

    HttpResponse<String> fromElsewhere =
        post(
            "/decode",
            json(),
            "Content-Type",
            "application/json",
            "Origin",
            "https://evil.example");
    assertEquals(403, fromElsewhere.statusCode());
    assertTrue(fromElsewhere.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
  }

  @Test
  void withATokenEncodeAndDecodeNeedIt() throws Exception {
    start("t0ken-for-the-codec");
    Payload input = plain("{}");
    assertEquals(401, post("/encode", json(input)).statusCode());
    assertEquals(
        401,
        post(
                "/encode",
                json(input),
                "Content-Type",
                "application/json",
                "Authorization",
                "Bearer wrong")
            .statusCode());
    assertEquals(
        200,
        post(
                "/encode",
                json(input),
                "Content-Type",
                "application/json",
                "Authorization",
                "Bearer t0ken-for-the-codec")
            .statusCode());
  }

  /**
   * A page on a rebinding DNS name reaches 127.0.0.1 as its own origin; the Host it sends is its
   * name, not a loopback one. (The JDK's HTTP client will not send another Host: a socket does.)
   */
  @Test
  void onLoopbackARequestForAnotherHostNameIsRefused() throws Exception {
    start(null);
    assertEquals(403, rawStatus("rebind.evil.example:" + server.port()));
    assertEquals(200, rawStatus("localhost:" + server.port()));
    assertEquals(200, rawStatus("127.0.0.1:" + server.port()));
  }

  private int rawStatus(String host) throws Exception {
    String body = json();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /decode HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.getBytes(StandardCharsets.UTF_8).length
                  + "\r\nConnection: close\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      String status =
          new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
      return Integer.parseInt(status.split(" ")[1]);
    }
  }

  @Test
  void offLoopbackItWillNotStartWithoutAToken() {
    StartupFailure failure =
        assertThrows(
            StartupFailure.class,
            () ->
                CodecServer.start(new CodecServerSettings("0.0.0.0", 0, null, Set.of(UI)), codec));
    assertEquals(StartupFailure.BAD_INPUT, failure.exitCode());
    assertTrue(failure.getMessage().contains("--codec-token-file"), failure.getMessage());
  }

  @Test
  void theOriginsOfAWebUiOnThisHostAreBothLoopbackNames() {
    assertEquals(
        Set.of("http://localhost:8233", "http://127.0.0.1:8233"),
        CodecServerSettings.originsOf("http://localhost:8233/"));
    assertEquals(
        Set.of("https://temporal.example.com"),
        CodecServerSettings.originsOf("https://temporal.example.com/namespaces"));
  }
}
