package dev.trafficctl.demo;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as stop requests. Left to the JVM, either signal exits with 143 or 130 even
 * after a clean stop; handled here, main stops the server and exits 0, which supervisors read as a
 * clean stop. The shutdown hook stays as the safety net for every other way the JVM shuts down.
 */
final class StopSignals {

  private StopSignals() {}

  /**
   * Routes SIGTERM and SIGINT to {@code onStop}; a signal that cannot be handled keeps its default.
   */
  static void install(Runnable onStop) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), signal -> onStop.run());
      } catch (IllegalArgumentException e) {
        // In use by the JVM (-Xrs) or unknown on this platform: the shutdown hook still stops it.
      }
    }
  }
}
