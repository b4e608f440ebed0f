package dev.trafficctl.config;

/**
 * Tabs where YAML allows them. YAML forbids a tab only in indentation; between tokens (after {@code
 * key:} or {@code -}, at the end of a line, before a comment, in a blank line, inside a flow
 * collection such as a tab-indented JSON document) a tab separates like a space. SnakeYAML, which
 * Jackson reads YAML with, refuses a tab between tokens all the same, so such tabs become spaces
 * before parsing. One character for one, so every line and column a message names stays true.
 *
 * <p>Tabs that are part of a value (inside quotes, a block scalar, or between the words of a plain
 * value, {@code a<TAB>b}) are left alone and kept by the parser; tabs in indentation are left for
 * the parser to refuse, and {@link BindingErrors} says so.
 */
final class YamlTabs {

  private YamlTabs() {}

  /** {@code text} with every tab that only separates tokens written as a space. */
  static String separatorsAsSpaces(String text) {
    if (text.indexOf('\t') < 0) {
      return text;
    }
    char[] out = text.toCharArray();
    new Scan(out).run();
    return new String(out);
  }

  /**
   * Whether the character at {@code codePointIndex} (a parser position, which counts code points)
   * stands in its line's indentation: only spaces and tabs before it on its line.
   */
  static boolean indents(String text, int codePointIndex) {
    int codePoints = text.codePointCount(0, text.length());
    int offset = text.offsetByCodePoints(0, Math.min(Math.max(codePointIndex, 0), codePoints));
    for (int i = offset - 1; i >= 0; i--) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        return true;
      }
      if (c != ' ' && c != '\t') {
        return false;
      }
    }
    return true;
  }

  /** One pass over the text, line by line, knowing what a tab there would belong to. */
  private static final class Scan {
    private final char[] text;

    /** The quote of a quoted value that goes on past its line, else 0. */
    private char quote;

    /** How deep in {@code [...]} and {@code {...}} the text is: in flow, lines are not indented. */
    private int flowDepth;

    /** The leading spaces of a block scalar's header line ({@code key: |}); -1 outside one. */
    private int blockScalarIndent = -1;

    Scan(char[] text) {
      this.text = text;
    }

    void run() {
      int start = 0;
      while (start < text.length) {
        int end = start;
        while (end < text.length && text[end] != '\n') {
          end++;
        }
        line(start, end);
        start = end + 1;
      }
    }

    private void line(int start, int end) {
      int spaces = 0;
      while (start + spaces < end && text[start + spaces] == ' ') {
        spaces++;
      }
      int content = skipBlanks(start, end);
      boolean blank = content == end;
      if (blockScalarIndent >= 0) {
        if (blank || spaces > blockScalarIndent) {
          return; // the block scalar's text, tabs and all
        }
        blockScalarIndent = -1;
      }
      if (quote != 0) {
        int after = closeQuote(start, end);
        if (quote == 0) {
          scanTokens(start, after, end, false);
        }
        return; // else the whole line is inside the quotes
      }
      if (blank || text[content] == '#' || flowDepth > 0) {
        // A blank or comment line indents nothing; in a flow collection lines are not indented.
        spacesFor(start, content);
      }
      scanTokens(start, content, end, true);
    }

    /**
     * The tokens of the line that begins at {@code lineStart}, from {@code i}. {@code nodeStart}:
     * what comes next begins a value or key (the line's start, or just after an indicator), where a
     * quote opens a quoted value and {@code |} a block scalar.
     */
    private void scanTokens(int lineStart, int i, int end, boolean nodeStart) {
      boolean afterNode = !nodeStart; // just after a closing quote or bracket
      int nodeColumn = 0; // where the node being read began
      int parentColumn = 0; // the indentation a block scalar starting here must go beyond
      while (i < end) {
        char c = text[i];
        if (isBlank(c)) {
          int next = skipBlanks(i, end);
          if (nodeStart || afterNode || endsValue(next, end)) {
            spacesFor(i, next);
          }
          i = next;
          continue;
        }
        if (c == '#' && (i == lineStart || isBlank(text[i - 1]))) {
          return; // a comment: whatever it holds is no token
        }
        boolean indicatorEnds = i + 1 >= end || isBlank(text[i + 1]);
        if (c == ':' && (indicatorEnds || flowDepth > 0)) {
          parentColumn = nodeColumn; // a value's block scalar goes beyond its key
          nodeStart = true;
          afterNode = false;
          i++;
          continue;
        }
        if (nodeStart && flowDepth == 0 && (c == '-' || c == '?') && indicatorEnds) {
          parentColumn = i - lineStart; // an entry's block scalar goes beyond its dash
          i++;
          continue;
        }
        if (nodeStart && flowDepth == 0 && (c == '|' || c == '>')) {
          blockScalarIndent = parentColumn;
          spacesFor(i, end); // the header: indicators, then only blanks and a comment
          return;
        }
        if (flowDepth > 0 && (c == ',' || c == ']' || c == '}')) {
          flowDepth -= c == ',' ? 0 : 1;
          nodeStart = c == ',';
          afterNode = c != ',';
          i++;
          continue;
        }
        if (nodeStart && !afterNode) {
          nodeColumn = i - lineStart;
        }
        if (nodeStart && (c == '[' || c == '{')) {
          flowDepth++;
          i++;
          continue;
        }
        if (nodeStart && (c == '&' || c == '!')) {
          while (i < end && !isBlank(text[i])) {
            i++; // an anchor or a tag: the value still follows
          }
          afterNode = true; // not a value yet, but what follows it is separation
          continue;
        }
        if (nodeStart && (c == '"' || c == '\'')) {
          quote = c;
          i = closeQuote(i + 1, end);
          if (quote != 0) {
            return;
          }
          nodeStart = false;
          afterNode = true;
          continue;
        }
        // Part of a plain value or key: a tab after it, before more of it, is its text.
        nodeStart = false;
        afterNode = false;
        i++;
      }
    }

    /**
     * Whether blanks that end at {@code next} end the value before them: the line ends, a comment
     * or a {@code :} indicator follows, or a flow collection's {@code , ] }} does.
     */
    private boolean endsValue(int next, int end) {
      if (next >= end || text[next] == '#') {
        return true;
      }
      char c = text[next];
      if (c == ':' && (next + 1 >= end || isBlank(text[next + 1]))) {
        return true;
      }
      return flowDepth > 0 && (c == ',' || c == ']' || c == '}');
    }

    /** Past the closing quote of the quoted value open at {@code i}; the line's end if none. */
    private int closeQuote(int i, int end) {
      while (i < end) {
        char c = text[i];
        if (quote == '"' && c == '\\') {
          i += 2; // an escape: \" does not close
          continue;
        }
        if (c == quote) {
          if (quote == '\'' && i + 1 < end && text[i + 1] == '\'') {
            i += 2; // '' is a quote inside single quotes
            continue;
          }
          quote = 0;
          return i + 1;
        }
        i++;
      }
      return end;
    }

    private int skipBlanks(int i, int end) {
      while (i < end && isBlank(text[i])) {
        i++;
      }
      return i;
    }

    private void spacesFor(int from, int to) {
      for (int i = from; i < to; i++) {
        if (text[i] == '\t') {
          text[i] = ' ';
        }
      }
    }

    private static boolean isBlank(char c) {
      return c == ' ' || c == '\t' || c == '\r';
    }
  }
}
