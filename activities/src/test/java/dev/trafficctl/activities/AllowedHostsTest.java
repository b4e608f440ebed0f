package dev.trafficctl.activities;

import static dev.trafficctl.activities.Failures.assertInvalidConfiguration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class AllowedHostsTest {

  private static final String WHERE = "api (production)";

  private static void allowed(AllowedHosts hosts, String url) {
    hosts.require(WHERE, "metrics.address", HttpUrl.get(url));
  }

  private static String refused(AllowedHosts hosts, String url) {
    return assertInvalidConfiguration(
        () -> hosts.require(WHERE, "metrics.address", HttpUrl.get(url)));
  }

  @Test
  void loopbackIsAlwaysAllowed() {
    for (String url :
        List.of(
            "http://127.0.0.1:9090",
            "http://127.3.2.1/",
            "http://localhost:9090",
            "http://LOCALHOST:1",
            "http://[::1]:9090")) {
      allowed(AllowedHosts.LOOPBACK, url);
    }
  }

  @Test
  void otherHostsAreRefusedNamingHostAndPortButNotTheUrl() {
    assertEquals(
        WHERE
            + ": metrics.address reaches 169.254.169.254:80, not a host this worker may reach"
            + " (allowed: loopback; the worker's --allow-host)",
        refused(AllowedHosts.LOOPBACK, "http://169.254.169.254/latest/meta-data?token=t0k"));
    assertEquals(
        WHERE
            + ": metrics.address reaches [fd00::1]:443, not a host this worker may reach"
            + " (allowed: loopback, prometheus:9090, hooks.example.com; the worker's"
            + " --allow-host)",
        refused(
            AllowedHosts.of(List.of("prometheus:9090", "Hooks.Example.com")),
            "https://[fd00::1]/"));
  }

  @Test
  void anEntryWithAPortAllowsThatPortOnlyAndOneWithoutAllowsAny() {
    AllowedHosts hosts =
        AllowedHosts.of(List.of("prometheus:9090", "hooks.example.com", "[fd00::1]:8443"));
    allowed(hosts, "http://prometheus:9090/");
    allowed(hosts, "http://PROMETHEUS:9090/");
    refused(hosts, "http://prometheus:9091/");
    allowed(hosts, "https://hooks.example.com/x?token=1");
    allowed(hosts, "http://hooks.example.com:8080/");
    allowed(hosts, "https://[fd00::1]:8443/");
    refused(hosts, "https://[fd00::1]:8444/");
    refused(hosts, "http://hooks.example.com.evil.test/");
  }

  @Test
  void entriesThatAreNotHostOrHostPortAreRefused() {
    for (String entry : List.of("http://prometheus", "prometheus:99999", "a b", "host:0", "")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> AllowedHosts.of(List.of(entry)));
      assertEquals(
          "\"" + entry + "\" is not HOST or HOST:PORT (IPv6 in brackets: [::1]:9090)",
          e.getMessage());
    }
  }
}
