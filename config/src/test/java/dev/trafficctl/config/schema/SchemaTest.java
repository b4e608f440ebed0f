package dev.trafficctl.config.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.DocumentType;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.config.canary.CanaryDocument;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated schemas accept every example document the loader accepts, and still reject what
 * they are meant to catch (unknown keys, wrong enum values, malformed durations), so they can fail.
 */
class SchemaTest {

  private static final ObjectMapper YAML = JsonMapping.yaml();
  private static final ObjectMapper JSON = JsonMapping.json();
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final SchemaGenerator GENERATOR = new SchemaGenerator();
  private static final Map<DocumentType, JsonSchema> SCHEMAS = new EnumMap<>(DocumentType.class);

  private static synchronized JsonSchema schema(DocumentType type) {
    return SCHEMAS.computeIfAbsent(type, t -> FACTORY.getSchema(GENERATOR.schemaFor(t)));
  }

  /** The spec's example documents and the project's example catalog. */
  static Stream<String> examples() throws IOException, URISyntaxException {
    Path dir = Path.of(SchemaTest.class.getResource("/spec").toURI());
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .sorted()
          .forEach(n -> names.add("/spec/" + n));
    }
    names.add("/examples/trafficctl.yaml");
    return names.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleValidatesAgainstTheSchemaOfItsType(String resource) throws IOException {
    JsonNode document = readYaml(resource);
    Optional<DocumentType> type = typeOf(document);
    Assumptions.assumeTrue(
        type.isPresent(), resource + ": no document type for its root key yet, nothing to check");

    assertValid(type.get(), document, resource);
  }

  /**
   * Explicit nulls are where the loader and a naive schema disagree: the loader takes {@code ~} as
   * "use the default". Both must accept these.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "auto_promote: ~",
        "analysis: ~",
        "analysis: { interval: ~, on_inconclusive: ~ }",
        "notification: { channels: ~, events: ~ }",
        "progress_deadline: ~",
        "metrics: { success_rate: { threshold: 99, window: ~ }, response_time: ~ }",
      })
  void explicitNullsTheLoaderAcceptsAreValid(String field) throws IOException {
    String text = "canary:\n  api:\n    steps: [ { traffic_percent: 100 } ]\n    " + field + "\n";
    new DocumentLoader().parse("null-fields.yaml", text, CanaryDocument.class);
    assertValid(DocumentType.CANARY, YAML.readTree(text), field);
  }

  @Test
  void unknownKeyIsRejected() throws IOException {
    ObjectNode document = (ObjectNode) readYaml("/spec/canary.yaml");
    ((ObjectNode) document.at("/canary/api")).put("stepz", 1);

    assertRejected(DocumentType.CANARY, document, "stepz");
  }

  @Test
  void unknownKeyDeepInTheCatalogIsRejected() throws IOException {
    ObjectNode document = (ObjectNode) readYaml("/examples/trafficctl.yaml");
    ((ObjectNode) document.at("/services/api/environments/production/health")).put("path", "/up");

    assertRejected(DocumentType.CATALOG, document, "path");
  }

  /** The loader still reads the router's flat fields, so the schema accepts them, deprecated. */
  @Test
  void flatRouterFieldsAreValidAndMarkedDeprecated() throws IOException {
    JsonNode legacy = readYaml("/legacy/flat-router-catalog.yaml");
    ObjectNode router = (ObjectNode) legacy.at("/services/api/environments/production/router");
    router.put("nginx", "/usr/sbin/nginx").put("listen", "127.0.0.1:18080");
    assertValid(DocumentType.CATALOG, legacy, "the flat router fields");

    JsonNode properties =
        GENERATOR
            .schemaFor(DocumentType.CATALOG)
            .at("/$defs/EnvironmentEntry/properties/router/properties");
    assertTrue(properties.at("/listen/deprecated").asBoolean(), properties.toString());
    assertEquals(
        "Deprecated: write router.nginx.prefix.",
        properties.at("/nginx_prefix/description").asText());
    assertFalse(properties.at("/nginx/deprecated").asBoolean(), "the block is not deprecated");
    assertFalse(properties.at("/nginx/anyOf/1/deprecated").asBoolean(), "nor its object form");
    assertTrue(properties.at("/nginx/anyOf/2/deprecated").asBoolean(), "its text form is");
  }

  @Test
  void unknownKeyInARouterBlockIsRejected() throws IOException {
    ObjectNode document = (ObjectNode) readYaml("/examples/trafficctl.yaml");
    ((ObjectNode) document.at("/services/api/environments/production/router/nginx"))
        .put("nginx_prefix", "/srv/nginx");

    assertRejected(DocumentType.CATALOG, document, "nginx_prefix");
  }

  @Test
  void wrongEnumValueIsRejected() throws IOException {
    ObjectNode document = (ObjectNode) readYaml("/spec/canary.yaml");
    ((ArrayNode) document.at("/canary/api/notification/channels")).set(1, "pager");

    assertRejected(DocumentType.CANARY, document, "enum");
  }

  @Test
  void enumConstantNameInsteadOfWireNameIsRejected() throws IOException {
    ObjectNode document = (ObjectNode) readYaml("/examples/trafficctl.yaml");
    ((ObjectNode) document.at("/services/api/environments/staging/metrics"))
        .put("provider", "NGINX_LOG");

    assertRejected(DocumentType.CATALOG, document, "enum");
  }

  @Test
  void durationWithoutUnitNotationIsRejected() throws IOException {
    ObjectNode document = (ObjectNode) readYaml("/spec/canary.yaml");
    ((ObjectNode) document.at("/canary/api/steps/0")).put("duration", "5 minutes");

    assertRejected(DocumentType.CANARY, document, "pattern");
  }

  @Test
  void missingPrimitiveIsRejected() throws IOException {
    ObjectNode document = (ObjectNode) readYaml("/spec/canary.yaml");
    ((ObjectNode) document.at("/canary/api/steps/0")).remove("traffic_percent");

    assertRejected(DocumentType.CANARY, document, "traffic_percent");
  }

  @ParameterizedTest
  @EnumSource(DocumentType.class)
  void everyDocumentTypeNeedsItsRootKeyAndNothingBesides(DocumentType type) {
    ObjectNode document = YAML.createObjectNode();
    document.putObject(type.rootKey());
    document.put("extra_top_level_key", 1);
    assertRejected(type, document, "extra_top_level_key");

    assertRejected(type, YAML.createObjectNode(), type.rootKey());
  }

  @ParameterizedTest
  @EnumSource(DocumentType.class)
  void schemaIsAValidDraft202012Schema(DocumentType type) {
    JsonSchema metaSchema = FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012));
    Set<ValidationMessage> errors = metaSchema.validate(GENERATOR.schemaFor(type));
    assertTrue(errors.isEmpty(), () -> type + " schema: " + describe(errors));
  }

  @Test
  void writerWritesOneFilePerDocumentType(@TempDir Path dir) throws IOException {
    List<Path> written = SchemaWriter.writeAll(dir);

    assertEquals(DocumentType.values().length, written.size());
    for (DocumentType type : DocumentType.values()) {
      Path file = dir.resolve(SchemaWriter.fileName(type));
      assertTrue(Files.isRegularFile(file), "missing " + file);
      assertEquals(generatedAsRead(type), JSON.readTree(file.toFile()), file.toString());
    }
  }

  @Test
  void fileNamesFollowTheRootKeyAndNeverCollide() {
    assertEquals("canary.schema.json", SchemaWriter.fileName(DocumentType.CANARY));
    assertEquals("services.schema.json", SchemaWriter.fileName(DocumentType.CATALOG));
    Set<String> names =
        Arrays.stream(DocumentType.values())
            .map(SchemaWriter::fileName)
            .collect(Collectors.toSet());
    assertEquals(DocumentType.values().length, names.size(), names.toString());
  }

  /** The build's exec-maven-plugin execution ran, so the jar carries current schemas. */
  @ParameterizedTest
  @EnumSource(DocumentType.class)
  void buildShipsCurrentSchemasOnTheClasspath(DocumentType type) throws IOException {
    String resource = SchemaWriter.RESOURCE_DIR + SchemaWriter.fileName(type);
    try (InputStream in = SchemaTest.class.getResourceAsStream(resource)) {
      assertNotNull(
          in, resource + " is not on the classpath: run `mvn process-classes -pl config`");
      JsonNode shipped = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      assertEquals(generatedAsRead(type), shipped, resource + " is stale");
    }
  }

  /** The schema as it reads back from a file (number node types differ from the generator's). */
  private static JsonNode generatedAsRead(DocumentType type) throws IOException {
    return JSON.readTree(JSON.writeValueAsString(GENERATOR.schemaFor(type)));
  }

  private static void assertValid(DocumentType type, JsonNode document, String what) {
    Set<ValidationMessage> errors = schema(type).validate(document);
    assertTrue(errors.isEmpty(), () -> what + " does not match its schema: " + describe(errors));
  }

  private static void assertRejected(DocumentType type, JsonNode document, String mentioning) {
    Set<ValidationMessage> errors = schema(type).validate(document);
    assertFalse(errors.isEmpty(), "the " + type + " schema accepted " + document);
    assertTrue(
        errors.stream().anyMatch(e -> e.getMessage().contains(mentioning)),
        () -> "no error mentions '" + mentioning + "': " + describe(errors));
  }

  private static Optional<DocumentType> typeOf(JsonNode document) {
    for (Iterator<String> keys = document.fieldNames(); keys.hasNext(); ) {
      Optional<DocumentType> type = DocumentType.byRootKey(keys.next());
      if (type.isPresent()) {
        return type;
      }
    }
    return Optional.empty();
  }

  private static JsonNode readYaml(String resource) throws IOException {
    try (InputStream in = SchemaTest.class.getResourceAsStream(resource)) {
      assertNotNull(in, resource);
      return YAML.readTree(in);
    }
  }

  private static String describe(Set<ValidationMessage> errors) {
    return errors.stream().map(ValidationMessage::getMessage).sorted().toList().toString();
  }
}
