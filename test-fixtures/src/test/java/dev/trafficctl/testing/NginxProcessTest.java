package dev.trafficctl.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher on a real nginx: starts, serves on loopback, reloads, logs, stops. */
class NginxProcessTest {

  @TempDir Path dir;

  private NginxProcess.Layout configured(String body) throws Exception {
    Path prefix = NginxProcess.readableByWorkers(dir.resolve("nginx"));
    NginxProcess.Layout layout = NginxProcess.Layout.in(prefix);
    Files.createDirectories(prefix.resolve("logs"));
    Files.createDirectories(prefix.resolve("temp"));
    StringBuilder temp = new StringBuilder();
    for (String kind : new String[] {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
      temp.append("  %s_temp_path %s;\n".formatted(kind, prefix.resolve("temp/" + kind)));
    }
    Files.writeString(
        layout.conf(),
        """
        pid %s;
        error_log %s notice;
        worker_processes 1;
        events { worker_connections 64; }
        http {
          access_log off;
        %s
          %s
        }
        """
            .formatted(layout.pidFile(), layout.errorLog(), temp, body),
        UTF_8);
    return layout;
  }

  @Test
  void startsServesReloadsAndStops() throws Exception {
    NginxProcess.requireNginx(false);
    String address = "127.0.0.1:" + Ports.free();
    NginxProcess.Layout layout =
        configured("server { listen %s; return 200 \"one\"; }".formatted(address));
    Traffic traffic = new Traffic();
    try (NginxProcess nginx = new NginxProcess(layout).start()) {
      assertTrue(nginx.isRunning());
      assertEquals(Map.of("one", 20), traffic.send(address, 20));

      long master = nginx.masterPid();
      Set<Long> workers = nginx.workerPids();
      configured("server { listen %s; return 200 \"two\"; }".formatted(address));
      nginx.reload();
      assertEquals(master, nginx.masterPid(), "a reload keeps the master");
      assertTrue(nginx.workerPids().stream().noneMatch(workers::contains), "new workers");
      assertEquals(Map.of("two", 20), traffic.send(address, 20));
      assertTrue(nginx.errorLog().contains("reconfiguring"), nginx.errorLog());

      nginx.close();
      assertFalse(nginx.isRunning());
      assertFalse(ProcessHandle.of(master).map(ProcessHandle::isAlive).orElse(false));
    }
  }

  @Test
  void aConfigurationNginxRefusesFailsTheStartWithNginxsWords() throws Exception {
    NginxProcess.Layout layout = configured("server { listen 127.0.0.1:1 nonsense; }");
    AssertionError refused =
        assertThrows(AssertionError.class, () -> new NginxProcess(layout).start());
    assertTrue(refused.getMessage().contains("nonsense"), refused.getMessage());
  }
}
