package dev.trafficctl.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Prometheus's HTTP API, answering the three queries the worker sends with a healthy candidate:
 * plenty of requests, no failures, fast responses. Real response bodies, loopback only.
 */
final class FakePrometheus implements AutoCloseable {

  private final MockWebServer server = new MockWebServer();
  private final AtomicInteger queries = new AtomicInteger();

  FakePrometheus() {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            queries.incrementAndGet();
            String query = request.getRequestUrl().queryParameter("query");
            if (query == null) {
              return new MockResponse().setResponseCode(400);
            }
            String value;
            if (query.startsWith("histogram_quantile")) {
              value = "0.120"; // seconds
            } else if (query.contains("code=~")) {
              value = "0";
            } else {
              value = "1200";
            }
            return new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody(
                    String.format(
                        Locale.ROOT,
                        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                            + "\"result\":[{\"metric\":{},\"value\":[%d.000,\"%s\"]}]}}",
                        System.currentTimeMillis() / 1000,
                        value));
          }
        });
    try {
      server.start(InetAddress.getLoopbackAddress(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String address() {
    return "http://127.0.0.1:" + server.getPort();
  }

  int queries() {
    return queries.get();
  }

  @Override
  public void close() throws IOException {
    server.shutdown();
  }
}
