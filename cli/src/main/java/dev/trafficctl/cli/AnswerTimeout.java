package dev.trafficctl.cli;

import dev.trafficctl.client.DurationConverter;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --timeout} of a command that sends an update to a running rollout: how long it waits for a
 * worker to apply it. The update is not withdrawn when the wait runs out; Temporal holds it for the
 * next worker that polls.
 */
public final class AnswerTimeout {

  /** A worker that is up applies an update in well under a second. */
  public static final Duration DEFAULT = Duration.ofSeconds(10);

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How long to wait for a worker to apply it (default 10s); after that exit 5: sent,"
              + " it applies when a worker polls.")
  Duration limit;

  /** The wait, checked: longer than 0. */
  public Duration limit() {
    if (limit == null) {
      return DEFAULT;
    }
    if (limit.isZero() || limit.isNegative()) {
      throw new CommandFailure(ExitCode.BAD_INPUT, "--timeout: must be longer than 0");
    }
    return limit;
  }
}
