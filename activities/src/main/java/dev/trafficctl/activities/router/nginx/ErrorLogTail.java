package dev.trafficctl.activities.router.nginx;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What nginx's error log says after a point: a reload that nginx accepts ({@code nginx -t} and
 * {@code nginx -s reload} both exit 0) but cannot apply, such as a port another process holds,
 * shows only here, as {@code [emerg] bind() to 127.0.0.1:8080 failed (98: Address already in use)},
 * while the old configuration keeps serving.
 */
final class ErrorLogTail {

  /** Lines nginx writes when it gives up on a configuration. */
  private static final Pattern FAILURE =
      Pattern.compile("^\\S+ \\S+ \\[(emerg|alert|crit)\\] [0-9]+#[0-9]+: (.*)$");

  /**
   * A port in use is retried: nginx tries the bind() five times, 500 ms apart, and may still apply
   * the configuration if the port comes free; it has given up only when it logs {@code still could
   * not bind()}.
   */
  private static final Pattern RETRIED_BIND =
      Pattern.compile("bind\\(\\) to \\S+ failed \\(.*Address already in use\\)");

  /** At most this much of the log is read after the mark; the failures come first anyway. */
  private static final int WINDOW = 64 * 1024;

  private final Path log;
  private final long mark;

  private ErrorLogTail(Path log, long mark) {
    this.log = log;
    this.mark = mark;
  }

  /** Marks the log's current end; later lines are what the next action caused. */
  static ErrorLogTail mark(Path log) {
    return new ErrorLogTail(log, size(log));
  }

  /** The failure lines written since the mark, as {@code [emerg] message}; empty if none. */
  List<String> failures() {
    long size = size(log);
    // A smaller file was rotated; read the new one from its start.
    long from = size < mark ? 0 : mark;
    if (size <= from) {
      return List.of();
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(WINDOW, size - from));
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
      while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
        // read until the window is full or the file ends
      }
    } catch (IOException e) {
      return List.of();
    }
    String text = new String(buffer.array(), 0, buffer.position(), UTF_8);
    return text.lines()
        .map(FAILURE::matcher)
        .filter(Matcher::matches)
        .map(m -> "[" + m.group(1) + "] " + m.group(2))
        .distinct()
        .toList();
  }

  /**
   * Whether {@code failures} mean nginx has given up on the configuration: any failure but a bind()
   * to a port in use, which nginx retries for a few seconds.
   */
  static boolean givenUp(List<String> failures) {
    return failures.stream().anyMatch(line -> !RETRIED_BIND.matcher(line).find());
  }

  private static long size(Path log) {
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
      return channel.size();
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
