package dev.trafficctl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.testing.Ports;
import dev.trafficctl.testing.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One instance of the demo service ({@code bin/trafficctl-demo-service}) on a loopback port. */
final class DemoInstance implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int port;
  private final String version;

  private DemoInstance(Process process, int port, String version) {
    this.process = process;
    this.port = port;
    this.version = version;
  }

  static DemoInstance start(String version, Path log) {
    int port = Ports.free();
    try {
      Process process =
          new ProcessBuilder(
                  ProjectPaths.bin("trafficctl-demo-service").toString(),
                  "--port",
                  Integer.toString(port),
                  "--version",
                  version)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      DemoInstance instance = new DemoInstance(process, port, version);
      Waits.until(
          version + " demo instance listening",
          Duration.ofSeconds(30),
          () -> read(log),
          text -> text.contains("listening") || !process.isAlive());
      if (!process.isAlive()) {
        throw new AssertionError("demo instance exited:\n" + read(log));
      }
      return instance;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  String version() {
    return version;
  }

  /** Requests this instance answered, by its own counters. */
  long requests() {
    return get("/admin/stats").path("requests").asLong();
  }

  /** Changes the injected error rate (percent) at run time. */
  void errorRate(double percent) {
    send(
        HttpRequest.newBuilder(URI.create("http://" + address() + "/admin/config"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"error_rate\":" + percent + "}"))
            .build());
  }

  private JsonNode get(String path) {
    try {
      return JsonMapping.json()
          .readTree(send(HttpRequest.newBuilder(URI.create("http://" + address() + path)).build()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String send(HttpRequest request) {
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError(request.uri() + " answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static long total(List<DemoInstance> instances) {
    return instances.stream().mapToLong(DemoInstance::requests).sum();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
