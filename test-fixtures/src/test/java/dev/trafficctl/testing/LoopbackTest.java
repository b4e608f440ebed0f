package dev.trafficctl.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopbackTest {

  @Test
  void loopbackAddressesAndUrlsAreAccepted() {
    for (String address : List.of("127.0.0.1:8080", "127.1.2.3:1", "localhost:80", "[::1]:443")) {
      assertEquals(address, Loopback.requireAddress(address));
      assertEquals("http://" + address + "/x", Loopback.requireUrl("http://" + address + "/x"));
    }
  }

  @Test
  void anyOtherTargetIsRefusedBeforeTheFirstRequest() {
    for (String address :
        List.of(
            "10.0.0.1:80",
            "192.168.1.10:80",
            "172.16.0.1:80",
            "8.8.8.8:53",
            "example.com:80",
            "127.0.0.1.example.com:80",
            "localhost",
            "127.0.0.1:80/path")) {
      assertThrows(IllegalArgumentException.class, () -> Loopback.requireAddress(address));
      assertThrows(IllegalArgumentException.class, () -> new Traffic().send(address, 1), "Traffic");
    }
    for (String url :
        List.of("http://10.0.0.1:80/", "https://127.0.0.1:443/", "http://example.com/")) {
      assertThrows(
          IllegalArgumentException.class,
          () -> new LoadGenerator(url, 1, 1, 1, Duration.ofSeconds(1)),
          url);
    }
  }
}
