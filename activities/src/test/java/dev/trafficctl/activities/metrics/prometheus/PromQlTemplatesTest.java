package dev.trafficctl.activities.metrics.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PromQlTemplatesTest {

  @Test
  void nullTemplatesTakeTheDefaults() {
    PromQlTemplates templates =
        new PromQlTemplates("sum(rate(x{${selector}}[${window}]))", null, null);
    assertEquals("sum(rate(x{${selector}}[${window}]))", templates.requests());
    assertEquals(PromQlTemplates.DEFAULT_FAILURES, templates.failures());
    assertEquals(PromQlTemplates.DEFAULT_LATENCY_SECONDS, templates.latencySeconds());
  }

  @Test
  void templatesMissingAPlaceholderOrNamingAnUnknownOneAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new PromQlTemplates("sum(increase(x{${selector}}[5m]))", null, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PromQlTemplates(null, "sum(increase(x{${selector}}[${window}]))", null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PromQlTemplates("x{${selector}}[${window}] + ${version}", null, null));
  }

  @Test
  void valuesAreFilledInOnePassAndNeverRescanned() {
    assertEquals(
        "x{a=\"${window}\"}[5m]",
        PromQlTemplates.render(
            "x{${selector}}[${window}]", Map.of("selector", "a=\"${window}\"", "window", "5m")));
  }
}
