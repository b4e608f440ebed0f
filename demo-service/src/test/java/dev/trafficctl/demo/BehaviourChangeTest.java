package dev.trafficctl.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BehaviourChangeTest {

  private final ObjectMapper json = new ObjectMapper();
  private final Behaviour current =
      new Behaviour(5, Duration.ofMillis(10), Duration.ofMillis(2), true);

  @Test
  void aFormChangesOnlyTheFieldsItNames() {
    BehaviourChange change =
        BehaviourChange.parse("application/x-www-form-urlencoded", "error_rate=50", json);

    assertEquals(
        new Behaviour(50, Duration.ofMillis(10), Duration.ofMillis(2), true),
        change.applyTo(current));
  }

  @Test
  void jsonCarriesNumbersTextAndBooleans() {
    BehaviourChange change =
        BehaviourChange.parse(
            "application/json",
            "{\"error_rate\": 12.5, \"latency\": \"1s\", \"latency_jitter\": \"0\","
                + " \"healthy\": false}",
            json);

    assertEquals(
        new Behaviour(12.5, Duration.ofSeconds(1), Duration.ZERO, false), change.applyTo(current));
  }

  @Test
  void aJsonBodyIsRecognisedWithoutItsContentType() {
    BehaviourChange change = BehaviourChange.parse(null, " {\"healthy\": \"false\"}", json);

    assertEquals(false, change.applyTo(current).healthy());
  }

  @Test
  void formValuesAreUrlDecoded() {
    BehaviourChange change = BehaviourChange.parse("", "latency=1m30s&healthy=%74rue", json);

    assertEquals(Duration.ofSeconds(90), change.applyTo(current).latency());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "error_rate=101|error_rate: 101 is not a percentage (0..100)",
        "error_rate=-1|error_rate: -1 is not a percentage (0..100)",
        "error_rate=lots|error_rate: 'lots' is not a percentage (0..100)",
        "latency=20|latency: '20' is not a duration (examples: 0, 20ms, 1s, 500ms, 30s, 5m, 1h, 14d)",
        "healthy=yes|healthy: 'yes' is not true or false",
        "errorrate=5|errorrate: unknown field (known: error_rate, latency, latency_jitter, healthy)",
        "healthy=true&healthy=false|healthy: given twice",
      })
  void badFormsAreRefusedWithOneLine(String body, String message) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BehaviourChange.parse("application/x-www-form-urlencoded", body, json));
    assertEquals(message, e.getMessage());
  }

  @Test
  void badJsonIsRefusedWithOneLine() {
    assertEquals(
        "body: expected a JSON object",
        assertThrows(
                IllegalArgumentException.class,
                () -> BehaviourChange.parse("application/json", "[1]", json))
            .getMessage());
    assertEquals(
        "healthy: expected a number, text or boolean",
        assertThrows(
                IllegalArgumentException.class,
                () -> BehaviourChange.parse("application/json", "{\"healthy\": null}", json))
            .getMessage());
    String broken =
        assertThrows(
                IllegalArgumentException.class,
                () -> BehaviourChange.parse("application/json", "{\"healthy\": ", json))
            .getMessage();
    assertEquals(1, broken.lines().count(), broken);
  }
}
