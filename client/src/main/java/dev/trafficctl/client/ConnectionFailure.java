package dev.trafficctl.client;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.temporal.envconfig.ClientConfigProfile;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * A failure to talk to Temporal at all, told in one line that names the problem and the setting to
 * check: the server's certificate is not trusted or not for this name, the port does not speak TLS
 * (or only speaks TLS), a client certificate or API key was refused, nothing listens. gRPC's own
 * text ("UNAVAILABLE: io exception" and a channel pipeline on the next line) names none of these.
 *
 * <p>{@link Kind#SETTINGS} is a problem of the connection settings, which retrying will not fix;
 * {@link Kind#UNREACHABLE} is the network or a server that is down. Messages never carry the API
 * key, even when a server echoes it.
 */
public final class ConnectionFailure {

  /** What a user should do about it: fix a setting, or wait for the server. */
  public enum Kind {
    SETTINGS,
    UNREACHABLE
  }

  private static final Pattern HTTP_STATUS = Pattern.compile("HTTP status code (\\d{3})");
  private static final Pattern TITLE =
      Pattern.compile("<title>\\s*(.*?)\\s*</title>", Pattern.DOTALL);

  /** Where each setting is made, for the hints. */
  private static final String CA_HINT = "--tls-ca or TEMPORAL_TLS_SERVER_CA_CERT_PATH";

  private static final String NAME_HINT = "--tls-server-name or TEMPORAL_TLS_SERVER_NAME";
  private static final String CLIENT_CERT_HINT =
      "--tls-cert/--tls-key or TEMPORAL_TLS_CLIENT_CERT_PATH/TEMPORAL_TLS_CLIENT_KEY_PATH";
  private static final String API_KEY_HINT =
      "--api-key-file, TEMPORAL_API_KEY or the profile's api_key";

  private final Kind kind;
  private final String message;

  private ConnectionFailure(Kind kind, String message) {
    this.kind = kind;
    this.message = message;
  }

  public Kind kind() {
    return kind;
  }

  /** One line, without the API key. */
  public String message() {
    return message;
  }

  @Override
  public String toString() {
    return kind + ": " + message;
  }

  /**
   * The connection problem behind {@code failure}, if it is one.
   *
   * @param failure anything thrown by a Temporal call; its causes are searched
   * @param profile the settings in force (address and API key), or null when unknown
   * @return empty when {@code failure} is not about the connection (e.g. a workflow not found)
   */
  public static Optional<ConnectionFailure> of(Throwable failure, ClientConfigProfile profile) {
    String address = profile == null ? null : profile.getAddress();
    String apiKey = profile == null ? null : profile.getApiKey();
    return classify(failure, address, apiKey != null && !apiKey.isEmpty())
        .map(f -> new ConnectionFailure(f.kind, redact(oneLine(f.message), apiKey)));
  }

  /**
   * Whether {@code status} is a connection problem that retrying cannot fix (a certificate, a TLS
   * mismatch, a proxy answering HTTP 400). The SDK retries UNAVAILABLE and INTERNAL for as long as
   * a call may take; {@link #permanent} turns these into a code it does not retry.
   */
  static boolean isSettingsProblem(Status status) {
    if (status.getCode() != Status.Code.UNAVAILABLE
        && status.getCode() != Status.Code.INTERNAL
        && status.getCode() != Status.Code.UNKNOWN) {
      return false;
    }
    Optional<ConnectionFailure> found = classify(status.asRuntimeException(), null, false);
    return found.isPresent() && found.get().kind == Kind.SETTINGS;
  }

  /**
   * {@code status} as FAILED_PRECONDITION when it is a settings problem ({@link
   * #isSettingsProblem}), with its description and cause kept; otherwise {@code status} itself.
   */
  static Status permanent(Status status) {
    if (!isSettingsProblem(status)) {
      return status;
    }
    return Status.FAILED_PRECONDITION
        .withDescription(status.getDescription())
        .withCause(status.getCause());
  }

  private static Optional<ConnectionFailure> classify(
      Throwable failure, String address, boolean apiKeySent) {
    String at = address == null ? "Temporal" : "Temporal at " + address;
    List<Throwable> chain = causes(failure);
    Status status = statusIn(chain);
    String description = status == null ? null : status.getDescription();

    // TLS, from the most specific cause to the least.
    for (Throwable t : chain) {
      String text = String.valueOf(t.getMessage());
      if (t instanceof CertificateExpiredException) {
        return settings(
            "TLS: the certificate of " + at + " has expired (" + firstLine(t.getMessage()) + ")");
      }
      if (t instanceof CertificateException
          && (text.contains("No subject alternative") || text.contains("No name matching"))) {
        return settings(
            "TLS: the certificate of "
                + at
                + " is not for the expected server name ("
                + firstLine(t.getMessage())
                + "); check "
                + NAME_HINT);
      }
    }
    for (Throwable t : chain) {
      String text = String.valueOf(t.getMessage());
      if (t instanceof CertPathBuilderException
          || t instanceof CertPathValidatorException
          || text.contains("PKIX path")
          || text.contains("unable to find valid certification path")) {
        return settings(
            "TLS: the certificate of "
                + at
                + " is not signed by a trusted CA; check "
                + CA_HINT
                + " (without it, the system's CAs are trusted)");
      }
    }
    for (Throwable t : chain) {
      String text = String.valueOf(t.getMessage());
      if (t.getClass().getSimpleName().equals("NotSslRecordException")
          || text.contains("not an SSL/TLS record")) {
        return settings(
            at
                + " does not speak TLS; check the port, or connect without TLS (--no-tls, or"
                + " TEMPORAL_TLS=false)");
      }
    }
    for (Throwable t : chain) {
      if (t instanceof SSLException) {
        String text = firstLine(deepestMessage(t));
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("alert") || lower.contains("certificate")) {
          return settings(
              "TLS: "
                  + at
                  + " refused the handshake ("
                  + text
                  + "); it may want a client certificate it trusts: "
                  + CLIENT_CERT_HINT);
        }
        return unreachable("TLS handshake with " + at + " failed: " + text);
      }
    }
    if (mentions(chain, description, "First received frame was not SETTINGS")) {
      return settings(
          at
              + " did not answer plaintext gRPC; if it expects TLS, connect with TLS (--tls, or"
              + " TEMPORAL_TLS=true)");
    }
    if (status == null) {
      return Optional.empty();
    }

    // Something answered, but not with gRPC: a proxy or load balancer in front of Temporal.
    if (description != null) {
      Matcher http = HTTP_STATUS.matcher(description);
      if (http.find() && description.contains("invalid content-type")) {
        int code = Integer.parseInt(http.group(1));
        Matcher title = TITLE.matcher(description);
        String what = "";
        if (title.find()) {
          // nginx's titles repeat the code: "400 No required SSL certificate was sent".
          what = ": " + title.group(1).replaceFirst("^" + code + "\\s+", "");
        }
        String line = at + " answered HTTP " + code + " instead of gRPC" + what;
        if (code == 400 && description.contains("SSL certificate")) {
          return settings(line + "; check the client certificate: " + CLIENT_CERT_HINT);
        }
        return code >= 400 && code < 500 ? settings(line) : unreachable(line);
      }
    }

    String said = description == null || description.isBlank() ? "" : firstLine(description);
    switch (status.getCode()) {
      case UNAUTHENTICATED:
        return settings(
            at
                + " refused the credentials"
                + (said.isEmpty() ? "" : ": " + said)
                + " (UNAUTHENTICATED); "
                + (apiKeySent
                    ? "check the API key: " + API_KEY_HINT
                    : "no API key was sent: " + API_KEY_HINT));
      case PERMISSION_DENIED:
        return settings(
            at
                + " denied permission"
                + (said.isEmpty() ? "" : ": " + said)
                + " (PERMISSION_DENIED); check the namespace and what the API key or client"
                + " certificate may do");
      case UNAVAILABLE:
        for (Throwable t : chain) {
          if (t instanceof ConnectException) {
            return unreachable(
                "cannot reach "
                    + at
                    + ": connection refused (is it running? check --address or TEMPORAL_ADDRESS)");
          }
          if (t instanceof UnknownHostException) {
            return unreachable(
                "cannot reach " + at + ": unknown host (check --address or TEMPORAL_ADDRESS)");
          }
        }
        String cause = firstLine(deepestMessage(failure));
        String reason = said.isEmpty() || said.equals("io exception") ? cause : said;
        return unreachable(
            "cannot reach " + at + (reason == null || reason.isEmpty() ? "" : ": " + reason));
      case DEADLINE_EXCEEDED:
        return unreachable("cannot reach " + at + ": no answer in time (DEADLINE_EXCEEDED)");
      default:
        return Optional.empty();
    }
  }

  private static Optional<ConnectionFailure> settings(String message) {
    return Optional.of(new ConnectionFailure(Kind.SETTINGS, message));
  }

  private static Optional<ConnectionFailure> unreachable(String message) {
    return Optional.of(new ConnectionFailure(Kind.UNREACHABLE, message));
  }

  private static boolean mentions(List<Throwable> chain, String description, String text) {
    if (description != null && description.contains(text)) {
      return true;
    }
    return chain.stream().anyMatch(t -> String.valueOf(t.getMessage()).contains(text));
  }

  /** {@code failure} and its causes, each once. */
  private static List<Throwable> causes(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static Status statusIn(List<Throwable> chain) {
    for (Throwable t : chain) {
      if (t instanceof StatusRuntimeException s) {
        return s.getStatus();
      }
      if (t instanceof StatusException s) {
        return s.getStatus();
      }
    }
    return null;
  }

  private static String deepestMessage(Throwable failure) {
    String message = null;
    for (Throwable t : causes(failure)) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message == null ? failure.getClass().getSimpleName() : message;
  }

  static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  /** {@code text} without {@code secret}; servers and proxies have been known to echo headers. */
  static String redact(String text, String secret) {
    if (text == null || secret == null || secret.isEmpty()) {
      return text;
    }
    return text.replace(secret, "<api key>");
  }
}
