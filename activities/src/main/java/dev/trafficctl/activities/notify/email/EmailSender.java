package dev.trafficctl.activities.notify.email;

import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.activities.notify.ChannelSender;
import dev.trafficctl.activities.notify.NotificationMessage;
import dev.trafficctl.activities.notify.email.SmtpSettings.SmtpSecurity;
import dev.trafficctl.config.catalog.NotificationTargets;
import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.workflows.ports.RolloutNotification;
import io.temporal.failure.ApplicationFailure;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The email channel: one {@code multipart/alternative} message (plain text and HTML) per event to
 * the catalog environment's {@code notifications.email.to}, over SMTP as {@link SmtpSettings} say.
 * The {@code Message-ID} is derived from the event id, so a retried send carries the same one (see
 * the package documentation for what that does and does not deduplicate).
 *
 * <p>Failures: a missing or malformed recipient, a rejected login, a recipient or sender the server
 * refuses permanently, a server without the required STARTTLS and an untrusted certificate fail
 * non-retryably ({@code InvalidConfiguration}); everything else (refused or timed-out connection, a
 * dropped connection, a temporary {@code 4xx} answer) fails with type {@value #RETRYABLE_TYPE} and
 * the activity retries. No message, failure or log line ever contains the password.
 */
public final class EmailSender implements ChannelSender {

  /** Failure type of a send that may succeed when retried. */
  public static final String RETRYABLE_TYPE = "EmailNotSent";

  private static final Logger log = LoggerFactory.getLogger(EmailSender.class);

  private static final Pattern NOT_ID_CHARS = Pattern.compile("[^A-Za-z0-9.-]+");
  private static final Pattern DOTS = Pattern.compile("\\.{2,}");
  private static final Pattern EDGE_DOTS = Pattern.compile("^\\.+|\\.+$");
  private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n\\t]+");
  private static final int MAX_ID_TEXT = 120;

  private final SmtpSettings settings;
  private final InternetAddress from;
  private final Session session;

  /**
   * @throws IllegalArgumentException when {@code settings.from()} is not an email address
   */
  public EmailSender(SmtpSettings settings) {
    this.settings = settings;
    try {
      this.from = new InternetAddress(settings.from(), true);
    } catch (AddressException e) {
      throw new IllegalArgumentException(
          "SMTP from \"" + settings.from() + "\" is not an email address: " + e.getMessage(), e);
    }
    this.session = Session.getInstance(properties(settings, from));
  }

  private static Properties properties(SmtpSettings settings, InternetAddress from) {
    Properties p = new Properties();
    String timeout = Long.toString(settings.timeout().toMillis());
    p.setProperty("mail.transport.protocol", "smtp");
    p.setProperty("mail.smtp.host", settings.host());
    p.setProperty("mail.smtp.port", Integer.toString(settings.port()));
    p.setProperty("mail.smtp.connectiontimeout", timeout);
    p.setProperty("mail.smtp.timeout", timeout);
    p.setProperty("mail.smtp.writetimeout", timeout);
    p.setProperty("mail.smtp.from", from.getAddress());
    p.setProperty("mail.smtp.auth", Boolean.toString(settings.username() != null));
    // Never "mail.debug": its protocol trace would print the AUTH exchange (the password).
    switch (settings.security()) {
      case NONE -> {}
      case STARTTLS -> {
        p.setProperty("mail.smtp.starttls.enable", "true");
        p.setProperty("mail.smtp.starttls.required", "true");
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
      }
      case SSL -> {
        p.setProperty("mail.smtp.ssl.enable", "true");
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
      }
    }
    return p;
  }

  @Override
  public NotificationChannel channel() {
    return NotificationChannel.EMAIL;
  }

  @Override
  public void send(NotificationMessage message, RolloutNotification notification) {
    send(message, notification.targets(), notification.eventId());
  }

  /** Sends {@code message} to {@code targets}' destination; {@code eventId} as in the event. */
  void send(NotificationMessage message, NotificationTargets targets, String eventId) {
    List<String> to = targets == null || targets.email() == null ? null : targets.email().to();
    if (to == null || to.isEmpty()) {
      throw InvalidConfiguration.failure(
          "the catalog entry has no notifications.email.to: nowhere to send the email about "
              + eventId);
    }
    InternetAddress[] recipients = recipients(to);
    MimeMessage mime;
    try {
      mime = render(message, recipients, eventId);
    } catch (MessagingException e) {
      throw new IllegalStateException("cannot build the email about " + eventId, e);
    }
    deliver(mime, recipients, eventId);
  }

  private static InternetAddress[] recipients(List<String> to) {
    InternetAddress[] out = new InternetAddress[to.size()];
    for (int i = 0; i < to.size(); i++) {
      try {
        out[i] = new InternetAddress(to.get(i), true);
      } catch (AddressException e) {
        throw InvalidConfiguration.failure(
            "notifications.email.to["
                + i
                + "]: \""
                + to.get(i)
                + "\" is not an email address ("
                + e.getMessage()
                + ")");
      }
    }
    return out;
  }

  private void deliver(MimeMessage mime, InternetAddress[] recipients, String eventId) {
    Transport transport = null;
    try {
      transport = session.getTransport("smtp");
      transport.connect(
          settings.host(),
          settings.port(),
          settings.username(),
          settings.password() == null ? null : settings.password().reveal());
      transport.sendMessage(mime, recipients);
      log.debug(
          "emailed {} about {} via {}:{}",
          addresses(recipients),
          eventId,
          settings.host(),
          settings.port());
    } catch (MessagingException e) {
      throw classify(e, recipients);
    } finally {
      closeQuietly(transport);
    }
  }

  /** After a sent message, a failing QUIT must not fail (and so repeat) the send. */
  private static void closeQuietly(Transport transport) {
    if (transport == null) {
      return;
    }
    try {
      transport.close();
    } catch (MessagingException | RuntimeException e) {
      log.debug("closing the SMTP connection failed", e);
    }
  }

  private ApplicationFailure classify(MessagingException e, InternetAddress[] recipients) {
    String server = settings.host() + ":" + settings.port();
    String detail = describe(e);
    if (e instanceof AuthenticationFailedException) {
      if (detail.startsWith("4")) {
        return retryable("SMTP server " + server + " refused the login for now: " + detail);
      }
      return InvalidConfiguration.failure(
          "SMTP server "
              + server
              + " rejected the login of user \""
              + settings.username()
              + "\": "
              + detail
              + "; check the SMTP username and password");
    }
    if (e instanceof SendFailedException sfe
        && sfe.getInvalidAddresses() != null
        && sfe.getInvalidAddresses().length > 0) {
      Address[] sent = sfe.getValidSentAddresses();
      return InvalidConfiguration.failure(
          "SMTP server "
              + server
              + " refused the recipients "
              + addresses(sfe.getInvalidAddresses())
              + " ("
              + detail
              + "); "
              + (sent == null || sent.length == 0
                  ? "nothing was sent"
                  : "sent only to " + addresses(sent))
              + "; check notifications.email.to");
    }
    if (e instanceof SMTPSendFailedException sfe && sfe.getReturnCode() / 100 == 5) {
      return InvalidConfiguration.failure(
          "SMTP server "
              + server
              + " refused the message from "
              + from.getAddress()
              + " permanently: "
              + detail);
    }
    if (settings.security() == SmtpSecurity.STARTTLS
        && e.getClass() == MessagingException.class
        && e.getMessage() != null
        && e.getMessage().contains("STARTTLS")) {
      return InvalidConfiguration.failure(
          "SMTP server "
              + server
              + " does not offer STARTTLS, which security STARTTLS requires: use SSL (usually"
              + " port 465) or the server's submission port; NONE only for a local relay");
    }
    if (hasCause(e, GeneralSecurityException.class)) {
      return InvalidConfiguration.failure(
          "TLS with SMTP server "
              + server
              + " failed, its certificate is not trusted: "
              + detail
              + "; add its CA to the worker's trust store or fix the SMTP host name");
    }
    return retryable(
        "email to "
            + addresses(recipients)
            + " via SMTP server "
            + server
            + " failed, will retry: "
            + detail);
  }

  private static ApplicationFailure retryable(String message) {
    return ApplicationFailure.newFailure(message, RETRYABLE_TYPE);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The messages of {@code e} and its causes, without the password. The causes themselves are not
   * attached to the failure: Temporal would record their messages unredacted.
   */
  private String describe(Throwable e) {
    Set<String> parts = new LinkedHashSet<>();
    int depth = 0;
    for (Throwable t = e; t != null && depth < 8; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      parts.add(
          m == null || m.isBlank()
              ? t.getClass().getSimpleName()
              : (t == e ? "" : t.getClass().getSimpleName() + ": ") + m.strip());
      depth++;
    }
    String text = LINE_BREAKS.matcher(String.join(": ", parts)).replaceAll(" ");
    return settings.password() == null ? text : settings.password().redact(text);
  }

  private static String addresses(Address[] addresses) {
    return Arrays.stream(addresses)
        .map(Address::toString)
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private MimeMessage render(NotificationMessage message, InternetAddress[] to, String eventId)
      throws MessagingException {
    MimeMessage mime = new FixedIdMessage(session, messageId(eventId));
    mime.setFrom(from);
    mime.setRecipients(Message.RecipientType.TO, to);
    mime.setSubject(LINE_BREAKS.matcher(message.title()).replaceAll(" "), "UTF-8");
    Instant at = message.at() == null ? Instant.now() : message.at();
    mime.setSentDate(Date.from(at));
    if (message.event() != null) {
      mime.setHeader("X-Trafficctl-Event", message.event().wire());
    }
    MimeBodyPart text = new MimeBodyPart();
    text.setText(message.text(), "UTF-8");
    MimeBodyPart html = new MimeBodyPart();
    html.setText(html(message), "UTF-8", "html");
    MimeMultipart alternative = new MimeMultipart("alternative");
    alternative.addBodyPart(text);
    alternative.addBodyPart(html);
    mime.setContent(alternative);
    mime.saveChanges();
    return mime;
  }

  /**
   * {@code <sanitized-event-id>.<hash>@trafficctl>}: the event id with every run of characters
   * outside {@code [A-Za-z0-9.-]} turned into one dot (an RFC 5322 dot-atom), plus the first 8 hex
   * digits of its SHA-256 so that ids differing only in those characters stay distinct. The same
   * event id always gives the same Message-ID.
   */
  public static String messageId(String eventId) {
    String text = NOT_ID_CHARS.matcher(eventId).replaceAll(".");
    text = DOTS.matcher(text).replaceAll(".");
    if (text.length() > MAX_ID_TEXT) {
      text = text.substring(0, MAX_ID_TEXT);
    }
    text = EDGE_DOTS.matcher(text).replaceAll("");
    String hash = sha256Hex(eventId).substring(0, 8);
    return "<" + (text.isEmpty() ? "" : text + ".") + hash + "@trafficctl>";
  }

  private static String sha256Hex(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The HTML part: the same content as the text part, every value escaped. */
  static String html(NotificationMessage m) {
    StringBuilder out = new StringBuilder(1024);
    out.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
        .append(escape(m.title()))
        .append("</title></head>\n<body style=\"font-family:sans-serif\">\n<h2>")
        .append(escape(m.title()))
        .append("</h2>\n");
    if (m.summary() != null && !m.summary().isBlank()) {
      out.append("<p>").append(escape(m.summary()).replace("\n", "<br>\n")).append("</p>\n");
    }
    if (!m.fields().isEmpty()) {
      out.append("<table cellpadding=\"4\" style=\"border-collapse:collapse\">\n");
      for (Map.Entry<String, String> f : m.fields().entrySet()) {
        out.append("<tr><th align=\"left\">")
            .append(escape(f.getKey()))
            .append("</th><td>")
            .append(escape(f.getValue()))
            .append("</td></tr>\n");
      }
      out.append("</table>\n");
    }
    if (!m.metrics().isEmpty()) {
      out.append("<h3>Metrics</h3>\n<ul>\n");
      for (String line : m.metrics()) {
        out.append("<li>").append(escape(line)).append("</li>\n");
      }
      out.append("</ul>\n");
    }
    if (m.link() != null) {
      String link = escape(m.link());
      out.append("<p>");
      if (m.link().startsWith("https://") || m.link().startsWith("http://")) {
        out.append("<a href=\"")
            .append(link)
            .append("\">Open the workflow in the Temporal Web UI</a>");
        out.append("<br>\n<small>").append(link).append("</small>");
      } else {
        out.append("Workflow: ").append(link);
      }
      out.append("</p>\n");
    }
    return out.append("</body></html>\n").toString();
  }

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * A message whose {@code Message-ID} survives {@link MimeMessage#saveChanges()}, which otherwise
   * replaces it with a fresh random one on every save.
   */
  private static final class FixedIdMessage extends MimeMessage {

    private final String messageId;

    FixedIdMessage(Session session, String messageId) {
      super(session);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }
}
