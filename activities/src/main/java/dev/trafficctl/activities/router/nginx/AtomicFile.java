package dev.trafficctl.activities.router.nginx;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Files nginx reads while they change: a temporary file in the same directory (named so that no
 * {@code *.conf} include matches it), flushed to disk, renamed over the target. nginx, reloading or
 * starting at any moment, sees the old file or the new one, never half of one.
 */
final class AtomicFile {

  private AtomicFile() {}

  static void replace(Path target, String content) throws IOException {
    replaceCreatedWith(target, content);
  }

  /**
   * As {@link #replace(Path, String)}, the file readable and writable by its owner alone (0600)
   * from the moment it exists: for secrets, which no other user may read even briefly.
   */
  static void replaceOwnerOnly(Path target, String content) throws IOException {
    replaceCreatedWith(
        target,
        content,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
  }

  private static void replaceCreatedWith(
      Path target, String content, FileAttribute<?>... attributes) throws IOException {
    Path dir = target.getParent();
    Path temporary = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel out =
          FileChannel.open(
              temporary,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              attributes)) {
        ByteBuffer buffer = ByteBuffer.wrap(content.getBytes(UTF_8));
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException notSupported) {
      // The content is on disk; only the rename's durability is best effort here.
    }
  }

  /** The file's text, or null when there is no such file. */
  static String read(Path file) throws IOException {
    try {
      return Files.readString(file, UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Puts back what {@link #read} returned: the text, or no file at all. */
  static void restore(Path file, String content) throws IOException {
    if (content == null) {
      Files.deleteIfExists(file);
    } else {
      replace(file, content);
    }
  }
}
