package dev.trafficctl.activities.router.nginx;

/**
 * nginx configuration text, a line at a time: each line indented four spaces per enclosing block,
 * so the parts of an include write directives and blocks without counting spaces or braces. A block
 * at the top level is followed by a blank line. Words reach here checked and quoted by {@link
 * NginxSyntax}; this class only lays them out.
 */
final class NginxConfigWriter {

  private static final String INDENT = "    ";

  private final StringBuilder text = new StringBuilder();
  private int depth;

  /** A directive: its words separated by spaces, ended with {@code ;}. */
  NginxConfigWriter directive(String... words) {
    return line(String.join(" ", words) + ";");
  }

  NginxConfigWriter comment(String comment) {
    return line("# " + comment);
  }

  /** A line as it is, indented: for the few that a directive and a comment share. */
  NginxConfigWriter line(String line) {
    text.append(INDENT.repeat(depth)).append(line).append('\n');
    return this;
  }

  /** Opens a block: {@code words {}. */
  NginxConfigWriter open(String... words) {
    line(String.join(" ", words) + " {");
    depth++;
    return this;
  }

  NginxConfigWriter close() {
    if (depth == 0) {
      throw new IllegalStateException("no block to close");
    }
    depth--;
    line("}");
    return depth == 0 ? blank() : this;
  }

  NginxConfigWriter blank() {
    text.append('\n');
    return this;
  }

  /** Lua code inside a {@code *_by_lua_block}, its own indentation kept under the block's. */
  NginxConfigWriter lua(String code) {
    for (String line : code.stripTrailing().split("\n")) {
      if (line.isEmpty()) {
        blank();
      } else {
        line(line);
      }
    }
    return this;
  }

  /** The text written, ending with the last block's closing brace. */
  String text() {
    if (depth != 0) {
      throw new IllegalStateException(depth + " blocks left open");
    }
    // The blank line after the last top-level block separates it from nothing.
    boolean blankAtEnd = text.length() >= 2 && text.charAt(text.length() - 2) == '\n';
    return blankAtEnd ? text.substring(0, text.length() - 1) : text.toString();
  }
}
