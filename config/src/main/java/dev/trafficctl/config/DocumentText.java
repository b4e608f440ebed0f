package dev.trafficctl.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a document must be before it is parsed: at most {@link #MAX_BYTES} long, and UTF-8 text.
 * Both are checked on the bytes, so that a refusal costs no parsing: the YAML reader's time grows
 * with the square of a long value's length (a 5 MB value took 48 s and 460 MB to refuse), and a
 * byte that is not UTF-8 is best told where it stands, which a decoder's exception does not say.
 */
final class DocumentText {

  /** The largest document read, in bytes: far above any real one (they are a few kB). */
  static final int MAX_BYTES = 1024 * 1024;

  private DocumentText() {}

  /** The text of {@code bytes}, or the one-line reason they are not a document's text. */
  static String decode(String source, byte[] bytes) {
    requireSize(source, bytes.length);
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = utf8.decode(in, out, true);
    if (result.isError()) {
      throw notUtf8(source, bytes, in.position());
    }
    utf8.flush(out);
    return out.flip().toString();
  }

  /** Refuses a document of {@code size} bytes when it is over {@link #MAX_BYTES}. */
  static void requireSize(String source, long size) {
    if (size > MAX_BYTES) {
      throw tooLarge(
          source,
          String.format(Locale.ROOT, "%d bytes (%.1f MB)", size, size / (double) MAX_BYTES));
    }
  }

  /** Refuses a document read as far as the limit and found to go on: its size is not known. */
  static InvalidConfigException longerThanLimit(String source) {
    return tooLarge(source, "more than 1 MB");
  }

  private static InvalidConfigException tooLarge(String source, String size) {
    return refused(
        source,
        0,
        0,
        "",
        "the document is " + size + "; a document may have at most " + MAX_BYTES + " bytes (1 MB)");
  }

  /** Refuses {@code text} when its UTF-8 form is over {@link #MAX_BYTES}. */
  static void requireSize(String source, String text) {
    // Every char is at least one byte: a text with more chars is too long whatever they are.
    requireSize(source, text.length() > MAX_BYTES ? text.length() : utf8Length(text));
  }

  private static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4; // with the low surrogate that follows
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /**
   * The first byte that is not UTF-8, at its line and column (columns count characters, as the
   * parser's positions do), and the field whose value holds it when the line has one.
   */
  private static InvalidConfigException notUtf8(String source, byte[] bytes, int offset) {
    int lineStart = 0;
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    // The bytes from the line's start to the bad one decoded fine: count their characters.
    String before = new String(bytes, lineStart, offset - lineStart, StandardCharsets.UTF_8);
    int column = before.codePointCount(0, before.length()) + 1;
    String path = fieldAt(bytes, line, column).orElse("");
    return refused(
        source,
        line,
        column,
        path,
        String.format(
            Locale.ROOT,
            "byte 0x%02x is not UTF-8 (a document is UTF-8 text: save it as UTF-8)",
            bytes[offset] & 0xff));
  }

  /** The field whose value stands on {@code line} before {@code column}, read leniently. */
  private static Optional<String> fieldAt(byte[] bytes, int line, int column) {
    String lenient = new String(bytes, StandardCharsets.UTF_8); // bad bytes become U+FFFD
    return SourceMap.of(JsonMapping.yaml().getFactory(), lenient).fieldBefore(line, column);
  }

  private static InvalidConfigException refused(
      String source, int line, int column, String path, String message) {
    return new InvalidConfigException(
        List.of(new ConfigProblem(source, line, column, path, message)));
  }
}
