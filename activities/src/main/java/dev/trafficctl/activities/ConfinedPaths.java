package dev.trafficctl.activities;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a worker lets the paths of a catalog entry lead. A rollout's input carries its catalog
 * entry, so whoever may start a workflow names the directories the activities write (router state,
 * nginx's config dir) and the files they read (access and error logs, load-balancer documents).
 * Every such path resolves against the worker's state directory and must end up inside it or inside
 * one of the directories the worker's own settings add ({@code --allow-path}); anything else is
 * refused before it is touched, non-retryably, in one line naming the field, the value as written
 * and the directories allowed.
 *
 * <p>"Inside" is decided on real paths: the path is normalised (no {@code ..} climbs out), then the
 * deepest part of it that exists is resolved through its symbolic links, so a link planted inside
 * the state directory that points elsewhere does not open the way out. A dangling link is refused
 * outright: writing through it would create its target, wherever that is.
 */
public final class ConfinedPaths {

  /** The setting that adds allowed directories, named in refusals so an operator knows the fix. */
  public static final String ALLOW_SETTING = "--allow-path";

  private final Path stateDir;
  private final List<Path> allowed;

  private ConfinedPaths(Path stateDir, List<Path> allowed) {
    this.stateDir = stateDir;
    this.allowed = allowed;
  }

  /** Paths confined to {@code stateDir} alone; relative paths resolve against it. */
  public static ConfinedPaths within(Path stateDir) {
    Path dir = stateDir.toAbsolutePath().normalize();
    return new ConfinedPaths(dir, List.of(dir));
  }

  /** These paths, with {@code more} directories allowed as well (absolute or relative to cwd). */
  public ConfinedPaths allowing(Collection<Path> more) {
    Set<Path> all = new LinkedHashSet<>(allowed);
    more.forEach(dir -> all.add(dir.toAbsolutePath().normalize()));
    return new ConfinedPaths(stateDir, List.copyOf(all));
  }

  /** The directory relative paths resolve against; always allowed. */
  public Path stateDir() {
    return stateDir;
  }

  /** The state directory, then the directories added to it. */
  public List<Path> allowed() {
    return allowed;
  }

  /**
   * {@code value} resolved against the state directory, normalised, once it is known to lead inside
   * an allowed directory.
   *
   * @param where whose entry it is, for the message: {@code api (production)}
   * @param field the catalog field as the documents name it: {@code router.nginx.config_dir}
   * @param value the field's value as written
   * @throws io.temporal.failure.ApplicationFailure non-retryable {@code InvalidConfiguration}
   */
  public Path resolve(String where, String field, String value) {
    Path path;
    try {
      path = stateDir.resolve(value).normalize();
    } catch (InvalidPathException e) {
      throw InvalidConfiguration.field(where, field, value, "is not a path");
    }
    Path real = realPath(where, field, value, path);
    for (Path root : allowed) {
      if (real.startsWith(realPath(where, field, value, root))) {
        return path;
      }
    }
    throw InvalidConfiguration.field(
        where,
        field,
        value,
        "leads to " + real + ", outside the directories this worker may use: " + describeAllowed());
  }

  /**
   * {@code path} (absolute, normalised) with its deepest existing part resolved through symbolic
   * links and the rest, which does not exist yet, appended as written.
   */
  private static Path realPath(String where, String field, String value, Path path) {
    for (Path existing = path; existing != null; existing = existing.getParent()) {
      if (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        return existing.toRealPath().resolve(existing.relativize(path));
      } catch (NoSuchFileException e) {
        throw InvalidConfiguration.field(
            where,
            field,
            value,
            "passes through "
                + existing
                + ", a symbolic link to nothing; refused, as writing through it would create its"
                + " target wherever it points");
      } catch (IOException e) {
        throw InvalidConfiguration.field(
            where, field, value, "cannot be resolved at " + existing + " (" + e + ")");
      }
    }
    return path;
  }

  private String describeAllowed() {
    List<String> names = new ArrayList<>();
    names.add(stateDir + " (the state directory)");
    allowed.stream().skip(1).map(Path::toString).forEach(names::add);
    return names.stream().collect(Collectors.joining(", "))
        + " (the worker's --state-dir and "
        + ALLOW_SETTING
        + ")";
  }
}
