package dev.trafficctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.testing.NginxProcess;
import dev.trafficctl.testing.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/stack.sh} as a person runs it, on ports of its own: {@code up} brings up the
 * demo's stack with nginx serving v1 before any rollout; a second {@code up} says what already runs
 * and starts nothing; {@code status} shows every component answering; the CLI, set up by {@code
 * env}, finds the split that put v1 at 100%; {@code down} stops everything, frees every port, and
 * {@code status} then says nothing runs.
 */
class StackScriptTest {

  private static final List<String> COMPONENTS =
      List.of(
          "Temporal dev server",
          "Prometheus",
          "demo service v1",
          "demo service v2",
          "nginx (api, demo)",
          "worker");

  @TempDir Path dir;

  @Test
  void upServesV1BeforeAnyRolloutAndDownStopsEverything() throws Exception {
    Path state = NginxProcess.readableByWorkers(dir.resolve("stack"));
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String name :
        List.of(
            "TRAFFICCTL_STACK_NGINX_PORT",
            "TRAFFICCTL_STACK_ADMIN_PORT",
            "TRAFFICCTL_STACK_WORKER_PORT",
            "TRAFFICCTL_PROMETHEUS_PORT",
            "TRAFFICCTL_TEMPORAL_PORT",
            "TRAFFICCTL_TEMPORAL_UI_PORT",
            "TRAFFICCTL_TEMPORAL_HTTP_PORT",
            "TRAFFICCTL_TEMPORAL_METRICS_PORT",
            "v1",
            "v1 again",
            "v2")) {
      ports.put(name, Ports.free());
    }
    Map<String, String> env = new LinkedHashMap<>();
    ports.forEach(
        (name, port) -> {
          if (name.startsWith("TRAFFICCTL_")) {
            env.put(name, Integer.toString(port));
          }
        });
    env.put(
        "TRAFFICCTL_STACK_SERVICE_PORTS",
        ports.get("v1") + " " + ports.get("v1 again") + " " + ports.get("v2"));
    env.put("TRAFFICCTL_STACK_STATE", state.toString());
    env.put("TRAFFICCTL_TEMPORAL_STATE", dir.resolve("temporal").toString());
    String nginx = "http://127.0.0.1:" + ports.get("TRAFFICCTL_STACK_NGINX_PORT") + "/";

    long started = System.nanoTime();
    try {
      Run up = stack(env, "up").expect(0);
      report("up", started, up);
      // Before any rollout: nginx serves v1, through the split the stack ran.
      assertTrue(get(nginx).contains("\"version\":\"v1\""), up.out());
      for (String component : COMPONENTS) {
        assertTrue(up.out().contains(component), component + " in:\n" + up.out());
      }
      assertTrue(up.out().contains("scripts/stack.sh down"), up.out());
      assertTrue(up.err().contains("putting v1 at 100%"), up.err());

      long again = System.nanoTime();
      Run second = stack(env, "up").expect(0);
      report("second up", again, second);
      for (String running :
          List.of(
              "the Temporal dev server already runs",
              "prometheus already running",
              "demo service v1 on " + ports.get("v1") + " already runs",
              "demo service v2 on " + ports.get("v2") + " already runs",
              "nginx already runs",
              "worker already runs")) {
        assertTrue(second.err().contains(running), running + " in:\n" + second.err());
      }
      assertFalse(second.err().contains("starting"), second.err());

      Run status = stack(env, "status").expect(0);
      List<String> rows = rows(status.out());
      assertEquals(7, rows.size(), status.out());
      for (String row : rows) {
        assertTrue(row.matches(".*\\s\\d+\\s.*\\sanswers.*"), row);
      }
      assertTrue(status.out().contains("v1 answered"), status.out());

      Map<String, String> cliEnv = exports(stack(env, "env").expect(0).out());
      assertEquals(state.resolve("trafficctl.yaml").toString(), cliEnv.get("TRAFFICCTL_CATALOG"));
      assertEquals("demo", cliEnv.get("TRAFFICCTL_ENV"));
      Run list =
          Run.of(
              List.of(ProjectPaths.bin("trafficctl").toString(), "traffic", "list", "--all"),
              cliEnv,
              dir,
              Duration.ofSeconds(60));
      list.expect(0);
      assertTrue(list.out().contains("demo.api"), list.out());
      Run split =
          Run.of(
              List.of(ProjectPaths.bin("trafficctl").toString(), "traffic", "split", "api"),
              cliEnv,
              dir,
              Duration.ofSeconds(60));
      split.expect(0);
      assertTrue(split.out().contains("v1 100%"), split.out());
    } finally {
      long down = System.nanoTime();
      Run stopped = stack(env, "down");
      report("down", down, stopped);
      stopped.expect(0);
    }

    Run status = stack(env, "status");
    assertEquals(1, status.exitCode(), status.out());
    List<String> rows = rows(status.out());
    assertEquals(7, rows.size(), status.out());
    for (String row : rows) {
      assertTrue(row.endsWith("not running"), row);
    }
    for (Map.Entry<String, Integer> port : ports.entrySet()) {
      assertFalse(listening(port.getValue()), port.getKey() + " still listens: " + port);
    }
  }

  private Run stack(Map<String, String> env, String command) {
    return Run.of(
        List.of("bash", ProjectPaths.script("stack.sh").toString(), command),
        env,
        ProjectPaths.root(),
        Duration.ofMinutes(3));
  }

  private static void report(String what, long since, Run run) {
    System.out.printf(
        "stack.sh %s: %d ms, exit %d%n%s%s%n",
        what, (System.nanoTime() - since) / 1_000_000, run.exitCode(), run.err(), run.out());
  }

  /** The status table's rows: the lines after its header, up to the first blank line. */
  private static List<String> rows(String out) {
    List<String> rows = new ArrayList<>();
    boolean table = false;
    for (String line : out.split("\n")) {
      if (line.trim().startsWith("component")) {
        table = true;
      } else if (table && line.isBlank()) {
        break;
      } else if (table) {
        rows.add(line.strip());
      }
    }
    return rows;
  }

  /** {@code export NAME=VALUE} lines (shell-quoted with backslashes where needed). */
  private static Map<String, String> exports(String out) {
    Map<String, String> env = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(?m)^export (\\w+)=(.*)$").matcher(out);
    while (m.find()) {
      env.put(m.group(1), m.group(2).replace("\\ ", " "));
    }
    return env;
  }

  private static String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), url + ": " + response.body());
    return response.body();
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
