package dev.trafficctl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.activities.AllowedHosts;
import dev.trafficctl.activities.notify.WebUiLinks;
import dev.trafficctl.activities.notify.email.SmtpSettings;
import dev.trafficctl.activities.notify.email.SmtpSettings.SmtpSecurity;
import dev.trafficctl.config.catalog.NotificationTargets;
import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.testing.RolloutStatuses;
import dev.trafficctl.workflows.ports.Notifier;
import dev.trafficctl.workflows.ports.RolloutNotification;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's notification channels come from its environment; secrets from it or files. */
class NotificationsTest {

  private static final WebUiLinks LINKS = new WebUiLinks("http://localhost:8233", "default");

  @Test
  void smtpSettingsFromTheEnvironmentWithThePasswordFromAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("smtp-password");
    Files.writeString(file, "s3cret-from-file\n");
    SmtpSettings smtp =
        Notifications.smtp(
            Map.of(
                "TRAFFICCTL_SMTP_HOST", "mail.example.com",
                "TRAFFICCTL_SMTP_SECURITY", "ssl",
                "TRAFFICCTL_SMTP_USERNAME", "trafficctl",
                "TRAFFICCTL_SMTP_PASSWORD_FILE", file.toString(),
                "TRAFFICCTL_SMTP_PASSWORD", "ignored-when-a-file-is-given",
                "TRAFFICCTL_SMTP_FROM", "trafficctl@example.com",
                "TRAFFICCTL_SMTP_TIMEOUT", "5s"));
    assertEquals("mail.example.com", smtp.host());
    assertEquals(SmtpSecurity.SSL, smtp.security());
    assertEquals(465, smtp.port(), "the usual port of the security chosen");
    assertEquals("s3cret-from-file", smtp.password().reveal());
    assertEquals(Duration.ofSeconds(5), smtp.timeout());
    assertFalse(smtp.toString().contains("s3cret"), smtp.toString());
  }

  @Test
  void badSmtpSettingsAreOneLineAtStart() {
    StartupFailure bad =
        assertThrows(
            StartupFailure.class,
            () ->
                Notifications.smtp(
                    Map.of(
                        "TRAFFICCTL_SMTP_HOST", "mail.example.com",
                        "TRAFFICCTL_SMTP_SECURITY", "tls",
                        "TRAFFICCTL_SMTP_FROM", "a@b.c")));
    assertEquals(
        "TRAFFICCTL_SMTP_SECURITY=tls is not one of starttls, ssl, none", bad.getMessage());
    StartupFailure noFrom =
        assertThrows(
            StartupFailure.class,
            () -> Notifications.smtp(Map.of("TRAFFICCTL_SMTP_HOST", "mail.example.com")));
    assertTrue(noFrom.getMessage().startsWith("TRAFFICCTL_SMTP_FROM is not set"));
  }

  @Test
  void aChannelWithoutSettingsFailsForGoodSayingWhatToSet() {
    Notifier notifier = Notifications.create(Map.of(), LINKS);
    for (NotificationChannel channel :
        List.of(NotificationChannel.SLACK, NotificationChannel.EMAIL)) {
      ApplicationFailure failure =
          assertThrows(ApplicationFailure.class, () -> notifier.send(event(channel)));
      assertTrue(failure.isNonRetryable(), failure.toString());
      assertTrue(
          failure.getOriginalMessage().startsWith(channel.wire() + " is not configured"),
          failure.getOriginalMessage());
      assertTrue(failure.getOriginalMessage().contains("set "), failure.getOriginalMessage());
    }
  }

  @Test
  void aWebhookOnAHostTheWorkerDoesNotAllowIsRefused() {
    RolloutNotification toElsewhere =
        new RolloutNotification(
            "production.api/run/1/webhook",
            NotificationEvent.PROMOTED,
            List.of(NotificationChannel.WEBHOOK),
            new NotificationTargets(
                null, null, new NotificationTargets.Webhook("http://10.0.0.7:8080/hooks?t=1")),
            event(NotificationChannel.WEBHOOK).status());
    ApplicationFailure refused =
        assertThrows(
            ApplicationFailure.class,
            () ->
                Notifications.create(Map.of(), LINKS, AllowedHosts.of(List.of("hooks.example.com")))
                    .send(toElsewhere));
    assertTrue(refused.isNonRetryable(), refused.toString());
    assertTrue(
        refused
            .getOriginalMessage()
            .contains(
                "notifications.webhook.url reaches 10.0.0.7:8080, not a host this worker may reach"
                    + " (allowed: loopback, hooks.example.com;"),
        refused.getOriginalMessage());
  }

  private static RolloutNotification event(NotificationChannel channel) {
    Instant t = Instant.parse("2026-11-27T10:00:00Z");
    RolloutStatus status = RolloutStatuses.canaryPromoted(t, 3).message("v2 serves 100%").build();
    return new RolloutNotification(
        "production.api/run/1/" + channel.wire(),
        NotificationEvent.PROMOTED,
        List.of(channel),
        new NotificationTargets(
            new NotificationTargets.Slack("#deploys"),
            new NotificationTargets.Email(List.of("ops@example.com")),
            null),
        status);
  }
}
