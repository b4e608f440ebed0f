package dev.trafficctl.config.loadbalancer;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code load_balancer.session}: keeping a client on the server it was first sent to, with a cookie
 * the load balancer sets.
 *
 * @param persistence whether clients stick to a server; default false
 * @param cookieName the cookie's name, {@code [A-Za-z0-9_-]+}; default {@code trafficctl_route}
 *     when persistence is on, and only allowed then
 * @param timeout how long the cookie keeps a client on its server; default 1h when persistence is
 *     on, and only allowed then
 */
public record SessionPersistence(Boolean persistence, String cookieName, Duration timeout)
    implements Validatable {

  public static final String DEFAULT_COOKIE = "trafficctl_route";

  /** The name is rendered into load-balancer configuration: nothing that could end a directive. */
  private static final Pattern COOKIE = Pattern.compile("[A-Za-z0-9_-]+");

  public SessionPersistence {
    persistence = persistence == null ? Boolean.FALSE : persistence;
    if (persistence) {
      cookieName = cookieName == null ? DEFAULT_COOKIE : cookieName;
      timeout = timeout == null ? Duration.ofHours(1) : timeout;
    }
  }

  @Override
  public void validate(Validator at) {
    if (!persistence) {
      at.check(cookieName == null, "cookie_name", "applies only with persistence: true");
      at.check(timeout == null, "timeout", "applies only with persistence: true");
      return;
    }
    at.matches("cookie_name", cookieName, COOKIE, "a cookie name (letters, digits, _ and -)");
    at.positive("timeout", timeout);
  }
}
