package dev.trafficctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.trafficctl.activities.notify.Secret;
import dev.trafficctl.activities.notify.webhook.WebhookSignature;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.testing.Ports;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary's notifications through the worker process: Slack (a MockWebServer standing in for the
 * Slack Web API), email (GreenMail, a real SMTP server, with authentication) and a webhook (a
 * MockWebServer receiver). The secrets are the worker's alone: none of them may appear in the
 * workflow's history, the worker's log or anything the CLI prints.
 */
class NotificationEndToEndTest {

  private static final String SLACK_TOKEN = "xoxb-e2e-" + UUID.randomUUID();
  private static final String SMTP_PASSWORD = "smtp-e2e-" + UUID.randomUUID();
  private static final String WEBHOOK_SECRET = "whsec-e2e-" + UUID.randomUUID();
  private static final List<String> SECRETS = List.of(SLACK_TOKEN, SMTP_PASSWORD, WEBHOOK_SECRET);

  @TempDir static Path dir;

  private static DevServer server;
  private static MockWebServer slack;
  private static MockWebServer webhook;
  private static GreenMail smtp;
  private static WorkerProcess worker;
  private static Cli cli;

  @BeforeAll
  static void start() throws Exception {
    server = new DevServer(dir.resolve("temporal"));
    server.start();
    slack = new MockWebServer();
    slack.setDispatcher(
        new okhttp3.mockwebserver.Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody("{\"ok\":true,\"channel\":\"C0DEPLOYS\",\"ts\":\"1700000000.000100\"}");
          }
        });
    slack.start();
    webhook = new MockWebServer();
    webhook.setDispatcher(
        new okhttp3.mockwebserver.Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse().setResponseCode(204);
          }
        });
    webhook.start();
    smtp = new GreenMail(new ServerSetup(Ports.free(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.setUser("trafficctl@example.com", "trafficctl", SMTP_PASSWORD);
    smtp.start();

    Path catalog = dir.resolve("trafficctl.yaml");
    Files.writeString(
        catalog,
        """
        services:
          api:
            environments:
              notify:
                router: { type: file, file: { state_dir: routes } }
                versions:
                  v1: { servers: ["127.0.0.1:18081"] }
                  v2: { servers: ["127.0.0.1:18082"] }
                notifications:
                  slack: { channel: "#deploys" }
                  email: { to: ["ops@example.com", "release@example.com"] }
                  webhook: { url: "%s" }
        """
            .formatted(webhook.url("/hooks/rollouts")));
    Path state = Files.createDirectories(dir.resolve("worker"));
    worker =
        WorkerProcess.start(
            server.address(),
            state,
            dir.resolve("worker.log"),
            Map.of(
                "SLACK_BOT_TOKEN",
                SLACK_TOKEN,
                "SLACK_API_URL",
                slack.url("/api/").toString(),
                "TRAFFICCTL_SMTP_HOST",
                "127.0.0.1",
                "TRAFFICCTL_SMTP_PORT",
                Integer.toString(smtp.getSmtp().getPort()),
                "TRAFFICCTL_SMTP_SECURITY",
                "none",
                "TRAFFICCTL_SMTP_USERNAME",
                "trafficctl",
                "TRAFFICCTL_SMTP_PASSWORD",
                SMTP_PASSWORD,
                "TRAFFICCTL_SMTP_FROM",
                "trafficctl@example.com",
                "TRAFFICCTL_WEBHOOK_SECRET",
                WEBHOOK_SECRET,
                "TRAFFICCTL_WEB_UI",
                "http://127.0.0.1:8233"));
    cli = new Cli(server.address(), catalog);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {worker, slack, webhook}) {
      if (c != null) {
        c.close();
      }
    }
    if (smtp != null) {
      smtp.stop();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyChannelHearsEveryEventAndNoSecretLeaves() throws Exception {
    Path doc = dir.resolve("canary.yaml");
    Files.writeString(
        doc,
        """
        canary:
          api:
            steps:
              - { traffic_percent: 50, duration: 2s }
              - traffic_percent: 100
            notification:
              channels: [slack, email, webhook]
        """);
    cli.deployCanary("api", "notify", "v2", doc);
    JsonNode end =
        cli.awaitStatus(
            "api",
            "notify",
            "promoted",
            Duration.ofSeconds(60),
            s -> s.path("phase").asText().equals("Promoted"));
    // started, promoted, completed: the workflow delivers them before it closes.
    int events = 3;

    List<RecordedRequest> posts = take(slack, events);
    for (RecordedRequest post : posts) {
      assertEquals("/api/chat.postMessage", post.getPath());
      assertEquals("Bearer " + SLACK_TOKEN, post.getHeader("Authorization"));
      String body = post.getBody().readUtf8();
      assertTrue(body.contains("deploys"), body);
      assertTrue(body.contains("blocks"), body);
    }

    List<RecordedRequest> hooks = take(webhook, events);
    List<String> hookEvents = new ArrayList<>();
    for (RecordedRequest hook : hooks) {
      byte[] body = hook.getBody().readByteArray();
      String signature = hook.getHeader(WebhookSignature.HEADER);
      assertTrue(
          WebhookSignature.verify(
              Secret.of(WEBHOOK_SECRET),
              signature,
              body,
              Instant.now(),
              WebhookSignature.RECOMMENDED_TOLERANCE),
          "signed with the worker's secret, lately: " + signature);
      JsonNode payload = JsonMapping.json().readTree(body);
      assertEquals(hook.getHeader("Idempotency-Key"), payload.path("event_id").asText());
      hookEvents.add(payload.path("event").asText());
    }
    assertEquals(
        List.of("completed", "promoted", "started"), hookEvents.stream().sorted().toList());

    assertTrue(smtp.waitForIncomingEmail(10_000, events * 2), "two recipients per event");
    MimeMessage[] mails = smtp.getReceivedMessages();
    assertEquals(events * 2, mails.length);
    for (MimeMessage mail : mails) {
      assertTrue(mail.getSubject().startsWith("api (notify): canary"), mail.getSubject());
      assertTrue(mail.getMessageID().endsWith("@trafficctl>"), mail.getMessageID());
    }
    assertEquals("Promoted", end.path("phase").asText());

    // No secret in the history (inputs, results, failures), the worker's log or the CLI's output.
    Run history =
        server.temporal(List.of("workflow", "show", "-w", "notify.api", "--output", "json"));
    String status =
        cli.run("traffic", "canary", "status", "api", "--env", "notify").expect(0).out()
            + cli.run("traffic", "canary", "status", "api", "--env", "notify", "-o", "json")
                .expect(0)
                .out();
    String log = worker.logText();
    assertTrue(history.expect(0).out().contains("Notify"), "the history shows the activities");
    assertTrue(log.contains("notified notify.api"), log);
    for (String secret : SECRETS) {
      assertFalse(history.out().contains(secret), "a secret in the workflow history");
      assertFalse(log.contains(secret), "a secret in the worker's log");
      assertFalse(status.contains(secret), "a secret in the CLI's output");
    }
  }

  private static List<RecordedRequest> take(MockWebServer server, int count)
      throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      RecordedRequest request = server.takeRequest(20, TimeUnit.SECONDS);
      assertTrue(request != null, "request " + (i + 1) + " of " + count + " did not arrive");
      requests.add(request);
    }
    return requests;
  }
}
