package dev.trafficctl.activities.metrics.nginxlog;

import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * Reads a file's lines from the last to the first, in chunks, so a reader that wants only the tail
 * of a large log reads only the tail. Lines end with {@code \n} (a {@code \r} before it stays part
 * of the line; JSON parsers take it as whitespace). Empty lines are passed over.
 *
 * <p>Lines up to {@link #MAX_LINE_BYTES} always reach the visitor; longer ones may be skipped
 * instead of assembled (a file without newlines would otherwise be read into memory whole), and the
 * visitor hears of each skipped one through {@link Visitor#overlongLine()}.
 *
 * <p>The file's length is taken once, at the start: lines appended while reading are not seen. A
 * file that becomes shorter while being read (truncated by a {@code copytruncate} rotation) ends
 * the read; the visitor keeps what it saw before.
 */
final class BackwardLines {

  static final int CHUNK_BYTES = 64 * 1024;
  static final int MAX_LINE_BYTES = 64 * 1024;

  /** Receives lines, last first. */
  interface Visitor {

    /**
     * One line, without its {@code \n}.
     *
     * @param terminated false only for the file's last line when no {@code \n} follows it yet,
     *     which may be a line nginx is still writing
     * @return false to stop reading
     */
    boolean line(byte[] bytes, int offset, int length, boolean terminated);

    /** A line longer than {@link #MAX_LINE_BYTES}, skipped unread. */
    void overlongLine();
  }

  private BackwardLines() {}

  /**
   * Reads {@code file} backwards until the visitor says stop or the first line has been visited.
   *
   * @return the number of bytes read from the file
   */
  static long read(RandomAccessFile file, Visitor visitor) throws IOException {
    // buffer[0, carry) holds the front fragment of what was read so far: the end of a line that
    // begins in an earlier chunk. Each new chunk goes in front of it.
    byte[] buffer = new byte[CHUNK_BYTES + MAX_LINE_BYTES];
    int carry = 0;
    boolean carryTerminated = false; // whether a '\n' follows the fragment
    boolean discarding = false; // the fragment belongs to an overlong line and was dropped
    long bytesRead = 0;
    long position = file.length();
    while (position > 0) {
      int n = (int) Math.min(CHUNK_BYTES, position);
      long start = position - n;
      System.arraycopy(buffer, 0, buffer, n, carry);
      try {
        file.seek(start);
        file.readFully(buffer, 0, n);
      } catch (EOFException truncated) {
        return bytesRead;
      }
      bytesRead += n;
      position = start;

      int end = n + carry;
      boolean terminated = carryTerminated;
      for (int i = end - 1; i >= 0; i--) {
        if (buffer[i] != '\n') {
          continue;
        }
        if (discarding) {
          discarding = false;
          visitor.overlongLine();
        } else if (end > i + 1 && !visitor.line(buffer, i + 1, end - i - 1, terminated)) {
          return bytesRead;
        }
        end = i;
        terminated = true;
      }
      carry = end;
      carryTerminated = terminated;
      if (carry > MAX_LINE_BYTES) {
        carry = 0;
        discarding = true;
      }
    }
    if (discarding) {
      visitor.overlongLine();
    } else if (carry > 0) {
      visitor.line(buffer, 0, carry, carryTerminated);
    }
    return bytesRead;
  }
}
