package dev.trafficctl.activities.notify.webhook;

import static dev.trafficctl.activities.Failures.assertInvalidConfiguration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.activities.notify.Secret;
import dev.trafficctl.workflows.ports.RolloutNotification;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/webhook_receiver.py, the receiver docs/webhook-payload.md shows, run with python3 against
 * requests the worker's {@link WebhookSender} signs: it must take a fresh one and refuse a replayed
 * (old) or altered one, and the document must show the file as it is.
 */
class WebhookReceiverExampleTest {

  // Surefire runs in the module's directory; docs/ is beside it.
  private static final Path RECEIVER = Path.of("..", "docs", "webhook_receiver.py");
  private static final Path DOC = Path.of("..", "docs", "webhook-payload.md");
  private static final String KEY = "whsec-py-Zq8vR2kP0s";
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;

  private static Process receiver;
  private static String url;
  private static final BlockingQueue<String> accepted = new LinkedBlockingQueue<>();

  @BeforeAll
  static void startTheReceiver() throws Exception {
    ProcessBuilder python =
        new ProcessBuilder("python3", RECEIVER.toString(), "0")
            .redirectError(dir.resolve("receiver.err").toFile());
    python.environment().put("WEBHOOK_SECRET", KEY + "\n");
    receiver = python.start();
    BufferedReader out =
        new BufferedReader(
            new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    assertTrue(
        first != null && first.startsWith("listening on "),
        first + " " + Files.readString(dir.resolve("receiver.err")));
    url = "http://127.0.0.1:" + first.substring("listening on ".length()) + "/hooks/trafficctl";
    Thread reader =
        new Thread(
            () -> {
              try {
                for (String line; (line = out.readLine()) != null; ) {
                  accepted.add(line);
                }
              } catch (IOException ended) {
                // The receiver was stopped.
              }
            });
    reader.setDaemon(true);
    reader.start();
  }

  @AfterAll
  static void stopTheReceiver() throws InterruptedException {
    if (receiver != null) {
      receiver.destroy();
      receiver.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static WebhookSender sentAt(Instant now) {
    return new WebhookSender(Secret.of(KEY), TIMEOUT, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static void send(WebhookSender sender) {
    sender.send(
        WebhookEvents.message(WebhookEvents.rolledBack(url)), WebhookEvents.rolledBack(url));
  }

  @Test
  void theDocumentShowsTheReceiverFileVerbatim() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    String file = Files.readString(RECEIVER, StandardCharsets.UTF_8);

    assertTrue(doc.contains("```python\n" + file + "```\n"), "docs/webhook-payload.md is stale");
  }

  @Test
  void itAcceptsAFreshRequestAndOneWithinTheTolerance() throws InterruptedException {
    send(sentAt(Instant.now()));
    assertEquals("rolled_back production.api RolledBack", accepted.poll(5, TimeUnit.SECONDS));

    send(sentAt(Instant.now().minus(Duration.ofMinutes(4))));
    assertEquals("rolled_back production.api RolledBack", accepted.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void itRefusesARequestSignedLongerAgoThanTheTolerance() throws InterruptedException {
    String message =
        assertInvalidConfiguration(() -> send(sentAt(Instant.now().minus(Duration.ofMinutes(6)))));

    assertTrue(message.contains("HTTP 400: signature missing, wrong or too old"), message);
    assertEquals(null, accepted.poll(200, TimeUnit.MILLISECONDS));
  }

  @Test
  void itRefusesATamperedBodyAnotherKeyAndNoSignature() throws Exception {
    RolloutNotification n = WebhookEvents.rolledBack(url);
    byte[] body = WebhookSender.body(WebhookPayload.of(n, WebhookEvents.message(n).link()));
    byte[] tampered =
        new String(body, StandardCharsets.UTF_8)
            .replace("\"RolledBack\"", "\"Promoted\"")
            .getBytes(StandardCharsets.UTF_8);
    Instant now = Instant.now();
    String signature = WebhookSignature.header(Secret.of(KEY), now, body);

    assertEquals(204, post(body, signature), "the control: the same request, untouched");
    assertEquals("rolled_back production.api RolledBack", accepted.poll(5, TimeUnit.SECONDS));
    assertEquals(400, post(tampered, signature));
    assertEquals(400, post(body, WebhookSignature.header(Secret.of(KEY + "x"), now, body)));
    assertEquals(400, post(body, null));
    assertEquals(null, accepted.poll(200, TimeUnit.MILLISECONDS));
  }

  private static int post(byte[] body, String signature) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signature != null) {
      request.header(WebhookSignature.HEADER, signature);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
