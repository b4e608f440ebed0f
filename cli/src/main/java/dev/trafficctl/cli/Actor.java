package dev.trafficctl.cli;

/** Who is acting, for a rollout's record. */
public final class Actor {

  private Actor() {}

  /** {@code --by}, else the login name. */
  public static String of(String by) {
    if (by != null && !by.isBlank()) {
      return by;
    }
    String user = System.getenv("USER");
    return user == null || user.isBlank() ? System.getProperty("user.name", "unknown") : user;
  }
}
