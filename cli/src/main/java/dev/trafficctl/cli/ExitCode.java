package dev.trafficctl.cli;

/** The exit codes of every trafficctl command: a stable contract for pipelines. */
public final class ExitCode {

  /** Success; with {@code --wait}, the rollout was promoted. */
  public static final int OK = 0;

  /** With {@code --wait}: the rollout ended rolled back or aborted. */
  public static final int ROLLED_BACK = 1;

  /** Bad input: a document, a flag or an argument. */
  public static final int BAD_INPUT = 2;

  /** Temporal or another dependency could not be reached. */
  public static final int UNREACHABLE = 3;

  /** Refused by the rollout's state: already running, promote while not paused, ... */
  public static final int REFUSED = 4;

  /**
   * With {@code --wait --timeout}: the rollout had not ended when the wait ran out. It goes on; a
   * pipeline that gives up on it decides whether to abort it.
   */
  public static final int STILL_RUNNING = 5;

  private ExitCode() {}
}
