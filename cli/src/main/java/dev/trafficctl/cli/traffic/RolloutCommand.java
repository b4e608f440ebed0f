package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.HelpOption;
import dev.trafficctl.cli.OutputOptions;
import dev.trafficctl.cli.TargetOptions;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.cli.rollout.StatusAnswer;
import dev.trafficctl.cli.rollout.StatusView;
import dev.trafficctl.client.ConnectionOptions;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command on one service's rollout shares: the target, the connection, output. */
abstract class RolloutCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin HelpOption helpOption;

  @Mixin TargetOptions target;

  @Mixin ConnectionOptions connection;

  @Mixin OutputOptions output;

  @Override
  public final Integer call() throws Exception {
    try (RolloutClient client = new RolloutClient(connection.resolve(System.getenv()))) {
      return run(client);
    }
  }

  abstract int run(RolloutClient client) throws Exception;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Prints a status in the chosen format. */
  void print(StatusAnswer answer) {
    print(answer.status(), answer.note());
  }

  void print(RolloutStatus status, String note) {
    if (output.json()) {
      try {
        out()
            .println(
                JsonMapping.json().writerWithDefaultPrettyPrinter().writeValueAsString(status));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      out().print(new StatusView(ZoneId.systemDefault()).render(status, Instant.now(), note));
    }
    out().flush();
    if (note != null && output.json()) {
      err().println("trafficctl: " + note);
      err().flush();
    }
  }

  /** Who is acting, for the rollout's record: {@code --by}, else the login name. */
  static String actor(String by) {
    if (by != null && !by.isBlank()) {
      return by;
    }
    String user = System.getenv("USER");
    return user == null || user.isBlank() ? System.getProperty("user.name", "unknown") : user;
  }
}
