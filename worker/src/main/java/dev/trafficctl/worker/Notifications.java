package dev.trafficctl.worker;

import dev.trafficctl.activities.AllowedHosts;
import dev.trafficctl.activities.notify.ChannelSender;
import dev.trafficctl.activities.notify.NotifierActivity;
import dev.trafficctl.activities.notify.Secret;
import dev.trafficctl.activities.notify.WebUiLinks;
import dev.trafficctl.activities.notify.email.EmailSender;
import dev.trafficctl.activities.notify.email.SmtpSettings;
import dev.trafficctl.activities.notify.email.SmtpSettings.SmtpSecurity;
import dev.trafficctl.activities.notify.slack.SlackSender;
import dev.trafficctl.activities.notify.webhook.WebhookSender;
import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.workflows.ports.Notifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The notification channels of this worker, configured from its environment so that secrets never
 * appear on a command line (where {@code ps} shows them) nor in the catalog:
 *
 * <pre>
 * Slack    SLACK_BOT_TOKEN or SLACK_BOT_TOKEN_FILE; SLACK_API_URL for a gateway
 * email    TRAFFICCTL_SMTP_HOST, _PORT, _SECURITY (starttls|ssl|none), _USERNAME, _FROM, _TIMEOUT;
 *          TRAFFICCTL_SMTP_PASSWORD or TRAFFICCTL_SMTP_PASSWORD_FILE
 * webhook  TRAFFICCTL_WEBHOOK_SECRET or TRAFFICCTL_WEBHOOK_SECRET_FILE signs the body (optional)
 * </pre>
 *
 * A channel without its settings is not an error at start: rollouts that use it get a failed
 * notification saying what to set, and go on.
 */
final class Notifications {

  static final String SMTP = "TRAFFICCTL_SMTP_";
  static final String WEBHOOK_SECRET = "TRAFFICCTL_WEBHOOK_SECRET";
  private static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(10);

  private Notifications() {}

  /** The notifier of a worker that allows loopback hosts alone (tests, the default). */
  static Notifier create(Map<String, String> env, WebUiLinks links) {
    return create(env, links, AllowedHosts.LOOPBACK);
  }

  /**
   * @param hosts the hosts a catalog's webhook URL may reach: the worker's {@code --allow-host}
   */
  static Notifier create(Map<String, String> env, WebUiLinks links, AllowedHosts hosts) {
    List<ChannelSender> senders = new ArrayList<>();
    Map<NotificationChannel, String> missing = new EnumMap<>(NotificationChannel.class);
    SlackSender.fromEnvironment(env)
        .ifPresentOrElse(
            senders::add,
            () ->
                missing.put(
                    NotificationChannel.SLACK,
                    "set "
                        + SlackSender.TOKEN_VARIABLE
                        + " or "
                        + SlackSender.TOKEN_FILE_VARIABLE));
    if (present(env, SMTP + "HOST")) {
      senders.add(new EmailSender(smtp(env)));
    } else {
      missing.put(NotificationChannel.EMAIL, "set " + SMTP + "HOST and " + SMTP + "FROM");
    }
    senders.add(
        new WebhookSender(secret(env, WEBHOOK_SECRET).orElse(null), WEBHOOK_TIMEOUT, hosts));
    return new NotifierActivity(senders, missing, links);
  }

  static SmtpSettings smtp(Map<String, String> env) {
    SmtpSecurity security =
        present(env, SMTP + "SECURITY") ? parse(env.get(SMTP + "SECURITY")) : SmtpSecurity.STARTTLS;
    int port = present(env, SMTP + "PORT") ? port(env.get(SMTP + "PORT")) : security.defaultPort();
    Duration timeout =
        present(env, SMTP + "TIMEOUT")
            ? duration(SMTP + "TIMEOUT", env.get(SMTP + "TIMEOUT"))
            : SmtpSettings.DEFAULT_TIMEOUT;
    if (!present(env, SMTP + "FROM")) {
      throw bad(SMTP + "FROM is not set: the sender address of rollout emails");
    }
    try {
      return new SmtpSettings(
          env.get(SMTP + "HOST").strip(),
          port,
          security,
          present(env, SMTP + "USERNAME") ? env.get(SMTP + "USERNAME").strip() : null,
          secret(env, SMTP + "PASSWORD").orElse(null),
          env.get(SMTP + "FROM").strip(),
          timeout);
    } catch (IllegalArgumentException e) {
      throw bad("SMTP settings: " + e.getMessage());
    }
  }

  /** {@code NAME_FILE} names a file holding the secret, else {@code NAME} holds it. */
  private static java.util.Optional<Secret> secret(Map<String, String> env, String name) {
    String file = env.get(name + "_FILE");
    return Secret.from(env, name, present(env, name + "_FILE") ? Path.of(file.strip()) : null);
  }

  private static SmtpSecurity parse(String value) {
    try {
      return SmtpSecurity.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad(SMTP + "SECURITY=" + value + " is not one of starttls, ssl, none");
    }
  }

  private static int port(String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw bad(SMTP + "PORT=" + value + " is not a port");
    }
  }

  private static Duration duration(String name, String value) {
    return SpecDurations.parse(value.strip())
        .orElseThrow(() -> bad(name + "=" + value + " is not a duration such as 10s"));
  }

  private static boolean present(Map<String, String> env, String name) {
    String value = env.get(name);
    return value != null && !value.isBlank();
  }

  private static StartupFailure bad(String message) {
    return new StartupFailure(StartupFailure.BAD_INPUT, message);
  }
}
