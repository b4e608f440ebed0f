package dev.trafficctl.workflows.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trafficctl.config.JsonMapping;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A step that still runs says nothing of how long it held: not {@code "held": "0s"}. */
class StepRecordTest {

  private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

  @Test
  void aRunningStepHasNoHoldYet() {
    JsonNode running = JsonMapping.json().valueToTree(StepRecord.started(1, 25, AT, null));
    assertFalse(running.has("held"), running.toString());
    assertEquals("running", running.path("outcome").asText());
  }

  @Test
  void anEndedStepSaysHowLongItHeldToTheMillisecond() {
    JsonNode passed =
        JsonMapping.json()
            .valueToTree(
                StepRecord.started(1, 25, AT, null)
                    .with("passed", Duration.ofMillis(93_644), null));
    assertEquals("1m33s644ms", passed.path("held").asText());
  }
}
