package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.config.ConfigProblem;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.InvalidConfigException;
import dev.trafficctl.config.Validatable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@code trafficctl traffic split} turned into workflow inputs: the {@code
 * --<version>=<percent>} options picocli does not know are the weights, and a problem the input's
 * own validation finds is reported under the option that carries the field.
 */
final class SplitInputs {

  /** How the input's own fields are given on the command line. */
  static final Map<String, String> TARGET_OPTIONS = Map.of("service", "SERVICE", "env", "--env");

  private SplitInputs() {}

  /** Adds {@code option} to {@code list} when {@code given}. */
  static void addIf(List<String> list, boolean given, String option) {
    if (given) {
      list.add(option);
    }
  }

  /**
   * The weights given as {@code --v1=80 --v2=20} (or {@code --v1 80}), in the order given, or a
   * one-line failure (exit 2) naming the option at fault.
   */
  static Map<String, Integer> weights(List<String> args) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--") || arg.length() == 2 || arg.startsWith("--=")) {
        throw new CommandFailure(
            ExitCode.BAD_INPUT,
            (arg.startsWith("-")
                    ? arg + ": unknown option"
                    : "\"" + arg + "\": unexpected argument")
                + "; weights are written --VERSION=PERCENT, e.g. --v1=80 --v2=20");
      }
      String option;
      String value;
      int eq = arg.indexOf('=');
      if (eq >= 0) {
        option = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        option = arg;
        value = args.get(++i);
      } else {
        throw new CommandFailure(
            ExitCode.BAD_INPUT,
            arg + ": no percentage; weights are written --VERSION=PERCENT, e.g. " + arg + "=20");
      }
      String version = option.substring(2);
      int percent;
      try {
        percent = Integer.parseInt(value.strip());
      } catch (NumberFormatException e) {
        throw new CommandFailure(
            ExitCode.BAD_INPUT, option + ": \"" + value + "\" is not a whole percentage (0..100)");
      }
      if (weights.put(version, percent) != null) {
        throw new CommandFailure(ExitCode.BAD_INPUT, option + ": given twice");
      }
    }
    return weights;
  }

  /**
   * Validates {@code input} as the workflow will; the first problem is one line naming the option
   * that carries the field ({@code options} maps a field path to it; {@code weights.<v>} is {@code
   * --<v>}), else the field itself under {@code command}.
   */
  static void validate(String command, Validatable input, Map<String, String> options) {
    try {
      DocumentLoader.validate(command, input);
    } catch (InvalidConfigException e) {
      ConfigProblem first = e.problems().get(0);
      throw new CommandFailure(ExitCode.BAD_INPUT, optionLine(first, options), e);
    }
  }

  static String optionLine(ConfigProblem problem, Map<String, String> options) {
    String path = problem.path() == null ? "" : problem.path();
    String option = options.get(path);
    if (option == null && path.startsWith("weights.")) {
      option = "--" + path.substring("weights.".length());
    }
    if (option == null) {
      return problem.toString();
    }
    String message = problem.message();
    return option + (message.startsWith("is ") ? " " : ": ") + message;
  }
}
