package dev.trafficctl.activities.notify.email;

import dev.trafficctl.activities.notify.Secret;
import java.time.Duration;

/**
 * How the worker reaches its SMTP server. One per worker, from its environment or flags; the
 * recipients are not here but in each catalog environment's {@code notifications.email.to}.
 *
 * <p>{@link #toString()} is safe to log: the password prints as {@code ****}.
 *
 * @param host the SMTP server, e.g. {@code smtp.example.com}
 * @param port its port; {@link SmtpSecurity#defaultPort()} gives the usual one for {@code security}
 * @param security how the connection is protected, see {@link SmtpSecurity}
 * @param username SMTP AUTH user; null to send without authentication (a local relay). Given
 *     together with {@code password} or not at all
 * @param password SMTP AUTH password; null exactly when {@code username} is. With {@link
 *     SmtpSecurity#NONE} it travels in the clear, so use that only for a relay on the same host or
 *     network
 * @param from the {@code From:} header and envelope sender, e.g. {@code trafficctl
 *     <deploys@example.com>}
 * @param timeout the bound on connecting, on each read and on each write, so an unreachable or
 *     silent server fails the attempt (and the activity retries) instead of hanging it; null means
 *     10 seconds. Keep it well below the notify activity's start-to-close timeout (20s)
 */
public record SmtpSettings(
    String host,
    int port,
    SmtpSecurity security,
    String username,
    Secret password,
    String from,
    Duration timeout) {

  /** The bound on connecting, reading and writing when none is given. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** How the connection to the SMTP server is protected. */
  public enum SmtpSecurity {
    /** Plain SMTP, no TLS: a relay on localhost or a test server. Usually port 25. */
    NONE(25),
    /**
     * Plain connection upgraded with {@code STARTTLS}, which is required: a server that does not
     * offer it fails the send instead of receiving the message (and password) in the clear. Usually
     * port 587 (submission).
     */
    STARTTLS(587),
    /** TLS from the first byte (implicit TLS, "SMTPS"). Usually port 465. */
    SSL(465);

    private final int defaultPort;

    SmtpSecurity(int defaultPort) {
      this.defaultPort = defaultPort;
    }

    /** The port usually used with this kind of security: 25, 587 or 465. */
    public int defaultPort() {
      return defaultPort;
    }
  }

  public SmtpSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("SMTP host is required");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("SMTP port must be 1..65535, not " + port);
    }
    if (security == null) {
      throw new IllegalArgumentException("SMTP security is required: NONE, STARTTLS or SSL");
    }
    if (username != null && username.isBlank()) {
      username = null;
    }
    if ((username == null) != (password == null)) {
      throw new IllegalArgumentException(
          "SMTP username and password go together: give both or neither");
    }
    if (from == null || from.isBlank()) {
      throw new IllegalArgumentException("SMTP from address is required");
    }
    if (timeout == null) {
      timeout = DEFAULT_TIMEOUT;
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("SMTP timeout must be positive, not " + timeout);
    }
  }
}
