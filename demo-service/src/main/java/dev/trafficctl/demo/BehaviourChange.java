package dev.trafficctl.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A run-time change of {@link Behaviour}, as sent to {@code POST /admin/config}: any of {@code
 * error_rate}, {@code latency}, {@code latency_jitter}, {@code healthy}, as a form ({@code
 * error_rate=50&latency=200ms}) or a JSON object ({@code {"error_rate": 50, "healthy": false}}).
 * Fields left out keep their value; unknown fields are errors, so a typo never passes as a no-op.
 */
record BehaviourChange(
    Optional<Double> errorRate,
    Optional<Duration> latency,
    Optional<Duration> latencyJitter,
    Optional<Boolean> healthy) {

  static final Set<String> FIELDS = Set.of("error_rate", "latency", "latency_jitter", "healthy");

  /** The new behaviour: {@code current} with the fields this change sets. */
  Behaviour applyTo(Behaviour current) {
    return new Behaviour(
        errorRate.orElse(current.errorRate()),
        latency.orElse(current.latency()),
        latencyJitter.orElse(current.latencyJitter()),
        healthy.orElse(current.healthy()));
  }

  /**
   * Reads a request body: JSON when the content type says so or the body starts with a brace, else
   * a URL-encoded form.
   *
   * @throws IllegalArgumentException with a one-line message on anything malformed
   */
  static BehaviourChange parse(String contentType, String body, ObjectMapper json) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    boolean isJson = type.contains("json") || body.stripLeading().startsWith("{");
    return of(isJson ? jsonFields(body, json) : formFields(body));
  }

  /** A change from field names to their text; a value must parse as its field's type. */
  static BehaviourChange of(Map<String, String> fields) {
    for (String name : fields.keySet()) {
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            name + ": unknown field (known: error_rate, latency, latency_jitter, healthy)");
      }
    }
    Optional<Double> errorRate =
        Optional.ofNullable(fields.get("error_rate")).map(BehaviourChange::percentage);
    Optional<Duration> latency =
        Optional.ofNullable(fields.get("latency")).map(t -> DemoDurations.parse("latency", t));
    Optional<Duration> jitter =
        Optional.ofNullable(fields.get("latency_jitter"))
            .map(t -> DemoDurations.parse("latency_jitter", t));
    Optional<Boolean> healthy =
        Optional.ofNullable(fields.get("healthy")).map(BehaviourChange::bool);
    return new BehaviourChange(errorRate, latency, jitter, healthy);
  }

  private static double percentage(String text) {
    double value;
    try {
      value = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "error_rate: '" + text + "' is not a percentage (0..100)", e);
    }
    if (Double.isNaN(value) || value < 0 || value > 100) {
      throw new IllegalArgumentException("error_rate: " + text + " is not a percentage (0..100)");
    }
    return value;
  }

  private static boolean bool(String text) {
    return switch (text.trim()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("healthy: '" + text + "' is not true or false");
    };
  }

  private static Map<String, String> formFields(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : body.split("&", -1)) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (fields.put(name.trim(), value) != null) {
        throw new IllegalArgumentException(name + ": given twice");
      }
    }
    return fields;
  }

  private static Map<String, String> jsonFields(String body, ObjectMapper json) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "body: not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("body: expected a JSON object");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      JsonNode value = field.getValue();
      if (!value.isValueNode() || value.isNull()) {
        throw new IllegalArgumentException(field.getKey() + ": expected a number, text or boolean");
      }
      fields.put(field.getKey(), value.asText());
    }
    return fields;
  }
}
