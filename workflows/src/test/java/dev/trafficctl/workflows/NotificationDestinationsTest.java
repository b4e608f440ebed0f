package dev.trafficctl.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.InvalidConfigException;
import dev.trafficctl.workflows.bluegreen.testing.BlueGreenDocs;
import dev.trafficctl.workflows.canary.testing.CanaryDocs;
import org.junit.jupiter.api.Test;

/**
 * A strategy that notifies on a channel the catalog entry has no destination for is refused at
 * deploy, in one line, rather than failing its first notification later.
 */
class NotificationDestinationsTest {

  @Test
  void aCanaryNotifyingOnAWebhookTheCatalogLacks() {
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class,
            () ->
                DocumentLoader.validate(
                    "deploy",
                    CanaryDocs.fast()
                        .with("notification", "{ channels: [\"slack\", \"webhook\"] }")
                        .input()));
    assertEquals(
        "deploy: target.notifications.webhook: missing: the canary notifies on webhook, so the"
            + " catalog entry needs its destination here",
        e.firstLine());
  }

  @Test
  void aBlueGreenNotifyingOnEmailTheCatalogLacks() {
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class,
            () ->
                DocumentLoader.validate(
                    "deploy",
                    BlueGreenDocs.input(
                        BlueGreenDocs.with("channels: [slack]", "channels: [slack, email]"),
                        BlueGreenDocs.options())));
    assertEquals(
        "deploy: target.notifications.email: missing: the blue-green notifies on email, so the"
            + " catalog entry needs its destination here",
        e.firstLine());
  }
}
