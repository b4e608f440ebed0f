package dev.trafficctl.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

  @Test
  void portsAreBelowTheEphemeralRangeBindableAndNeverHandedOutTwice() throws Exception {
    int ephemeral = Ports.ephemeralStart();
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = Ports.free();
      assertTrue(port >= 20000 && port < ephemeral, port + " outside 20000.." + ephemeral);
      assertTrue(seen.add(port), port + " handed out twice");
      try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertEquals(port, server.getLocalPort());
      }
    }
  }
}
