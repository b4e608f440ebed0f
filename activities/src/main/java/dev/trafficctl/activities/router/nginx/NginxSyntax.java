package dev.trafficctl.activities.router.nginx;

import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.config.catalog.NginxRouterSettings;
import dev.trafficctl.config.catalog.ServerAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * What text may enter a rendered nginx configuration. The config records validate documents
 * already; the renderer checks again where it writes, so a record built by code (a workflow input,
 * a test) cannot end a directive, open a block or break out of a quoted string either.
 */
final class NginxSyntax {

  /** Session cookie names: they become part of a variable name and of a regular expression. */
  private static final Pattern COOKIE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /**
   * Request header names a routing rule reads or a feature flag sets: {@code [A-Za-z0-9-]} as the
   * documents allow (no underscores: nginx drops such request headers by default). They become part
   * of {@code $http_<name>} and of a {@code proxy_set_header} directive.
   */
  private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9-]{1,64}");

  /** Flag and rule names: in comments, in a split_clients key and in Lua strings. */
  private static final Pattern RULE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private NginxSyntax() {}

  static String header(String what, String name) {
    if (name == null || !HEADER.matcher(name).matches()) {
      throw InvalidConfiguration.failure(
          what
              + ": header name \""
              + name
              + "\" is not letters, digits and - (at most 64; no underscores)");
    }
    return name;
  }

  /** The nginx variable of a request header: {@code X-User-Type} is {@code http_x_user_type}. */
  static String headerVariable(String header) {
    return "http_" + header.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
  }

  static String ruleName(String what, String name) {
    if (name == null || !RULE_NAME.matcher(name).matches()) {
      throw InvalidConfiguration.failure(
          what + ": name \"" + name + "\" is not letters, digits, _, . and - (at most 64)");
    }
    return name;
  }

  /** A server address: {@code host:port} as {@link ServerAddress} allows, nothing else. */
  static ServerAddress address(String what, String text) {
    try {
      ServerAddress address = ServerAddress.parse(text);
      // parse() is the only gate; this holds even if its pattern ever loosens.
      if (!address.toString().matches("[A-Za-z0-9.:\\[\\]-]+")) {
        throw new IllegalArgumentException("\"" + text + "\" contains characters nginx parses");
      }
      return address;
    } catch (IllegalArgumentException e) {
      throw InvalidConfiguration.failure(what + ": " + e.getMessage());
    }
  }

  /** A loopback {@code host:port}, for endpoints that change traffic without authentication. */
  static ServerAddress loopback(String what, String text) {
    ServerAddress address = address(what, text);
    if (!NginxRouterSettings.isLoopback(address.host())) {
      throw InvalidConfiguration.failure(
          what
              + ": \""
              + text
              + "\" is not a loopback address (127.x.x.x:port or [::1]:port); the admin endpoint"
              + " changes weights without authentication");
    }
    return address;
  }

  static String cookieName(String name) {
    if (name == null || !COOKIE.matcher(name).matches()) {
      throw InvalidConfiguration.failure(
          "session cookie name \"" + name + "\" is not letters, digits, _ and - (at most 64)");
    }
    return name;
  }

  /** An absolute, normalized path that may appear in nginx configuration and Lua strings. */
  static Path path(String what, Path path) {
    String text = path.toString();
    if (!path.isAbsolute() || !NginxRouterSettings.PATH.matcher(text).matches()) {
      throw InvalidConfiguration.failure(
          what + ": \"" + text + "\" is not an absolute " + NginxRouterSettings.PATH_RULE);
    }
    return path;
  }

  /**
   * A comment's text on one line: control characters (a newline would end the comment and start a
   * directive) become spaces, and the length is bounded.
   */
  static String comment(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    text.codePoints()
        .limit(200)
        .forEach(c -> out.appendCodePoint(Character.isISOControl(c) || c > 0x7e ? ' ' : c));
    return out.toString().strip();
  }

  /**
   * A double-quoted string literal, valid both in nginx configuration and in Lua. Only the
   * characters {@link #path}, names and addresses allow reach here; anything else is refused rather
   * than escaped, as nginx and Lua escape differently.
   */
  static String quoted(String text) {
    if (!text.matches("[A-Za-z0-9._/+:\\[\\]() -]*")) {
      throw InvalidConfiguration.failure(
          "\"" + text + "\" cannot be quoted in nginx configuration");
    }
    return "\"" + text + "\"";
  }

  /** An nginx time: whole seconds as {@code 30s}, anything finer in milliseconds. */
  static String time(Duration duration) {
    if (duration.toMillis() % 1000 == 0) {
      return duration.toSeconds() + "s";
    }
    return duration.toMillis() + "ms";
  }

  /**
   * An nginx time in whole seconds, rounded up, at least 1s: {@code fail_timeout} takes no
   * milliseconds ({@code 1500ms} in a document is rendered {@code 2s}).
   */
  static String seconds(Duration duration) {
    long millis = Math.max(1, duration.toMillis());
    return ((millis + 999) / 1000) + "s";
  }

  /** A regular expression matching {@code text} literally (names: letters, digits, '.', '-'). */
  static String literalRegex(String text) {
    return text.replace(".", "\\.");
  }

  /**
   * A {@code map} key matching {@code name} exactly, case-sensitively: {@code "~^v1\.2$"}. A plain
   * map string would ignore case.
   */
  static String exactMatch(String name) {
    return "\"~^" + literalRegex(name) + "$\"";
  }
}
