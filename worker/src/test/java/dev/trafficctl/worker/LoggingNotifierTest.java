package dev.trafficctl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.config.catalog.NotificationTargets;
import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.ports.RolloutNotification;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoggingNotifierTest {

  @Test
  void logsOneLineWithTheEventAndNoTargets() {
    RolloutStatus status =
        new RolloutStatus(
            "production.api",
            "api",
            "production",
            "canary",
            "v1",
            "v2",
            Phase.PAUSED,
            "waiting for promote",
            3,
            5,
            25,
            50,
            Instant.EPOCH,
            null,
            null,
            null,
            List.of(),
            List.of(),
            Instant.EPOCH);
    RolloutNotification notification =
        new RolloutNotification(
            "production.api/run/7",
            NotificationEvent.PAUSED,
            List.of(NotificationChannel.SLACK, NotificationChannel.WEBHOOK),
            new NotificationTargets(
                new NotificationTargets.Slack("#deploys"),
                new NotificationTargets.Email(List.of("ops@example.com")),
                new NotificationTargets.Webhook("https://hooks.example/T0/B0/s3cr3t-token")),
            status);

    String logged = captureStderr(() -> new LoggingNotifier().send(notification));

    List<String> lines = logged.lines().toList();
    assertEquals(1, lines.size(), logged);
    String line = lines.get(0);
    assertTrue(
        line.contains(
            "notify paused production.api phase Paused weight 25% channels slack,webhook"),
        line);
    assertFalse(line.contains("s3cr3t"), line);
    assertFalse(line.contains("ops@example.com"), line);
    assertFalse(line.contains("#deploys"), line);
  }

  private static String captureStderr(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
