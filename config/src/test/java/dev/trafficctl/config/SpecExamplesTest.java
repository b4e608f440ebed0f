package dev.trafficctl.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The spec's own example documents, copied unchanged, load and validate; so does the catalog. */
public class SpecExamplesTest {

  static Stream<Arguments> examples() {
    return Stream.of(
        Arguments.of("/spec/canary.yaml", DocumentType.CANARY),
        Arguments.of("/spec/blue-green.yaml", DocumentType.BLUE_GREEN),
        Arguments.of("/spec/splitting.yaml", DocumentType.TRAFFIC_SPLITTING),
        Arguments.of("/spec/nginx-api.yaml", DocumentType.LOAD_BALANCER),
        Arguments.of("/spec/new-ui.yaml", DocumentType.AB_TEST),
        Arguments.of("/examples/trafficctl.yaml", DocumentType.CATALOG));
  }

  /** A test resource's text, e.g. {@code /spec/canary.yaml}. */
  public static String resource(String name) throws Exception {
    return Files.readString(
        Path.of(SpecExamplesTest.class.getResource(name).toURI()), StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void loadsUnchanged(String name, DocumentType type) throws Exception {
    LoadedDocument doc = new DocumentLoader().parse(name, resource(name));
    assertEquals(type, doc.type());
  }

  /** The catalogs the project ships are written the current way: no deprecated field. */
  @ParameterizedTest
  @ValueSource(strings = {"/examples/trafficctl.yaml", "/examples/demo/trafficctl.yaml"})
  void shippedCatalogsLoadWithoutWarnings(String name) throws Exception {
    // The demo's catalog as scripts/stack.sh fills it in.
    String text = resource(name).replace("@DEMO@", "/srv/trafficctl-demo");
    LoadedDocument doc = new DocumentLoader().parse(name, text);
    assertEquals(DocumentType.CATALOG, doc.type());
    assertEquals(List.of(), doc.warnings());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void roundTripsThroughJson(String name, DocumentType type) throws Exception {
    Validatable fromYaml = new DocumentLoader().parse(name, resource(name)).value();
    String json = JsonMapping.json().writeValueAsString(fromYaml);
    Object fromJson = JsonMapping.json().readValue(json, type.recordType());
    assertEquals(fromYaml, fromJson);
    // The JSON is a document too: pipelines send the YAML document as JSON.
    assertEquals(fromYaml, new DocumentLoader().parse("doc.json", json).value());
  }
}
