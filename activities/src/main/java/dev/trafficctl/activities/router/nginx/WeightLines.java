package dev.trafficctl.activities.router.nginx;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text form of weights that nginx's admin endpoint, its state file and this router share: one
 * {@code version weight} line per version, {@code #} comments and blank lines ignored. Plain lines
 * rather than JSON because Debian's Lua module comes without a JSON library.
 */
final class WeightLines {

  private static final Pattern LINE =
      Pattern.compile("\\s*([a-z0-9][a-z0-9.-]*)\\s+([0-9]{1,3})\\s*");

  private WeightLines() {}

  static String format(Map<String, Integer> weights) {
    StringBuilder text = new StringBuilder();
    weights.forEach(
        (version, weight) -> text.append(version).append(' ').append(weight).append('\n'));
    return text.toString();
  }

  /** Parses {@code text}; throws {@link IllegalArgumentException} naming the first bad line. */
  static Map<String, Integer> parse(String text) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (String line : text.split("\r?\n")) {
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a \"version weight\" line: \"" + line + "\"");
      }
      weights.put(m.group(1), Integer.parseInt(m.group(2)));
    }
    return weights;
  }
}
