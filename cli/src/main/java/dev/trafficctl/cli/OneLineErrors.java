package dev.trafficctl.cli;

import dev.trafficctl.client.ConnectionFailure;
import dev.trafficctl.client.ConnectionOptions;
import dev.trafficctl.client.InvalidConnectionSettings;
import dev.trafficctl.client.payload.UnreadablePayload;
import dev.trafficctl.config.InvalidConfigException;
import io.temporal.envconfig.ClientConfigProfile;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Bad flags and failures print one readable line on stderr with the exit codes of {@link ExitCode},
 * never a usage dump or a stack trace. {@code TRAFFICCTL_DEBUG=1} adds the trace.
 *
 * <p>A payload the CLI cannot read (encrypted under a key it does not hold) is told by {@link
 * UnreadablePayload}, exit 2: a setting to fix.
 *
 * <p>A failure to talk to Temporal at all is told by {@link ConnectionFailure}: what is wrong (a
 * certificate not trusted, a refused API key, nothing listening) and the setting to check, exit 2
 * for a setting and 3 for a server that cannot be reached.
 */
final class OneLineErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    CommandLine root = cmd;
    while (root.getParent() != null) {
      root = root.getParent();
    }
    String problem = firstLine(e.getMessage());
    if (args.length > 0
        && !args[0].startsWith("-")
        && !root.getSubcommands().containsKey(args[0])) {
      // picocli may match a later word ("mesh istio traffic ...") and blame what follows it.
      cmd = root;
      problem = noCommand(args[0], root);
    } else if (e instanceof UnmatchedArgumentException unmatched
        && !unmatched.getUnmatched().isEmpty()
        && !unmatched.getUnmatched().get(0).startsWith("-")
        && !cmd.getSubcommands().isEmpty()) {
      // "Unmatched arguments from index 1: 'monitor', 'api'" says nothing a person can use.
      problem = noCommand(unmatched.getUnmatched().get(0), cmd);
    }
    cmd.getErr()
        .println(
            "trafficctl: "
                + problem
                + " (see '"
                + cmd.getCommandSpec().qualifiedName()
                + " --help')");
    cmd.getErr().flush();
    return ExitCode.BAD_INPUT;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
    int code = ExitCode.UNREACHABLE;
    String message = e.getMessage();
    if (e instanceof InvalidConfigException invalid) {
      code = ExitCode.BAD_INPUT;
      message = invalid.firstLine();
    } else if (e instanceof InvalidConnectionSettings) {
      code = ExitCode.BAD_INPUT;
    } else if (e instanceof CommandFailure failure) {
      code = failure.exitCode();
    } else if (UnreadablePayload.in(e).isPresent()) {
      // An encrypted memo, result or query answer without its key: say so, never print the bytes.
      code = ExitCode.BAD_INPUT;
      message = UnreadablePayload.in(e).get().getMessage();
    }
    if (code == ExitCode.UNREACHABLE) {
      Optional<ConnectionFailure> connection = ConnectionFailure.of(e, connectionOf(cmd));
      if (connection.isPresent()) {
        message = connection.get().message();
        code =
            connection.get().kind() == ConnectionFailure.Kind.SETTINGS
                ? ExitCode.BAD_INPUT
                : ExitCode.UNREACHABLE;
      }
    }
    cmd.getErr()
        .println(
            "trafficctl: " + (message == null ? e.getClass().getSimpleName() : firstLine(message)));
    if (System.getenv("TRAFFICCTL_DEBUG") != null) {
      e.printStackTrace(cmd.getErr());
    }
    cmd.getErr().flush();
    return code;
  }

  private static String noCommand(String word, CommandLine parent) {
    return "no command '"
        + word
        + "' (commands: "
        + String.join(", ", parent.getSubcommands().keySet())
        + ")";
  }

  /** The connection settings the failed command resolved, if it has any. */
  static ClientConfigProfile connectionOf(CommandLine cmd) {
    for (CommandSpec mixin : cmd.getCommandSpec().mixins().values()) {
      if (mixin.userObject() instanceof ConnectionOptions options) {
        return options.resolved();
      }
    }
    return null;
  }

  /** A message's first line: gRPC and parsers put details on the lines after it. */
  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
