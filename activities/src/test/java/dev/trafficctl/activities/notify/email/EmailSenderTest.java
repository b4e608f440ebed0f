package dev.trafficctl.activities.notify.email;

import static dev.trafficctl.activities.Failures.assertInvalidConfiguration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.trafficctl.activities.notify.NotificationMessage;
import dev.trafficctl.activities.notify.Secret;
import dev.trafficctl.activities.notify.WebUiLinks;
import dev.trafficctl.activities.notify.email.SmtpSettings.SmtpSecurity;
import dev.trafficctl.config.catalog.NotificationTargets;
import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.testing.RolloutStatuses;
import dev.trafficctl.workflows.ports.FailureTypes;
import dev.trafficctl.workflows.ports.RolloutNotification;
import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.MetricCheck;
import dev.trafficctl.workflows.status.RolloutStatus;
import dev.trafficctl.workflows.status.Verdict;
import io.temporal.failure.ApplicationFailure;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sends through GreenMail, a real SMTP server on a free port, and reads what arrived. */
class EmailSenderTest {

  @RegisterExtension
  static final GreenMailExtension greenMail =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(true);

  private static final String EVENT_ID =
      "production.api/0b7c3d7e-6f0a-4a55-9a51-2f7d3c1e9b10/3/email";
  private static final String EXPECTED_MESSAGE_ID =
      "<production.api.0b7c3d7e-6f0a-4a55-9a51-2f7d3c1e9b10.3.email.a28bdc29@trafficctl>";
  private static final Instant AT = Instant.parse("2025-03-04T10:15:30Z");
  private static final String PASSWORD = "s3cr3t-Horse-Battery";

  private static final NotificationTargets OPS =
      new NotificationTargets(
          null, new NotificationTargets.Email(List.of("ops@example.com", "sre@example.org")), null);

  private static NotificationMessage rolledBack(String eventId) {
    AnalysisReport analysis =
        new AnalysisReport(
            AT.minusSeconds(5),
            Verdict.FAIL,
            List.of(
                new MetricCheck("success_rate", 90.3, 99, true, "%", Duration.ofSeconds(20), false),
                new MetricCheck("p95", 180.0, 500, false, "ms", Duration.ofSeconds(20), true)),
            1200,
            100,
            null);
    RolloutStatus status =
        RolloutStatuses.canaryRolledBack(AT, 2, 4)
            .message("success_rate 90.3% < 99% at step 2 (25%): rolled back to v1")
            .lastAnalysis(analysis)
            .actions(
                List.of(new ActionRecord(AT.minusSeconds(60), "resume", "alice", "dashboards ok")))
            .build();
    return NotificationMessage.of(
        new RolloutNotification(
            eventId,
            NotificationEvent.ROLLED_BACK,
            List.of(NotificationChannel.EMAIL),
            OPS,
            status),
        new WebUiLinks("http://localhost:8233/", "default"));
  }

  private static SmtpSettings plain(int port, Duration timeout) {
    return new SmtpSettings(
        "127.0.0.1",
        port,
        SmtpSecurity.NONE,
        null,
        null,
        "trafficctl <deploys@example.com>",
        timeout);
  }

  private static int smtpPort() {
    return greenMail.getSmtp().getPort();
  }

  private static MimeMessage[] received(int count) {
    assertTrue(greenMail.waitForIncomingEmail(5000, count), count + " messages arrive");
    return greenMail.getReceivedMessages();
  }

  private static String part(MimeMultipart multipart, int index, String type) throws Exception {
    assertTrue(
        multipart.getBodyPart(index).isMimeType(type),
        "part " + index + " is " + type + ", not " + multipart.getBodyPart(index).getContentType());
    // SMTP carries text with CRLF line ends
    return ((String) multipart.getBodyPart(index).getContent()).replace("\r\n", "\n");
  }

  @Test
  void sendsTextAndHtmlToEveryRecipientWithADeterministicMessageId() throws Exception {
    new EmailSender(plain(smtpPort(), Duration.ofSeconds(5)))
        .send(rolledBack(EVENT_ID), OPS, EVENT_ID);

    MimeMessage[] messages = received(2); // GreenMail keeps one copy per recipient
    assertEquals(2, messages.length);
    MimeMessage m = messages[0];
    assertEquals(
        "ops@example.com, sre@example.org",
        Arrays.stream(m.getRecipients(Message.RecipientType.TO))
            .map(a -> ((InternetAddress) a).getAddress())
            .collect(Collectors.joining(", ")));
    assertEquals("api (production): canary rolled back", m.getSubject());
    assertEquals("deploys@example.com", ((InternetAddress) m.getFrom()[0]).getAddress());
    assertEquals("trafficctl", ((InternetAddress) m.getFrom()[0]).getPersonal());
    assertEquals(EXPECTED_MESSAGE_ID, m.getMessageID());
    assertEquals("rolled_back", m.getHeader("X-Trafficctl-Event", null));
    assertEquals(AT, m.getSentDate().toInstant());

    assertTrue(m.isMimeType("multipart/alternative"), m.getContentType());
    MimeMultipart body = (MimeMultipart) m.getContent();
    assertEquals(2, body.getCount());
    String text = part(body, 0, "text/plain");
    String html = part(body, 1, "text/html");

    String metric = "success_rate 90.3% (needs >= 99%) over 20s: failed";
    String link = "http://localhost:8233/namespaces/default/workflows/production.api";
    assertTrue(text.contains("success_rate 90.3% < 99% at step 2 (25%): rolled back to v1"), text);
    assertTrue(text.contains("Weights: v1 100% / v2 0%"), text);
    assertTrue(text.contains(metric), text);
    assertTrue(text.contains("Workflow: " + link), text);

    assertTrue(html.contains("<h2>api (production): canary rolled back</h2>"), html);
    assertTrue(
        html.contains("<p>success_rate 90.3% &lt; 99% at step 2 (25%): rolled back to v1</p>"),
        html);
    assertTrue(html.contains("<tr><th align=\"left\">Weights</th><td>v1 100% / v2 0%</td></tr>"));
    assertTrue(
        html.contains("<tr><th align=\"left\">Last action</th><td>resume by alice: dashboards ok"),
        html);
    assertTrue(html.contains("<li>" + metric.replace(">", "&gt;") + "</li>"), html);
    assertTrue(html.contains("<li>p95 180ms (needs &lt;= 500ms) over 20s: ok</li>"), html);
    assertTrue(html.contains("<a href=\"" + link + "\">"), html);
  }

  @Test
  void aRetryCarriesTheSameMessageIdAndAnotherEventAnotherOne() throws Exception {
    NotificationTargets one =
        new NotificationTargets(
            null, new NotificationTargets.Email(List.of("ops@example.com")), null);
    EmailSender sender = new EmailSender(plain(smtpPort(), Duration.ofSeconds(5)));
    String otherEvent = "production.api/0b7c3d7e-6f0a-4a55-9a51-2f7d3c1e9b10/4/email";

    sender.send(rolledBack(EVENT_ID), one, EVENT_ID);
    sender.send(rolledBack(EVENT_ID), one, EVENT_ID); // the activity's retry
    sender.send(rolledBack(otherEvent), one, otherEvent);

    MimeMessage[] messages = received(3);
    assertEquals(EXPECTED_MESSAGE_ID, messages[0].getMessageID());
    assertEquals(EXPECTED_MESSAGE_ID, messages[1].getMessageID());
    assertNotEquals(EXPECTED_MESSAGE_ID, messages[2].getMessageID());
    assertEquals(
        "<production.api.0b7c3d7e-6f0a-4a55-9a51-2f7d3c1e9b10.4.email.b5a4a907@trafficctl>",
        messages[2].getMessageID());
  }

  @Test
  void messageIdsAreDotAtomsAndKeepLookalikeEventIdsApart() {
    for (String id :
        List.of(EVENT_ID, "/x//y/", "a b\r\nc<d>@e", "..", "é/ü", "a".repeat(500) + "/1/email")) {
      String messageId = EmailSender.messageId(id);
      assertTrue(
          messageId.matches("<[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*@trafficctl>"),
          id + " -> " + messageId);
      assertTrue(messageId.length() < 150, messageId);
      assertEquals(messageId, EmailSender.messageId(id));
    }
    assertNotEquals(EmailSender.messageId("a/b"), EmailSender.messageId("a.b"));
    assertNotEquals(EmailSender.messageId("a/b"), EmailSender.messageId("a//b"));
  }

  @Test
  void theHtmlPartEscapesEverythingItShows() throws Exception {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Reason <b>", "\"quoted\" & <script>alert('x')</script>");
    NotificationMessage m =
        new NotificationMessage(
            EVENT_ID,
            NotificationEvent.ABORTED,
            "api <prod> & co",
            "line one\n<img src=x onerror=alert(1)>",
            fields,
            List.of("p95 <= 500ms"),
            "http://localhost:8233/x?a=1&b=\"2\"",
            AT);
    new EmailSender(plain(smtpPort(), Duration.ofSeconds(5))).send(m, OPS, EVENT_ID);

    MimeMessage received = received(2)[0];
    assertEquals("api <prod> & co", received.getSubject());
    String html = part((MimeMultipart) received.getContent(), 1, "text/html");
    assertFalse(html.contains("<script>"), html);
    assertFalse(html.contains("<img"), html);
    assertFalse(html.contains("<b>"), html);
    assertTrue(html.contains("<h2>api &lt;prod&gt; &amp; co</h2>"), html);
    assertTrue(html.contains("line one<br>\n&lt;img src=x onerror=alert(1)&gt;"), html);
    assertTrue(
        html.contains(
            "<th align=\"left\">Reason &lt;b&gt;</th><td>&quot;quoted&quot; &amp;"
                + " &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</td>"),
        html);
    assertTrue(html.contains("<li>p95 &lt;= 500ms</li>"), html);
    assertTrue(html.contains("href=\"http://localhost:8233/x?a=1&amp;b=&quot;2&quot;\""), html);
  }

  @Test
  void logsInWhenAUsernameIsGiven() throws Exception {
    greenMail.setUser("deploys@example.com", "deploys", PASSWORD);
    SmtpSettings settings =
        new SmtpSettings(
            "127.0.0.1",
            smtpPort(),
            SmtpSecurity.NONE,
            "deploys",
            Secret.of(PASSWORD),
            "deploys@example.com",
            Duration.ofSeconds(5));
    new EmailSender(settings).send(rolledBack(EVENT_ID), OPS, EVENT_ID);
    assertEquals(EXPECTED_MESSAGE_ID, received(2)[0].getMessageID());
  }

  @Test
  void aWrongPasswordFailsForGoodWithoutShowingIt() {
    greenMail.setUser("deploys@example.com", "deploys", "the-right-one");
    SmtpSettings settings =
        new SmtpSettings(
            "127.0.0.1",
            smtpPort(),
            SmtpSecurity.NONE,
            "deploys",
            Secret.of(PASSWORD),
            "deploys@example.com",
            Duration.ofSeconds(5));
    EmailSender sender = new EmailSender(settings);

    ApplicationFailure failure =
        assertThrows(
            ApplicationFailure.class, () -> sender.send(rolledBack(EVENT_ID), OPS, EVENT_ID));
    assertEquals(FailureTypes.INVALID_CONFIGURATION, failure.getType());
    assertTrue(failure.isNonRetryable(), "non-retryable");
    String message = failure.getOriginalMessage();
    assertTrue(message.contains("rejected the login of user \"deploys\""), message);
    assertTrue(message.contains("535"), message);
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(PASSWORD), t.getMessage());
      assertFalse(t.toString().contains(PASSWORD), t.toString());
    }
    assertFalse(settings.toString().contains(PASSWORD), settings.toString());
    assertEquals(0, greenMail.getReceivedMessages().length);
  }

  @Test
  void noRecipientsInTheCatalogFailsForGood() {
    EmailSender sender = new EmailSender(plain(smtpPort(), Duration.ofSeconds(5)));
    for (NotificationTargets targets :
        Arrays.asList(
            null,
            new NotificationTargets(null, null, null),
            new NotificationTargets(null, new NotificationTargets.Email(null), null),
            new NotificationTargets(null, new NotificationTargets.Email(List.of()), null))) {
      String message =
          assertInvalidConfiguration(() -> sender.send(rolledBack(EVENT_ID), targets, EVENT_ID));
      assertTrue(message.contains("has no notifications.email.to"), message);
    }
  }

  @Test
  void aRecipientThatIsNotAnAddressFailsForGood() {
    EmailSender sender = new EmailSender(plain(smtpPort(), Duration.ofSeconds(5)));
    NotificationTargets targets =
        new NotificationTargets(
            null,
            new NotificationTargets.Email(List.of("ops@example.com", "ops at example")),
            null);
    String message =
        assertInvalidConfiguration(() -> sender.send(rolledBack(EVENT_ID), targets, EVENT_ID));
    assertTrue(message.contains("notifications.email.to[1]: \"ops at example\""), message);
    assertEquals(0, greenMail.getReceivedMessages().length);
  }

  @Test
  void aServerThatIsDownFailsRetryablyWithinTheTimeout() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    EmailSender sender = new EmailSender(plain(closedPort, Duration.ofSeconds(2)));
    long start = System.nanoTime();
    ApplicationFailure failure =
        assertThrows(
            ApplicationFailure.class, () -> sender.send(rolledBack(EVENT_ID), OPS, EVENT_ID));
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(4)) < 0);
    assertRetryable(failure);
    assertTrue(
        failure.getOriginalMessage().contains("127.0.0.1:" + closedPort),
        failure.getOriginalMessage());
  }

  @Test
  void aServerThatNeverAnswersFailsRetryablyWithinTheTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) {
      Thread acceptor =
          new Thread(
              () -> {
                try (Socket ignored = silent.accept()) {
                  Thread.sleep(10_000);
                } catch (IOException | InterruptedException e) {
                  // test over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      EmailSender sender = new EmailSender(plain(silent.getLocalPort(), Duration.ofMillis(500)));
      long start = System.nanoTime();
      ApplicationFailure failure =
          assertThrows(
              ApplicationFailure.class, () -> sender.send(rolledBack(EVENT_ID), OPS, EVENT_ID));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "took " + took);
      assertRetryable(failure);
      acceptor.interrupt();
    }
  }

  /**
   * GreenMail's SMTP offers no STARTTLS, as a misconfigured or downgraded server would not:
   * required STARTTLS means nothing is sent, non-retryably, since the server will not start
   * offering it within the retries.
   */
  @Test
  void requiredStartTlsAgainstAPlainServerFailsForGoodAndSendsNothing() {
    greenMail.setUser("deploys@example.com", "deploys", PASSWORD);
    SmtpSettings settings =
        new SmtpSettings(
            "127.0.0.1",
            smtpPort(),
            SmtpSecurity.STARTTLS,
            "deploys",
            Secret.of(PASSWORD),
            "deploys@example.com",
            Duration.ofSeconds(5));
    String message =
        assertInvalidConfiguration(
            () -> new EmailSender(settings).send(rolledBack(EVENT_ID), OPS, EVENT_ID));
    assertTrue(message.contains("does not offer STARTTLS"), message);
    assertFalse(message.contains(PASSWORD), message);
    assertEquals(0, greenMail.getReceivedMessages().length);
  }

  @Test
  void sslToAServerWithAnUntrustedCertificateFailsForGood() {
    GreenMail smtps = new GreenMail(ServerSetupTest.SMTPS.dynamicPort());
    smtps.start();
    try {
      SmtpSettings settings =
          new SmtpSettings(
              "127.0.0.1",
              smtps.getSmtps().getPort(),
              SmtpSecurity.SSL,
              null,
              null,
              "deploys@example.com",
              Duration.ofSeconds(5));
      String message =
          assertInvalidConfiguration(
              () -> new EmailSender(settings).send(rolledBack(EVENT_ID), OPS, EVENT_ID));
      assertTrue(message.contains("certificate is not trusted"), message);
      assertEquals(0, smtps.getReceivedMessages().length);
    } finally {
      smtps.stop();
    }
  }

  @Test
  void settingsRejectHalfACredentialAndDefaultTheTimeout() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new SmtpSettings("h", 25, SmtpSecurity.NONE, "u", null, "a@b.c", null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SmtpSettings("h", 25, SmtpSecurity.NONE, null, Secret.of("p"), "a@b.c", null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SmtpSettings("h", 0, SmtpSecurity.NONE, null, null, "a@b.c", null));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new EmailSender(new SmtpSettings("h", 25, SmtpSecurity.NONE, null, null, "no", null)));
    assertEquals(
        SmtpSettings.DEFAULT_TIMEOUT,
        new SmtpSettings("h", 25, SmtpSecurity.NONE, null, null, "a@b.c", null).timeout());
    assertEquals(587, SmtpSecurity.STARTTLS.defaultPort());
  }

  private static void assertRetryable(ApplicationFailure failure) {
    assertEquals(EmailSender.RETRYABLE_TYPE, failure.getType(), failure.getOriginalMessage());
    assertFalse(failure.isNonRetryable(), "retryable");
  }
}
