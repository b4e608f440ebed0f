package dev.trafficctl.activities.notify.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.workflows.ports.RolloutNotification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Real payloads against {@code docs/webhook-payload.schema.json}: every field the payload has is
 * described and required, every described field is there, and each value has a type the schema
 * allows. (The schema validator is not on this module's classpath; this checks the keywords the
 * schema uses: type, const, enum, required, properties, additionalProperties, items, minimum,
 * maximum.)
 */
class WebhookPayloadSchemaTest {

  private static final ObjectMapper JSON = JsonMapping.json();
  private static final String URL = "https://ci.example.com/hooks/rollouts?token=t";

  private static JsonNode schema() throws IOException {
    // Surefire runs in the module's directory; docs/ is beside it.
    return JSON.readTree(Files.readString(Path.of("..", "docs", "webhook-payload.schema.json")));
  }

  private static JsonNode payload(RolloutNotification n) throws IOException {
    return JSON.readTree(WebhookSender.body(WebhookPayload.of(n, WebhookEvents.message(n).link())));
  }

  @Test
  void aRolledBackPayloadWithAnalysisAndActionsMatchesTheSchema() throws IOException {
    JsonNode payload = payload(WebhookEvents.rolledBack(URL));

    assertEquals(List.of(), violations(schema(), payload, "$"));
    assertTrue(payload.get("analysis").isObject(), "the nested objects were checked too");
  }

  @Test
  void aStartedPayloadWithNullsMatchesTheSchema() throws IOException {
    assertEquals(List.of(), violations(schema(), payload(WebhookEvents.started(URL)), "$"));
  }

  @Test
  void theCheckerCatchesAFieldTheSchemaDoesNotDescribeOrAWrongType() throws IOException {
    ObjectNode payload = (ObjectNode) payload(WebhookEvents.started(URL));
    payload.put("surprise", 1);
    payload.put("step", "1");
    payload.remove("link");

    List<String> violations = violations(schema(), payload, "$");

    assertTrue(violations.contains("$: not described: [surprise]"), violations.toString());
    assertTrue(violations.contains("$: missing: [link]"), violations.toString());
    assertTrue(violations.contains("$.step: \"1\" is not integer"), violations.toString());
  }

  @Test
  void theSchemaRequiresEveryPropertyItDescribes() throws IOException {
    JsonNode schema = schema();
    assertEquals(names(schema.get("properties")), strings(schema.get("required")), "top level");
    JsonNode analysis = schema.get("properties").get("analysis");
    assertEquals(names(analysis.get("properties")), strings(analysis.get("required")));
    JsonNode check = analysis.get("properties").get("checks").get("items");
    assertEquals(names(check.get("properties")), strings(check.get("required")));
    JsonNode action = schema.get("properties").get("last_action");
    assertEquals(names(action.get("properties")), strings(action.get("required")));
    assertEquals(
        WebhookPayload.SCHEMA_VERSION, schema.at("/properties/schema_version/const").intValue());
  }

  /** Where {@code value} breaks {@code schema}; empty when it does not. */
  private static List<String> violations(JsonNode schema, JsonNode value, String at) {
    List<String> out = new ArrayList<>();
    if (schema.has("const") && !schema.get("const").equals(value)) {
      out.add(at + ": " + value + " is not " + schema.get("const"));
    }
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode allowed : schema.get("enum")) {
        listed |= allowed.equals(value);
      }
      if (!listed) {
        out.add(at + ": " + value + " is not one of " + schema.get("enum"));
      }
    }
    if (schema.has("type") && !typeAllowed(schema.get("type"), value)) {
      out.add(at + ": " + value + " is not " + typeName(schema.get("type")));
      return out;
    }
    if (schema.has("minimum")
        && value.isNumber()
        && value.doubleValue() < schema.get("minimum").doubleValue()) {
      out.add(at + ": " + value + " < " + schema.get("minimum"));
    }
    if (schema.has("maximum")
        && value.isNumber()
        && value.doubleValue() > schema.get("maximum").doubleValue()) {
      out.add(at + ": " + value + " > " + schema.get("maximum"));
    }
    if (value.isObject()) {
      Set<String> present = names(value);
      if (schema.has("required")) {
        Set<String> missing = strings(schema.get("required"));
        missing.removeAll(present);
        if (!missing.isEmpty()) {
          out.add(at + ": missing: " + missing);
        }
      }
      if (schema.has("properties")) {
        Set<String> undescribed = new TreeSet<>(present);
        undescribed.removeAll(names(schema.get("properties")));
        if (!undescribed.isEmpty() && !schema.has("additionalProperties")) {
          out.add(at + ": not described: " + undescribed);
        }
        schema
            .get("properties")
            .properties()
            .forEach(
                p -> {
                  if (value.has(p.getKey())) {
                    out.addAll(
                        violations(p.getValue(), value.get(p.getKey()), at + "." + p.getKey()));
                  }
                });
      } else if (schema.has("additionalProperties")) {
        value
            .properties()
            .forEach(
                f ->
                    out.addAll(
                        violations(
                            schema.get("additionalProperties"),
                            f.getValue(),
                            at + "." + f.getKey())));
      }
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        out.addAll(violations(schema.get("items"), value.get(i), at + "[" + i + "]"));
      }
    }
    return out;
  }

  private static String typeName(JsonNode type) {
    return type.isTextual() ? type.textValue() : type.toString();
  }

  private static boolean typeAllowed(JsonNode type, JsonNode value) {
    List<String> types = new ArrayList<>();
    if (type.isArray()) {
      type.forEach(t -> types.add(t.textValue()));
    } else {
      types.add(type.textValue());
    }
    return types.stream()
        .anyMatch(
            t ->
                switch (t) {
                  case "null" -> value.isNull();
                  case "string" -> value.isTextual();
                  case "integer" -> value.isIntegralNumber();
                  case "number" -> value.isNumber();
                  case "boolean" -> value.isBoolean();
                  case "object" -> value.isObject();
                  case "array" -> value.isArray();
                  default -> false;
                });
  }

  private static Set<String> names(JsonNode object) {
    Set<String> names = new TreeSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new TreeSet<>();
    array.forEach(s -> out.add(s.textValue()));
    return out;
  }

  @Test
  void nullIsNotAnObject() {
    assertFalse(typeAllowed(JSON.getNodeFactory().textNode("object"), JSON.nullNode()));
  }
}
