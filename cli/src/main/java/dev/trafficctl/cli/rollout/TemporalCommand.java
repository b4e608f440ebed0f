package dev.trafficctl.cli.rollout;

import dev.trafficctl.cli.HelpOption;
import dev.trafficctl.cli.OutputOptions;
import dev.trafficctl.client.ConnectionOptions;
import dev.trafficctl.client.payload.PayloadEncryption;
import dev.trafficctl.client.payload.PayloadKeyOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to Temporal: the connection options, the payload keys, the output format,
 * and one client opened for the command's run and closed after it.
 */
public abstract class TemporalCommand implements Callable<Integer> {

  @Spec protected CommandSpec spec;

  @Mixin HelpOption helpOption;

  @Mixin protected ConnectionOptions connection;

  @Mixin protected PayloadKeyOptions payloadKeys;

  @Mixin protected OutputOptions output;

  @Override
  public final Integer call() throws Exception {
    try (RolloutClient client =
        new RolloutClient(
            connection.resolve(System.getenv()),
            PayloadEncryption.with(payloadKeys.resolve(System.getenv())))) {
      return run(client);
    }
  }

  /** The command's work, with the client; returns the exit code. */
  protected abstract int run(RolloutClient client) throws Exception;

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
