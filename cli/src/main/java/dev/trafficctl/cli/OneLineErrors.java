package dev.trafficctl.cli;

import dev.trafficctl.client.InvalidConnectionSettings;
import dev.trafficctl.config.InvalidConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Bad flags and failures print one readable line on stderr with the exit codes of {@link ExitCode},
 * never a usage dump or a stack trace. {@code TRAFFICCTL_DEBUG=1} adds the trace.
 */
final class OneLineErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    cmd.getErr()
        .println(
            "trafficctl: "
                + e.getMessage()
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
    }
    cmd.getErr()
        .println("trafficctl: " + (message == null ? e.getClass().getSimpleName() : message));
    if (System.getenv("TRAFFICCTL_DEBUG") != null) {
      e.printStackTrace(cmd.getErr());
    }
    cmd.getErr().flush();
    return code;
  }
}
