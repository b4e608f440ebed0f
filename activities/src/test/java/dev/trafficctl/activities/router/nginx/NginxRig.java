package dev.trafficctl.activities.router.nginx;

import dev.trafficctl.config.catalog.NginxMode;
import dev.trafficctl.testing.NginxProcess;
import dev.trafficctl.testing.VersionBackends;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the nginx router tests route through: in-process version backends behind a real nginx on a
 * {@link StandaloneNginxConfig} (the shared launcher runs it), all in the test's directory and on
 * loopback. Closing it stops both.
 */
final class NginxRig implements AutoCloseable {

  final VersionBackends backends;
  final StandaloneNginxConfig config;
  final NginxProcess nginx;

  private NginxRig(VersionBackends backends, StandaloneNginxConfig config, NginxProcess nginx) {
    this.backends = backends;
    this.config = config;
    this.nginx = nginx;
  }

  /**
   * Backends ({@code instances}: version to how many servers) and an nginx in {@code dir}, with the
   * Lua module when {@code lua}. Fails, never skips, when nginx or its Lua module is missing.
   */
  static NginxRig start(Path dir, boolean lua, Map<String, Integer> instances) {
    NginxProcess.requireNginx(true);
    NginxProcess.readableByWorkers(dir);
    StandaloneNginxConfig config =
        StandaloneNginxConfig.in(dir.resolve("nginx"), dir.resolve("conf.d"), lua);
    config.write();
    VersionBackends backends = VersionBackends.start(instances);
    try {
      NginxProcess nginx =
          new NginxProcess(
                  new NginxProcess.Layout(
                      config.prefix(), config.conf(), config.pidFile(), config.errorLog()))
              .start();
      return new NginxRig(backends, config, nginx);
    } catch (RuntimeException | AssertionError e) {
      backends.close();
      throw e;
    }
  }

  /**
   * A catalog entry for this nginx in {@code mode}, on free listen and admin ports, with {@code
   * versions} (in catalog order) served by their backends.
   */
  NginxTargets targets(NginxMode mode, String... versions) {
    NginxTargets t = NginxTargets.on(config, mode);
    for (String version : versions) {
      t.versions.put(version, backends.addresses().get(version));
    }
    return t;
  }

  @Override
  public void close() {
    try {
      nginx.close();
    } finally {
      backends.close();
    }
  }
}
