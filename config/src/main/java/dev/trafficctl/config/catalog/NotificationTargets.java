package dev.trafficctl.config.catalog;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.config.notification.NotificationSpec;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code notifications:} of a catalog environment: where each channel sends. Secrets (tokens,
 * passwords, signing keys) never live here; they come from the environment or files.
 */
public record NotificationTargets(Slack slack, Email email, Webhook webhook)
    implements Validatable {

  /**
   * @param channel Slack channel name or id, e.g. {@code #deploys}
   */
  public record Slack(String channel) implements Validatable {
    @Override
    public void validate(Validator at) {
      if (at.required("channel", channel)) {
        at.matches("channel", channel, Pattern.compile("#?[A-Za-z0-9._-]+"), "a Slack channel");
      }
    }
  }

  /**
   * @param to recipients
   */
  public record Email(List<String> to) implements Validatable {
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s]+@[^@\\s]+");

    public Email {
      to = to == null ? null : List.copyOf(to);
    }

    @Override
    public void validate(Validator at) {
      if (at.required("to", to) && at.notEmpty("to", to)) {
        for (int i = 0; i < to.size(); i++) {
          if (!ADDRESS.matcher(to.get(i)).matches()) {
            at.at("to").index(i).fail("\"" + to.get(i) + "\" is not an email address");
          }
        }
      }
    }
  }

  /**
   * @param url endpoint receiving the JSON POST
   */
  public record Webhook(String url) implements Validatable {
    @Override
    public void validate(Validator at) {
      if (at.required("url", url)) {
        at.matches("url", url, Pattern.compile("https?://\\S+"), "an http(s) URL");
      }
    }
  }

  /** Whether this entry says where {@code channel} sends. */
  public boolean has(NotificationChannel channel) {
    return switch (channel) {
      case SLACK -> slack != null;
      case EMAIL -> email != null;
      case WEBHOOK -> webhook != null;
    };
  }

  /**
   * Records a problem at {@code at} for each channel {@code spec} notifies on that this entry has
   * no destination for: a rollout would only find out when its first event fails to send.
   */
  public void checkDestinations(Validator at, NotificationSpec spec, String strategy) {
    for (NotificationChannel channel : spec.channels()) {
      at.check(
          has(channel),
          channel.wire(),
          "missing: the "
              + strategy
              + " notifies on "
              + channel.wire()
              + ", so the catalog entry needs its destination here");
    }
  }

  @Override
  public void validate(Validator at) {
    at.nested("slack", slack);
    at.nested("email", email);
    at.nested("webhook", webhook);
  }
}
