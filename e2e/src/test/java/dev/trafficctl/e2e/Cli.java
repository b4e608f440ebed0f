package dev.trafficctl.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.testing.Waits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** {@code bin/trafficctl} as a subprocess, configured through the environment as a user would. */
final class Cli {

  private final Map<String, String> env;
  private final Path dir;

  Cli(String temporalAddress, Path catalog) {
    this(temporalAddress, catalog, Map.of());
  }

  /** With {@code more} added to the environment, e.g. {@code TRAFFICCTL_ENV}. */
  Cli(String temporalAddress, Path catalog, Map<String, String> more) {
    Map<String, String> all = new HashMap<>(more);
    all.put("TEMPORAL_ADDRESS", temporalAddress);
    all.put("TRAFFICCTL_CATALOG", catalog.toString());
    all.put("USER", "e2e-tester");
    this.env = Map.copyOf(all);
    this.dir = catalog.getParent();
  }

  Run run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProjectPaths.bin("trafficctl").toString());
    command.addAll(List.of(args));
    return Run.of(command, env, dir, Duration.ofSeconds(60));
  }

  /**
   * Starts {@code bin/trafficctl args} without waiting, its stdout into {@code out} (a file, so not
   * a terminal); the caller ends it.
   */
  Process start(Path out, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProjectPaths.bin("trafficctl").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(env);
    return builder.start();
  }

  /** {@code traffic canary deploy SERVICE --env ENV --version VERSION -f DOC}, which must start. */
  Run deployCanary(String service, String env, String version, Path doc) {
    return deploy(service, env, version, doc).expect(0);
  }

  /** {@code traffic canary deploy SERVICE --env ENV --version VERSION -f DOC EXTRA...}, run. */
  Run deploy(String service, String env, String version, Path doc, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "traffic",
                "canary",
                "deploy",
                service,
                "--env",
                env,
                "--version",
                version,
                "-f",
                doc.toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  /** Polls the status until {@code done}, within {@code bound}; returns the status that was. */
  JsonNode awaitStatus(
      String service, String env, String what, Duration bound, Predicate<JsonNode> done) {
    return Waits.until(what, bound, () -> status(service, env), done);
  }

  /**
   * {@code traffic canary status SERVICE --env ENV -o json}, parsed: any rollout's status. It exits
   * 0 while the rollout runs or once promoted, 1 once it ended otherwise.
   */
  JsonNode status(String service, String env) {
    Run run = run("traffic", "canary", "status", service, "--env", env, "-o", "json");
    if (run.exitCode() != 1) {
      run.expect(0);
    }
    try {
      return JsonMapping.json().readTree(run.out());
    } catch (JsonProcessingException e) {
      throw new AssertionError("status is not JSON:\n" + run.out(), e);
    }
  }
}
