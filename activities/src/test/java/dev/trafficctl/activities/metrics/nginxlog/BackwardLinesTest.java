package dev.trafficctl.activities.metrics.nginxlog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackwardLinesTest {

  @TempDir Path dir;

  /** What a visitor saw: lines (a trailing "$" marks an unterminated one) and overlong ones. */
  private static final class Recorder implements BackwardLines.Visitor {
    final List<String> lines = new ArrayList<>();
    int overlong;
    int stopAfter = Integer.MAX_VALUE;

    @Override
    public boolean line(byte[] bytes, int offset, int length, boolean terminated) {
      lines.add(new String(bytes, offset, length, UTF_8) + (terminated ? "" : "$"));
      return lines.size() < stopAfter;
    }

    @Override
    public void overlongLine() {
      lines.add("<overlong>");
      overlong++;
    }
  }

  private Recorder read(String content) throws IOException {
    return read(content.getBytes(UTF_8), new Recorder());
  }

  private Recorder read(byte[] content, Recorder recorder) throws IOException {
    Path file = dir.resolve("log");
    Files.write(file, content);
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long bytes = BackwardLines.read(in, recorder);
      if (recorder.stopAfter == Integer.MAX_VALUE) {
        assertEquals(content.length, bytes);
      }
    }
    return recorder;
  }

  @Test
  void smallFiles() throws IOException {
    assertEquals(List.of(), read("").lines);
    assertEquals(List.of(), read("\n\n").lines);
    assertEquals(List.of("c", "b", "a"), read("a\nb\nc\n").lines);
    assertEquals(List.of("c$", "b", "a"), read("a\nb\nc").lines);
    assertEquals(List.of("c", "b", "a"), read("a\n\nb\n\n\nc\n").lines);
    assertEquals(List.of("b\r", "a\r"), read("a\r\nb\r\n").lines);
  }

  @Test
  void randomLinesAcrossChunkBoundariesComeBackInReverse() throws IOException {
    Random random = new Random(42);
    List<String> lines = new ArrayList<>();
    StringBuilder content = new StringBuilder();
    while (content.length() < 5 * BackwardLines.CHUNK_BYTES) {
      int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 20_000 : 300);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < length; i++) {
        line.append((char) ('a' + random.nextInt(26)));
      }
      lines.add(line.toString());
      content.append(line).append('\n');
    }
    Collections.reverse(lines);

    assertEquals(lines, read(content.toString()).lines);
  }

  @Test
  void lineEndingExactlyAtAChunkBoundary() throws IOException {
    String first = "x".repeat(BackwardLines.CHUNK_BYTES - 1);
    String second = "y".repeat(BackwardLines.CHUNK_BYTES - 1);
    String content = first + "\n" + second + "\n" + "z\n";

    assertEquals(List.of("z", second, first), read(content).lines);
  }

  @Test
  void theLongestAllowedLineIsAssembled() throws IOException {
    String longest = "l".repeat(BackwardLines.MAX_LINE_BYTES);
    String content = "first\n" + longest + "\n" + "last\n";

    assertEquals(List.of("last", longest, "first"), read(content).lines);
  }

  @Test
  void overlongLinesAreReportedNotAssembled() throws IOException {
    String overlong = "o".repeat(3 * BackwardLines.CHUNK_BYTES);

    assertEquals(
        List.of("last", "<overlong>", "first"), read("first\n" + overlong + "\nlast\n").lines);
    assertEquals(List.of("last", "<overlong>"), read(overlong + "\nlast\n").lines);
    assertEquals(List.of("<overlong>"), read(overlong).lines);
  }

  @Test
  void theVisitorStopsTheReading() throws IOException {
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      content.append("line ").append(i).append('\n');
    }
    Recorder recorder = new Recorder();
    recorder.stopAfter = 3;
    Path file = dir.resolve("log");
    Files.writeString(file, content, UTF_8);

    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      assertEquals(BackwardLines.CHUNK_BYTES, BackwardLines.read(in, recorder));
    }
    assertEquals(List.of("line 99999", "line 99998", "line 99997"), recorder.lines);
  }
}
