package dev.trafficctl.activities;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The programs a worker runs when a catalog entry names one (the nginx router's {@code binary}).
 * The entry travels in a rollout's input, so the list comes from the worker's own settings ({@code
 * --allow-binary}), never from the input: a binary not on it is refused before anything runs.
 *
 * @param binaries absolute, normalised paths; compared as written, so a link to an allowed binary
 *     is not the binary itself
 */
public record AllowedBinaries(List<Path> binaries) {

  /** The setting that lists them, named in refusals. */
  public static final String ALLOW_SETTING = "--allow-binary";

  /**
   * What a worker runs when its settings name no binary: Debian's and most distributions' nginx.
   */
  public static final AllowedBinaries DEFAULT = of(List.of(Path.of("/usr/sbin/nginx")));

  public AllowedBinaries {
    binaries = List.copyOf(binaries);
  }

  /** {@code binaries} made absolute and normalised. */
  public static AllowedBinaries of(Collection<Path> binaries) {
    return new AllowedBinaries(
        binaries.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList());
  }

  /**
   * {@code value}, resolved against {@code base} and normalised, once it is known to be on the
   * list.
   *
   * @throws io.temporal.failure.ApplicationFailure non-retryable {@code InvalidConfiguration}
   */
  public Path require(String where, String field, String value, Path base) {
    Path path;
    try {
      path = base.resolve(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw InvalidConfiguration.field(where, field, value, "is not a path");
    }
    if (binaries.contains(path)) {
      return path;
    }
    throw InvalidConfiguration.field(
        where,
        field,
        value,
        "is not a binary this worker runs (allowed: "
            + (binaries.isEmpty()
                ? "none"
                : binaries.stream().map(Path::toString).collect(Collectors.joining(", ")))
            + "; the worker's "
            + ALLOW_SETTING
            + ")");
  }
}
