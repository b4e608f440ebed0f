package dev.trafficctl.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** A loopback port free right now, for servers that must be told their port up front. */
final class FreePorts {

  private FreePorts() {}

  private static final Set<Integer> ISSUED = new HashSet<>();

  /** Never the same port twice in one JVM: the kernel may offer a just-released one again. */
  static synchronized int next() {
    while (true) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (ISSUED.add(port)) {
        return port;
      }
    }
  }
}
