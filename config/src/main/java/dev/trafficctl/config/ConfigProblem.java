package dev.trafficctl.config;

/**
 * One thing wrong with a document, printed on one line as {@code file:line:col: field.path: what is
 * wrong, what is allowed}; a warning as {@code file:line:col: warning: field.path: ...}.
 *
 * @param source the file name as the user gave it (or {@code <stdin>}, {@code <input>})
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param path the field path in the spec's names, e.g. {@code canary.api.steps[1].traffic_percent}
 * @param message what is wrong and what is allowed
 * @param severity whether the document is refused for it ({@link Severity#ERROR}, the default)
 */
public record ConfigProblem(
    String source, int line, int column, String path, String message, Severity severity) {

  public ConfigProblem {
    severity = severity == null ? Severity.ERROR : severity;
  }

  /** An error. */
  public ConfigProblem(String source, int line, int column, String path, String message) {
    this(source, line, column, path, message, Severity.ERROR);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(source);
    if (line > 0) {
      out.append(':').append(line).append(':').append(column);
    }
    out.append(": ");
    if (severity == Severity.WARNING) {
      out.append("warning: ");
    }
    if (path != null && !path.isEmpty()) {
      out.append(path).append(": ");
    }
    return out.append(message).toString();
  }
}
