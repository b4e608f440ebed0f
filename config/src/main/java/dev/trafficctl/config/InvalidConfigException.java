package dev.trafficctl.config;

import java.util.List;
import java.util.stream.Collectors;

/** A document that cannot be used, with every problem found, each printable on one line. */
public final class InvalidConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // records of strings; this exception is never Java-serialized
  private final List<ConfigProblem> problems;

  public InvalidConfigException(List<ConfigProblem> problems) {
    super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid document has at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  /** The first problem's line, for callers that can show only one. */
  public String firstLine() {
    return problems.get(0).toString();
  }
}
