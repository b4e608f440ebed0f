package dev.trafficctl.worker;

/**
 * Why the worker could not start, as one readable line, with the exit code of DESIGN.md: {@link
 * #BAD_INPUT} when a flag, a file or the configuration is wrong, {@link #UNREACHABLE} when Temporal
 * cannot be reached. Messages never carry secrets.
 */
final class StartupFailure extends RuntimeException {

  static final int BAD_INPUT = 2;
  static final int UNREACHABLE = 3;

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  StartupFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  StartupFailure(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
