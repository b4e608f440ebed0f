package dev.trafficctl.activities.metrics.nginxlog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The fields of one access log line that {@link NginxLogMetrics} uses; the format is described
 * there. Values may be JSON strings (as nginx's {@code escape=json} writes every variable) or
 * numbers; other fields are ignored.
 *
 * @param epochMillis when nginx wrote the line ({@code time})
 * @param status the status sent to the client ({@code status}, else the last of {@code
 *     upstream_status})
 * @param requestMicros the request's duration in microseconds ({@code request_time})
 * @param pool the version pool that served the request, or null when the line names none
 */
record AccessLogEntry(long epochMillis, int status, long requestMicros, String pool) {

  /**
   * The entry on one line; empty when the line is not a JSON object or lacks {@code time}, a status
   * or {@code request_time}, or one of them is not a value of its kind.
   */
  static Optional<AccessLogEntry> parse(JsonFactory json, byte[] bytes, int offset, int length) {
    String time = null;
    String status = null;
    String upstreamStatus = null;
    String requestTime = null;
    String pool = null;
    try (JsonParser parser = json.createParser(bytes, offset, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        String value = scalar(parser, parser.nextToken());
        switch (name) {
          case "time" -> time = value;
          case "status" -> status = value;
          case "upstream_status" -> upstreamStatus = value;
          case "request_time" -> requestTime = value;
          case "pool" -> pool = value;
          default -> {}
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        return Optional.empty();
      }
    } catch (IOException notJson) {
      return Optional.empty();
    }
    long epochMillis = epochMillis(time);
    int finalStatus = finalStatus(status != null ? status : upstreamStatus);
    long requestMicros = micros(requestTime);
    if (epochMillis < 0 || finalStatus < 0 || requestMicros < 0) {
      return Optional.empty();
    }
    return Optional.of(new AccessLogEntry(epochMillis, finalStatus, requestMicros, pool));
  }

  /**
   * Whether this entry's pool is {@code version}'s: the version's name itself, or an upstream name
   * ending in {@code _<version>} ({@code trafficctl_demo_api_v2} for {@code v2}).
   */
  boolean servedBy(String version) {
    return pool != null
        && pool.endsWith(version)
        && (pool.length() == version.length()
            || pool.charAt(pool.length() - version.length() - 1) == '_');
  }

  /** A string or number as text; null for null, objects, arrays and nginx's "-" or "". */
  private static String scalar(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
      parser.skipChildren();
      return null;
    }
    if (token == JsonToken.VALUE_STRING
        || token == JsonToken.VALUE_NUMBER_INT
        || token == JsonToken.VALUE_NUMBER_FLOAT) {
      String text = parser.getText().strip();
      return text.isEmpty() || text.equals("-") ? null : text;
    }
    if (token == null) {
      throw new IOException("the object does not end");
    }
    return null;
  }

  /** Seconds since the epoch ({@code $msec}) or ISO 8601 ({@code $time_iso8601}); -1 if neither. */
  private static long epochMillis(String time) {
    if (time == null) {
      return -1;
    }
    if (time.indexOf('T') >= 0) {
      try {
        return OffsetDateTime.parse(time).toInstant().toEpochMilli();
      } catch (DateTimeException | ArithmeticException e) {
        return -1;
      }
    }
    double seconds = decimal(time);
    return seconds < 0 ? -1 : Math.round(seconds * 1000.0);
  }

  /**
   * The status nginx sent: the last of a list such as {@code "502, 200"} (a retry; nginx separates
   * attempts with commas and internal redirects with colons); -1 when it is not a status code.
   */
  private static int finalStatus(String status) {
    if (status == null) {
      return -1;
    }
    int cut = Math.max(status.lastIndexOf(','), status.lastIndexOf(':'));
    String last = status.substring(cut + 1).strip();
    if (last.length() != 3) {
      return -1;
    }
    int code = 0;
    for (int i = 0; i < 3; i++) {
      char c = last.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      code = code * 10 + (c - '0');
    }
    return code >= 100 ? code : -1;
  }

  /** Seconds such as {@code 0.012} as microseconds; -1 when not a non-negative decimal. */
  private static long micros(String seconds) {
    if (seconds == null) {
      return -1;
    }
    double value = decimal(seconds);
    return value < 0 ? -1 : Math.round(value * 1_000_000.0);
  }

  /**
   * A plain non-negative decimal ({@code 12}, {@code 0.012}); -1 for anything else, including the
   * exponents, hex digits and suffixes {@link Double#parseDouble} would take.
   */
  private static double decimal(String text) {
    boolean digit = false;
    boolean point = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c == '.' && !point) {
        point = true;
      } else {
        return -1;
      }
    }
    return digit ? Double.parseDouble(text) : -1;
  }
}
