package dev.trafficctl.activities;

import dev.trafficctl.config.ConfigProblem;
import dev.trafficctl.config.InvalidConfigException;

/**
 * What is wrong with a document an activity read, told without quoting it. An activity's failure
 * message is kept in the workflow's history, readable by whoever reads the namespace, and the
 * document loader's words quote the file: a value, a key, the first key of a file that is not a
 * trafficctl document at all (a secrets file named where a document was expected). So this keeps
 * where the problem is (file, line, column) and drops the rest; the worker's host shows the whole
 * of it with {@code trafficctl validate FILE}. Problems with the file as a whole (missing, not
 * readable, a directory, too large) quote nothing and are kept as they are.
 */
public final class UnquotedProblem {

  private UnquotedProblem() {}

  /**
   * {@code file:line:col: not a valid <kind> document (...)}, or the loader's own line for a
   * problem with the file as a whole.
   *
   * @param kind what the document should have been, for the message: {@code load-balancer}
   */
  public static String of(InvalidConfigException e, String kind) {
    ConfigProblem first = e.problems().get(0);
    if (first.line() == 0 && (first.path() == null || first.path().isEmpty())) {
      return first.toString();
    }
    String at = first.line() > 0 ? ":" + first.line() + ":" + first.column() : "";
    int count = e.problems().size();
    return first.source()
        + at
        + ": not a valid "
        + kind
        + " document"
        + (count > 1 ? " (" + count + " problems, the first here)" : "")
        + "; its text is not quoted into workflow history: run trafficctl validate "
        + first.source()
        + " where the worker runs to see what is wrong";
  }
}
