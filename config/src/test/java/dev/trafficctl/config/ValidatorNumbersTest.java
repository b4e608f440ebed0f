package dev.trafficctl.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.trafficctl.config.canary.CanaryDocument;
import dev.trafficctl.config.canary.CanarySpec;
import dev.trafficctl.config.canary.CanaryStep;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Numbers in messages are the numbers a person wrote: as written in a document, and never clamped
 * where there is no document (a workflow input built by code).
 */
class ValidatorNumbersTest {

  @Test
  void numberPrintsWholeNumbersInFullAndFractionsAsTheyAre() {
    assertEquals("5", Validator.number(5));
    assertEquals("100", Validator.number(100.0));
    assertEquals("99.5", Validator.number(99.5));
    assertEquals("9223372036854775807", Validator.number(Long.MAX_VALUE));
    assertEquals("1000000000000000000000000000000", Validator.number(1e30));
    assertEquals("-1000000000000000000000000000000", Validator.number(-1e30));
    assertEquals("Infinity", Validator.number(Double.POSITIVE_INFINITY));
  }

  /** A workflow input has no text: its value is printed, not the largest long. */
  @Test
  void aRecordWithoutADocumentShowsItsValue() {
    CanaryDocument input =
        new CanaryDocument(
            Map.of(
                "api",
                new CanarySpec(
                    List.of(new CanaryStep(100, null, 1e30)), null, null, null, null, null, null)));

    InvalidConfigException e =
        assertThrows(InvalidConfigException.class, () -> DocumentLoader.validate("<input>", input));

    assertEquals(
        "<input>: canary.api.steps[0].success_threshold: 1000000000000000000000000000000 is not a"
            + " percentage (0..100)",
        e.firstLine());
  }

  /** The same value written three ways is quoted three ways, each as written. */
  @Test
  void aDocumentsNumberIsQuotedAsWritten() {
    for (String written : List.of("1e30", "1.0E+30", "1000000000000000000000000000000")) {
      String text =
          "canary:\n  api:\n    steps:\n      - traffic_percent: 100\n        success_threshold: "
              + written
              + "\n";

      InvalidConfigException e =
          assertThrows(
              InvalidConfigException.class, () -> new DocumentLoader().parse("c.yaml", text));

      assertEquals(
          "c.yaml:5:28: canary.api.steps[0].success_threshold: "
              + written
              + " is not a percentage (0..100)",
          e.firstLine());
    }
  }
}
