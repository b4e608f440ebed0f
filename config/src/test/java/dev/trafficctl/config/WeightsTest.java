package dev.trafficctl.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one place weights are checked: each a percentage, together 100, in the order given. */
class WeightsTest {

  private static String refusal(Map<String, Integer> weights) {
    return assertThrows(IllegalArgumentException.class, () -> Weights.of(weights)).getMessage();
  }

  @Test
  void weightsThatAddUpTo100KeepTheirOrder() {
    Map<String, Integer> given = new LinkedHashMap<>();
    given.put("v2", 10);
    given.put("v1", 90);
    Weights weights = Weights.of(given);
    assertEquals(List.of("v2", "v1"), List.copyOf(weights.percent().keySet()));
    assertEquals(90, weights.of("v1"));
    assertEquals(0, weights.of("v3"));
    assertEquals(100, Weights.of(Map.of("v1", 0, "v2", 100)).of("v2"));
  }

  @Test
  void refusesWhatIsNotAShareOfTraffic() {
    assertEquals(
        "weights add up to 110, they must add up to 100 (v1=90, v2=20)",
        refusal(ordered("v1", 90, "v2", 20)));
    assertEquals(
        "weights add up to 90, they must add up to 100 (v1=90)",
        refusal(new LinkedHashMap<>(Map.of("v1", 90))));
    assertEquals(
        "weight of v1 is 120, not a percentage (0..100)", refusal(ordered("v1", 120, "v2", -20)));
    Map<String, Integer> withNull = new HashMap<>();
    withNull.put("v1", null);
    assertEquals("weight of v1 is null, not a percentage (0..100)", refusal(withNull));
    assertEquals("no weights given", refusal(Map.of()));
  }

  @Test
  void theirJsonIsThePlainMapAndIsCheckedWhenRead() throws Exception {
    ObjectMapper json = JsonMapping.json();
    assertEquals(
        "{\"v1\":90,\"v2\":10}", json.writeValueAsString(Weights.of(ordered("v1", 90, "v2", 10))));
    assertEquals(
        Weights.of(ordered("v1", 90, "v2", 10)),
        json.readValue("{\"v1\":90,\"v2\":10}", Weights.class));
    assertThrows(Exception.class, () -> json.readValue("{\"v1\":90,\"v2\":20}", Weights.class));
  }

  private static Map<String, Integer> ordered(String a, int wa, String b, int wb) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    weights.put(a, wa);
    weights.put(b, wb);
    return weights;
  }
}
