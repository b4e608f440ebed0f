package dev.trafficctl.activities.metrics.prometheus;

/**
 * Prometheus could not be reached or answered with a server-side error. Retryable: the next
 * attempt, or the next analysis, may well get an answer.
 */
public final class PrometheusUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PrometheusUnavailableException(String message) {
    super(message);
  }

  public PrometheusUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
