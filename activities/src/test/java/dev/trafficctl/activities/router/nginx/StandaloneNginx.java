package dev.trafficctl.activities.router.nginx;

import dev.trafficctl.testing.NginxProcess;

/** The router tests' nginx: a {@link StandaloneNginxConfig} run by the shared launcher. */
final class StandaloneNginx {

  private StandaloneNginx() {}

  /** Writes {@code config} and starts nginx on it. */
  static NginxProcess start(StandaloneNginxConfig config) {
    config.write();
    return new NginxProcess(
            new NginxProcess.Layout(
                config.prefix(), config.conf(), config.pidFile(), config.errorLog()))
        .start();
  }
}
