package dev.trafficctl.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdminAccessTest {

  // Literal addresses: constructing them resolves nothing and sends nothing.
  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.3.2.1", "::1"})
  void loopbackClientsMayChangeTheService(String address) {
    assertTrue(AdminAccess.allowed(new InetSocketAddress(address, 40000)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.7", "192.168.1.20", "172.17.0.2", "203.0.113.9", "fe80::1"})
  void otherClientsAreRefused(String address) {
    assertFalse(AdminAccess.allowed(new InetSocketAddress(address, 40000)));
  }

  @Test
  void anUnknownOrUnresolvedPeerIsRefused() {
    assertFalse(AdminAccess.allowed(null));
    assertFalse(AdminAccess.allowed(InetSocketAddress.createUnresolved("localhost", 40000)));
  }
}
