package dev.trafficctl.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as stop requests. Left to the JVM, either signal starts its shutdown and the
 * process exits with 143 or 130 even after a clean drain; handled here, main drains the worker and
 * returns 0, which is what supervisors (systemd, Docker, Kubernetes) read as a clean stop. The
 * shutdown hook stays as the safety net for every other way the JVM can be shut down.
 */
final class StopSignals {

  private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

  private StopSignals() {}

  /**
   * Routes SIGTERM and SIGINT to {@code onStop}; a signal that cannot be handled keeps its default.
   */
  static void install(Runnable onStop) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(
            new Signal(name),
            signal -> {
              log.info("trafficctl-worker: SIG{} received", signal.getName());
              onStop.run();
            });
      } catch (IllegalArgumentException e) {
        // Signal in use by the JVM (-Xrs) or unknown here: the shutdown hook still stops the
        // worker.
        log.debug("SIG{} stays with the JVM: {}", name, e.getMessage());
      }
    }
  }
}
