package dev.trafficctl.activities;

import static dev.trafficctl.activities.Failures.assertInvalidConfiguration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfinedPathsTest {

  private static final String WHERE = "api (production)";
  private static final String FIELD = "router.file.state_dir";

  @TempDir Path dir;

  private Path state;
  private Path outside;
  private ConfinedPaths paths;

  @BeforeEach
  void layout() throws IOException {
    state = Files.createDirectories(dir.resolve("state"));
    outside = Files.createDirectories(dir.resolve("outside"));
    paths = ConfinedPaths.within(state);
  }

  private String refused(ConfinedPaths confined, String value) {
    return assertInvalidConfiguration(() -> confined.resolve(WHERE, FIELD, value));
  }

  @Test
  void relativePathsResolveInTheStateDir() {
    assertEquals(state.resolve("routes/a"), paths.resolve(WHERE, FIELD, "routes/./x/../a"));
    assertEquals(state, paths.resolve(WHERE, FIELD, "."));
  }

  @Test
  void absolutePathsInsideTheStateDirAreAllowed() {
    Path inside = state.resolve("routes");
    assertEquals(inside, paths.resolve(WHERE, FIELD, inside.toString()));
  }

  @Test
  void climbingOutIsRefusedNamingFieldValueAndDirectory() throws IOException {
    assertEquals(
        WHERE
            + ": "
            + FIELD
            + " \"../outside\" leads to "
            + outside.toRealPath()
            + ", outside the directories this worker may use: "
            + state
            + " (the state directory) (the worker's --state-dir and --allow-path)",
        refused(paths, "../outside"));
    assertTrue(refused(paths, "/etc").contains("\"/etc\" leads to /etc,"));
    // A sibling whose name starts with the state dir's is not inside it.
    assertTrue(refused(paths, "../state-other").contains("leads to"));
  }

  @Test
  void aSymbolicLinkPointingOutsideIsRefused() throws IOException {
    Files.createSymbolicLink(state.resolve("link"), outside);
    String message = refused(paths, "link/conf.d");
    assertTrue(message.contains("leads to " + outside.toRealPath().resolve("conf.d")), message);
  }

  @Test
  void aSymbolicLinkToNothingIsRefused() throws IOException {
    Files.createSymbolicLink(state.resolve("dangling"), outside.resolve("not-yet"));
    String message = refused(paths, "dangling/conf.d");
    assertTrue(message.contains("a symbolic link to nothing"), message);
    assertFalse(Files.exists(outside.resolve("not-yet")));
  }

  @Test
  void aStateDirThatIsItselfALinkStillHoldsItsOwnPaths() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("state-link"), state);
    ConfinedPaths viaLink = ConfinedPaths.within(link);
    assertEquals(link.resolve("routes"), viaLink.resolve(WHERE, FIELD, "routes"));
    assertEquals(state.resolve("x"), viaLink.resolve(WHERE, FIELD, state.resolve("x").toString()));
  }

  @Test
  void allowedDirectoriesAddToTheStateDir() {
    ConfinedPaths more = paths.allowing(List.of(outside));
    assertEquals(outside.resolve("conf.d"), more.resolve(WHERE, FIELD, outside + "/conf.d"));
    assertEquals(state.resolve("r"), more.resolve(WHERE, FIELD, "r"));
    String message = refused(more, "/etc");
    assertTrue(
        message.endsWith(
            state
                + " (the state directory), "
                + outside
                + " (the worker's --state-dir and"
                + " --allow-path)"),
        message);
  }

  @Test
  void aValueThatIsNotAPathIsRefused() {
    assertEquals(WHERE + ": " + FIELD + " \"a\0b\" is not a path", refused(paths, "a\0b"));
  }
}
