package dev.trafficctl.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a document must be before it is parsed: at most 1 MB, and UTF-8. A larger one is refused
 * without parsing it, whose time grows with the square of a long value's length (a 5 MB value took
 * 48 s and 460 MB to refuse); a byte that is not UTF-8 is shown where it stands.
 */
class DocumentTextTest {

  private static final String CANARY =
      "canary:\n  api:\n    steps:\n      - traffic_percent: 100\n";

  @TempDir Path dir;

  /** The fuzz's case: one value of 5 MB. Refused by its size, at once (the time is printed). */
  @Test
  void aFiveMegabyteDocumentIsRefusedForItsSizeBeforeParsing() {
    String text = CANARY + "    progress_deadline: \"" + "9".repeat(5 * 1024 * 1024) + "s\"\n";
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;

    long started = System.nanoTime();
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class, () -> new DocumentLoader().parse("big.yaml", text));
    System.out.printf(
        "a %d-byte document refused in %d ms%n", bytes, (System.nanoTime() - started) / 1_000_000);

    assertEquals(
        "big.yaml: the document is "
            + bytes
            + " bytes (5.0 MB); a document may have at most 1048576 bytes (1 MB)",
        e.firstLine());
  }

  @Test
  void aFileOverTheLimitIsRefusedUnreadWithItsName() throws IOException {
    Path file = dir.resolve("canary.yaml");
    Files.write(file, padded(DocumentText.MAX_BYTES + 1));

    InvalidConfigException e =
        assertThrows(InvalidConfigException.class, () -> new DocumentLoader().load(file));

    assertEquals(
        file
            + ": the document is 1048577 bytes (1.0 MB); a document may have at most 1048576"
            + " bytes (1 MB)",
        e.firstLine());
  }

  /** The limit counts bytes, not characters: 600,000 two-byte characters are over it. */
  @Test
  void theLimitCountsUtf8Bytes() {
    String text = CANARY + "# " + "é".repeat(600_000) + "\n";
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;

    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class, () -> new DocumentLoader().parse("x.yaml", text));

    assertEquals(
        "x.yaml: the document is "
            + bytes
            + " bytes (1.1 MB); a document may have at most 1048576 bytes (1 MB)",
        e.firstLine());
  }

  @Test
  void aDocumentOfExactlyTheLimitIsRead() {
    byte[] document = padded(DocumentText.MAX_BYTES);

    LoadedDocument loaded = new DocumentLoader().parse("canary.yaml", document);

    assertEquals(DocumentType.CANARY, loaded.type());
  }

  @Test
  void aByteThatIsNotUtf8IsShownAtItsLineAndColumnWithItsField() {
    // "é" saved as Latin-1 in a Slack channel, after a correctly encoded "é" on the same line.
    byte[] document =
        bytes(
            "services:\n  api:\n    environments:\n      production:\n",
            "        router: { type: nginx, nginx: {} }\n",
            "        versions: { v1: { servers: [\"127.0.0.1:18081\"] } }\n",
            "        notifications: { slack: { channel: \"#équipe-d",
            new byte[] {(byte) 0xe9},
            "ploiement\" } }\n");

    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class,
            () -> new DocumentLoader().parse("trafficctl.yaml", document));

    assertEquals(
        "trafficctl.yaml:7:54: services.api.environments.production.notifications.slack.channel:"
            + " byte 0xe9 is not UTF-8 (a document is UTF-8 text: save it as UTF-8)",
        e.firstLine());
  }

  @Test
  void aByteThatIsNotUtf8InACommentHasNoField() {
    byte[] document = bytes(CANARY, "# r", new byte[] {(byte) 0xff}, "sum\u00e9\n");

    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class, () -> new DocumentLoader().parse("c.yaml", document));

    assertEquals(
        "c.yaml:5:4: byte 0xff is not UTF-8 (a document is UTF-8 text: save it as UTF-8)",
        e.firstLine());
  }

  /** A character cut short at the end of the file: its first byte is the one named. */
  @Test
  void aTruncatedCharacterAtTheEndIsNamedByItsFirstByte() {
    byte[] document = bytes(CANARY, "# caf", new byte[] {(byte) 0xc3});

    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class, () -> new DocumentLoader().parse("c.yaml", document));

    assertEquals(
        "c.yaml:5:6: byte 0xc3 is not UTF-8 (a document is UTF-8 text: save it as UTF-8)",
        e.firstLine());
  }

  @Test
  void aFileThatIsNotUtf8IsToldByItsPath() throws IOException {
    Path file = dir.resolve("canary.yaml");
    Files.write(file, bytes(CANARY, "    auto_promote: tru", new byte[] {(byte) 0xe9}, "\n"));

    InvalidConfigException e =
        assertThrows(InvalidConfigException.class, () -> new DocumentLoader().load(file));

    assertEquals(
        file
            + ":5:22: canary.api.auto_promote: byte 0xe9 is not UTF-8 (a document is UTF-8 text:"
            + " save it as UTF-8)",
        e.firstLine());
  }

  /** A valid canary made exactly {@code size} bytes long by a comment. */
  private static byte[] padded(int size) {
    StringBuilder text = new StringBuilder(CANARY);
    while (text.length() < size - 1) {
      text.append(text.length() % 100 == 0 ? '\n' : '#');
    }
    return text.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Text as UTF-8 and raw bytes, in order. */
  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      byte[] b =
          part instanceof byte[] raw ? raw : ((String) part).getBytes(StandardCharsets.UTF_8);
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }
}
