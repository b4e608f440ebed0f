package dev.trafficctl.activities;

import java.util.regex.Pattern;

/**
 * Names of services, environments and versions: {@code [a-z0-9][a-z0-9.-]*}. Adapters put them into
 * file paths and queries, so they check the shape again where they use them rather than trust that
 * every caller validated its input: no slash, no quote, no leading dot can get through.
 */
public final class ResourceName {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*");

  /** The rule, for error messages. */
  public static final String RULE = "[a-z0-9][a-z0-9.-]*";

  private ResourceName() {}

  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * Returns {@code name}, or throws a non-retryable {@link InvalidConfiguration} failure naming
   * {@code what} ("service", "env", "version") when it is not a valid name.
   */
  public static String require(String what, String name) {
    if (!isValid(name)) {
      throw InvalidConfiguration.failure(
          what
              + " "
              + (name == null ? "is missing" : "\"" + name + "\" is not a valid name")
              + " (names are "
              + RULE
              + ")");
    }
    return name;
  }
}
