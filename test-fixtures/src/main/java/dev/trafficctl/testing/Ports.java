package dev.trafficctl.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for the servers a test starts and must name up front, chosen below the
 * kernel's ephemeral range. A port from the ephemeral range (what binding port 0 returns) can be
 * taken, between the test asking for it and the server binding it, by any outgoing connection's
 * local end: a load generator's, the CLI's, Prometheus' scrapes. It happened to a dev server's UI
 * port. Below the range only servers bind, and each port is handed out once per JVM.
 */
public final class Ports {

  private static final Set<Integer> ISSUED = new HashSet<>();
  private static final int LOWEST = 20000;
  private static final int LINUX_EPHEMERAL_START = 32768;

  private Ports() {}

  /** A loopback port free right now, below the ephemeral range, not handed out before here. */
  public static synchronized int free() {
    int below = ephemeralStart();
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
      if (!ISSUED.contains(port) && bindable(port)) {
        ISSUED.add(port);
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port in " + LOWEST + ".." + below);
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first port of the kernel's ephemeral range; Linux's default when it cannot be read. */
  static int ephemeralStart() {
    try {
      String range =
          Files.readString(
              Path.of("/proc/sys/net/ipv4/ip_local_port_range"), StandardCharsets.UTF_8);
      int start = Integer.parseInt(range.strip().split("\\s+", 2)[0]);
      return start > LOWEST + 1000 ? start : LINUX_EPHEMERAL_START;
    } catch (IOException | RuntimeException e) {
      return LINUX_EPHEMERAL_START;
    }
  }
}
