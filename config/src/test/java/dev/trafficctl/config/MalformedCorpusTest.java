package dev.trafficctl.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in {@code malformed/} is a broken document whose first line, {@code # expect: ...}, is
 * the exact one-line error it must produce.
 */
class MalformedCorpusTest {

  private static final String EXPECT = "# expect: ";

  static Stream<Path> corpus() throws IOException, URISyntaxException {
    Path dir = Path.of(MalformedCorpusTest.class.getResource("/malformed").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  void corpusCoversEveryDocumentTypeWithAtLeastForty() throws Exception {
    List<Path> files = corpus().toList();
    assertTrue(files.size() >= 40, "malformed corpus has " + files.size() + " documents");
    for (DocumentType type : DocumentType.values()) {
      String prefix = type.rootKey().replace('_', '-');
      assertTrue(
          files.stream().anyMatch(f -> f.getFileName().toString().startsWith(prefix + "-")),
          "no malformed " + type.title() + " document (files named " + prefix + "-*.yaml)");
    }
  }

  /**
   * Read as bytes, as the loader reads a file, so that a document which is not UTF-8 text is part
   * of the corpus too; its first line, the expectation, is.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void givesItsExactOneLineError(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String firstLine = firstLine(bytes);
    assertTrue(firstLine.startsWith(EXPECT), file + " must start with '" + EXPECT + "'");
    String expected = firstLine.substring(EXPECT.length());

    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class,
            () -> new DocumentLoader().parse(file.getFileName().toString(), bytes));

    assertEquals(expected, e.firstLine());
    for (ConfigProblem problem : e.problems()) {
      assertTrue(problem.line() > 0, "every problem has a line: " + problem);
      assertEquals(1, problem.toString().lines().count(), "one line: " + problem);
    }
  }

  private static String firstLine(byte[] bytes) {
    int end = 0;
    while (end < bytes.length && bytes[end] != '\n') {
      end++;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }
}
