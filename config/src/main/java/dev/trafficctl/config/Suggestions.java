package dev.trafficctl.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for a misspelt field or value: the closest allowed word, if it is close. */
final class Suggestions {

  private Suggestions() {}

  static Optional<String> closest(String typed, Collection<String> allowed) {
    if (typed == null) {
      return Optional.empty();
    }
    String lower = typed.toLowerCase(Locale.ROOT);
    return allowed.stream()
        .min(Comparator.comparingInt(a -> distance(lower, a.toLowerCase(Locale.ROOT))))
        .filter(best -> distance(lower, best.toLowerCase(Locale.ROOT)) <= threshold(best));
  }

  /** " (did you mean "x"?)" or nothing. */
  static String didYouMean(String typed, Collection<String> allowed) {
    return closest(typed, allowed).map(s -> "; did you mean \"" + s + "\"?").orElse("");
  }

  private static int threshold(String word) {
    return Math.max(1, Math.min(3, word.length() / 3));
  }

  /** Levenshtein distance, with a swap of neighbours counted as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
