package dev.trafficctl.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.trafficctl.config.abtest.AbTestDocument;
import dev.trafficctl.config.schema.SchemaGenerator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An empty value ({@code ""}) is an error for every field of every document type, in the loader and
 * in the JSON Schemas alike: one contract. Each example document is read with one field at a time
 * set to {@code ""}: each field it has, and each scalar field its schema allows that it leaves out
 * (so fields the examples do not write are checked too).
 */
class EmptyValueTest {

  private static final ObjectMapper YAML = JsonMapping.yaml();
  private static final SchemaGenerator GENERATOR = new SchemaGenerator();
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  /** A field set to "" in a copy of the document: where, and its field path in messages. */
  private record Slot(JsonPointer parent, String name, int index, String path) {}

  static List<String> examples() {
    return SpecExamplesTest.examples().map(a -> (String) a.get()[0]).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyFieldRefusesTheEmptyValueInTheLoaderAndTheSchema(String name) throws Exception {
    JsonNode document = YAML.readTree(SpecExamplesTest.resource(name));
    DocumentType type = new DocumentLoader().parse(name, YAML.writeValueAsString(document)).type();
    JsonNode schemaJson = GENERATOR.schemaFor(type);
    JsonSchema schema = FACTORY.getSchema(schemaJson);
    List<Slot> slots = new ArrayList<>();
    slots(document, schemaJson, schemaJson, JsonPointer.empty(), "", slots);

    List<String> accepted = new ArrayList<>();
    for (Slot slot : slots) {
      JsonNode mutated = withEmpty(document, slot);
      String text = YAML.writeValueAsString(mutated);
      try {
        InvalidConfigException e =
            assertThrows(
                InvalidConfigException.class, () -> new DocumentLoader().parse(name, text));
        if (e.problems().stream().noneMatch(p -> p.path().equals(slot.path()))) {
          accepted.add(slot.path() + ": refused for something else: " + e.firstLine());
        }
      } catch (AssertionError loaderAccepted) {
        accepted.add(slot.path() + ": the loader accepts \"\"");
      }
      if (schema.validate(mutated).isEmpty()) {
        accepted.add(slot.path() + ": the schema accepts \"\"");
      }
    }

    assertTrue(slots.size() >= 10, name + ": only " + slots.size() + " fields found to empty");
    assertEquals(List.of(), accepted, name + ", of " + slots.size() + " fields emptied");
  }

  /** The issue's own case, and its one-line error. */
  @Test
  void anEmptyPowerIsNotTheDefaultPower() throws Exception {
    String text =
        SpecExamplesTest.resource("/spec/new-ui.yaml").replace("power: 0.80", "power: \"\"");

    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class,
            () -> new DocumentLoader().parse("new-ui.yaml", text, AbTestDocument.class));

    assertEquals(
        "new-ui.yaml:36:12: ab_test.monitoring.power: is empty (it must be a number)",
        e.firstLine());
  }

  /** A field written with no value is YAML's null, as {@code ~} is: the default, not an error. */
  @Test
  void aFieldWithNoValueStillTakesItsDefault() throws Exception {
    String text = SpecExamplesTest.resource("/spec/new-ui.yaml").replace("power: 0.80", "power:");

    AbTestDocument doc = new DocumentLoader().parse("new-ui.yaml", text, AbTestDocument.class);

    assertEquals(0.80, doc.abTest().monitoring().power());
  }

  /**
   * Every scalar field under {@code node} that the document writes, or that {@code schema} allows
   * and the document leaves out, as a slot to empty.
   */
  private static void slots(
      JsonNode node, JsonNode schema, JsonNode root, JsonPointer at, String path, List<Slot> into) {
    JsonNode s = resolve(schema, root, node);
    if (node.isObject()) {
      JsonNode properties = s.path("properties");
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        String field = property.getKey();
        String fieldPath = path.isEmpty() ? field : path + "." + field;
        JsonNode child = node.get(field);
        if (child == null || child.isValueNode()) {
          if (isScalar(property.getValue(), root)) {
            into.add(new Slot(at, field, -1, fieldPath));
          }
        } else {
          slots(
              child,
              property.getValue(),
              root,
              at.append(JsonPointer.compile("/" + escape(field))),
              fieldPath,
              into);
        }
      }
      JsonNode values = s.path("additionalProperties");
      if (values.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> entry = it.next();
          String fieldPath = path + "." + entry.getKey();
          if (entry.getValue().isValueNode()) {
            into.add(new Slot(at, entry.getKey(), -1, fieldPath));
          } else {
            slots(
                entry.getValue(),
                values,
                root,
                at.append(JsonPointer.compile("/" + escape(entry.getKey()))),
                fieldPath,
                into);
          }
        }
      }
    } else if (node.isArray()) {
      JsonNode items = s.path("items");
      for (int i = 0; i < node.size(); i++) {
        String itemPath = path + "[" + i + "]";
        if (node.get(i).isValueNode()) {
          into.add(new Slot(at, null, i, itemPath));
        } else {
          slots(node.get(i), items, root, at.append(JsonPointer.compile("/" + i)), itemPath, into);
        }
      }
    }
  }

  /** The schema of {@code node}: {@code $ref} followed, of {@code anyOf} the one of its kind. */
  private static JsonNode resolve(JsonNode schema, JsonNode root, JsonNode node) {
    if (schema.has("$ref")) {
      return resolve(root.at(schema.get("$ref").asText().substring(1)), root, node);
    }
    if (schema.has("anyOf")) {
      for (JsonNode option : schema.get("anyOf")) {
        JsonNode resolved = resolve(option, root, node);
        boolean container = hasType(resolved, "object") || hasType(resolved, "array");
        if (container == node.isContainerNode() && !hasType(resolved, "null")) {
          return resolved;
        }
      }
    }
    return schema;
  }

  /** Whether a field of this schema holds text, a number, true or false: what "" stands in for. */
  private static boolean isScalar(JsonNode schema, JsonNode root) {
    if (schema.has("$ref")) {
      return isScalar(root.at(schema.get("$ref").asText().substring(1)), root);
    }
    if (schema.has("anyOf")) {
      for (JsonNode option : schema.get("anyOf")) {
        if (isScalar(option, root)) {
          return true;
        }
      }
      return false;
    }
    return schema.has("enum")
        || hasType(schema, "string")
        || hasType(schema, "number")
        || hasType(schema, "integer")
        || hasType(schema, "boolean");
  }

  private static boolean hasType(JsonNode schema, String type) {
    JsonNode types = schema.path("type");
    if (types.isTextual()) {
      return types.asText().equals(type);
    }
    for (JsonNode t : types) {
      if (t.asText().equals(type)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode withEmpty(JsonNode document, Slot slot) {
    JsonNode copy = document.deepCopy();
    JsonNode parent = copy.at(slot.parent());
    if (slot.name() != null) {
      ((ObjectNode) parent).put(slot.name(), "");
    } else {
      ((ArrayNode) parent).set(slot.index(), TextNode.valueOf(""));
    }
    return copy;
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
