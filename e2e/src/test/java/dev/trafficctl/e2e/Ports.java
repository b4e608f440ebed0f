package dev.trafficctl.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free loopback ports for the components a test starts. A port is free when asked for and handed
 * out once per JVM: the kernel may offer a just-released port again, and two components given the
 * same one (a server's gRPC and HTTP ports, say) would collide when they start.
 */
final class Ports {

  private static final Set<Integer> ISSUED = new HashSet<>();

  private Ports() {}

  static synchronized int free() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
        port = socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (ISSUED.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no new free loopback port after 100 tries");
  }
}
