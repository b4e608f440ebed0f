package dev.trafficctl.config.catalog;

import dev.trafficctl.config.Validator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code host:port} written in a document. Only host names, IPv4 and bracketed IPv6 addresses
 * pass: addresses are rendered into load-balancer configuration, so nothing that could end a
 * directive ({@code ;}, braces, spaces, quotes) may get through.
 */
public record ServerAddress(String host, int port) {

  private static final Pattern SHAPE =
      Pattern.compile(
          "(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):([0-9]{1,5})");

  public static final String RULE =
      "host:port (a host name, IPv4 or [IPv6] address, port 1..65535)";

  /** Parses {@code text}, or throws {@link IllegalArgumentException} naming the rule. */
  public static ServerAddress parse(String text) {
    Matcher m = text == null ? null : SHAPE.matcher(text);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("\"" + text + "\" is not " + RULE);
    }
    int port = Integer.parseInt(m.group(2));
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("\"" + text + "\" is not " + RULE);
    }
    return new ServerAddress(m.group(1), port);
  }

  /** Records a problem at {@code at} unless {@code text} is a valid address. */
  public static boolean check(Validator at, String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      at.fail(e.getMessage());
      return false;
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
