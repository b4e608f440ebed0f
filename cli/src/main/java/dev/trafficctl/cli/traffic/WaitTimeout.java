package dev.trafficctl.cli.traffic;

import dev.trafficctl.client.DurationConverter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --timeout} of a deploy command, bounding its {@code --wait}. */
final class WaitTimeout {

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "With --wait: stop waiting after DURATION (exit 5); the rollout goes on. Default: wait"
              + " until it ends.")
  Duration limit;
}
