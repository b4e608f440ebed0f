package dev.trafficctl.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trafficctl.config.canary.CanaryDocument;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tabs: YAML refuses them in indentation only. Each case is written with a tab ({@code →} below)
 * where YAML allows one and reads as the same document written with a space, while tabs that are
 * part of a value stay in it and tabs in indentation are still refused.
 */
class YamlTabsTest {

  private static final ObjectMapper YAML = JsonMapping.yaml();

  /** A tab where the second document has a space (or nothing) reads as that document. */
  static Stream<Arguments> separatingTabs() {
    return Stream.of(
        Arguments.of("a:→1", "a: 1"),
        Arguments.of("a: \"x\"→", "a: \"x\""),
        Arguments.of("a: 1→\r\nb:→2\r\n", "a: 1\nb: 2\n"),
        Arguments.of("a:\n-→1", "a:\n- 1"),
        Arguments.of("k:\n  - \"q\"→# a comment\n  -→x", "k:\n  - \"q\"\n  - x"),
        Arguments.of("a: [1,→2]", "a: [1, 2]"),
        Arguments.of("a: {b:→1,→c: \"x\"→}", "a: {b: 1, c: \"x\"}"),
        Arguments.of("a:→# a comment\n  b: 1", "a:\n  b: 1"),
        Arguments.of("a: x→#c", "a: x"),
        Arguments.of("a: 1\n→\nb: 2", "a: 1\n\nb: 2"),
        Arguments.of("→# a comment\na: 1", "a: 1"),
        Arguments.of("a→: 1", "a: 1"),
        Arguments.of("a: &x→v\nb: *x", "a: &x v\nb: *x"),
        Arguments.of("a:→|\n  x", "a: |\n  x"),
        // A block scalar ends where a line is not indented beyond its key: `b:` is a key again.
        Arguments.of("- a: |\n    x\n  b:→1", "- a: |\n    x\n  b: 1"),
        // JSON indented with tabs: inside brackets and braces, lines are not indented.
        Arguments.of("{\n→\"a\": [\n→→1,\n→→2\n→]\n}", "{\"a\": [1, 2]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("separatingTabs")
  void aTabThatSeparatesReadsAsASpace(String withTabs, String withSpaces) throws Exception {
    String text = tabs(withTabs);
    String read = YamlTabs.separatorsAsSpaces(text);

    assertEquals(text.length(), read.length(), "one character for one, positions stay true");
    assertEquals(YAML.readTree(withSpaces), YAML.readTree(read));
  }

  /** A tab inside a value is the value's: the parser keeps it, and so must the rewrite. */
  static Stream<Arguments> tabsInValues() {
    return Stream.of(
        Arguments.of("a: x→y", "/a", "x\ty"),
        Arguments.of("a: \"x:→y\"", "/a", "x:\ty"),
        Arguments.of("a: 'it''s→: x'", "/a", "it's\t: x"),
        Arguments.of("a: \"x\n  y:→z\"", "/a", "x y:\tz"),
        Arguments.of("a: |\n  x:→y\n", "/a", "x:\ty\n"),
        Arguments.of("a: |\n →x\n", "/a", "\tx\n"),
        Arguments.of("a:\n  b: >-\n    x:→y\n  c: 1", "/a/b", "x:\ty"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tabsInValues")
  void aTabInAValueIsKept(String withTabs, String pointer, String value) throws Exception {
    JsonNode read = YAML.readTree(YamlTabs.separatorsAsSpaces(tabs(withTabs)));

    assertEquals(value, read.at(pointer).asText());
  }

  /** A quote inside a plain value opens nothing: the later quoted value keeps its tab. */
  @Test
  void anApostropheInAPlainValueIsNotAQuote() throws Exception {
    JsonNode read = YAML.readTree(YamlTabs.separatorsAsSpaces(tabs("a: it's\nb: 'x:→y'")));

    assertEquals("it's", read.get("a").asText());
    assertEquals("x:\ty", read.get("b").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"canary:\n→api: {}", "canary:\n  →api: {}"})
  void aTabInIndentationIsStillRefused(String withTabs) {
    String text = tabs(withTabs);

    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class,
            () -> new DocumentLoader().parse("tabs.yaml", text, CanaryDocument.class));

    assertEquals(
        "tabs.yaml:2:"
            + (text.indexOf('\t') - text.indexOf('\n'))
            + ": syntax error: a tab character; YAML is indented with spaces only",
        e.firstLine());
  }

  /**
   * Where a tab is in doubt the rewrite leaves it, and the parser's refusal names it for what it
   * is: here the line after a plain value's continuation that begins with a quote, which the
   * rewrite takes for a quoted value that goes on.
   */
  @Test
  void aTabLeftInDoubtIsNotCalledIndentation() {
    String text = tabs("canary:\n  api:\n    steps: x\n      'y\n    auto_promote:→true\n");

    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class,
            () -> new DocumentLoader().parse("tabs.yaml", text, CanaryDocument.class));

    assertEquals(
        "tabs.yaml:5:18: syntax error: a tab character where YAML reads only a space here;"
            + " write a space",
        e.firstLine());
  }

  /** The spec's canary with a tab after every colon and at every line's end is the same. */
  @Test
  void theSpecsCanaryWithTabsLoadsAsWritten() throws Exception {
    String spec = SpecExamplesTest.resource("/spec/canary.yaml");
    String tabbed = spec.replace(": ", ":\t").replace("\n", "\t\n");
    assertTrue(tabbed.chars().filter(c -> c == '\t').count() > 40, "tabs in many places");

    DocumentLoader loader = new DocumentLoader();
    assertEquals(
        loader.parse("canary.yaml", spec).value(), loader.parse("canary.yaml", tabbed).value());
  }

  @Test
  void indentsTellsIndentationFromSeparation() {
    String text = "a:\n \tb:\tc";
    assertTrue(YamlTabs.indents(text, text.indexOf('\t')));
    assertFalse(YamlTabs.indents(text, text.lastIndexOf('\t')));
    // Positions count code points, as the parser's do: an emoji is one, two chars.
    String emoji = "a: \uD83D\uDE00\tb";
    assertFalse(YamlTabs.indents(emoji, emoji.indexOf('\t') - 1));
  }

  /** Cases are written with {@code →} for a tab, to be read. */
  private static String tabs(String text) {
    return text.replace('→', '\t');
  }
}
