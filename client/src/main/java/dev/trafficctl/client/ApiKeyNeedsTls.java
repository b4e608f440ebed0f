package dev.trafficctl.client;

import io.temporal.envconfig.ClientConfigProfile;

/**
 * An API key is a bearer credential: whoever reads it off the wire is the caller. The SDK sends it
 * whether TLS is on or not, so a profile with an API key and TLS turned off would put the key on
 * the network in clear text. That combination is refused before any connection is made, loopback
 * addresses included (a proxy on the same host is still a hop that can be observed or misdirected;
 * keeping one rule is simpler than deciding which addresses are safe).
 */
final class ApiKeyNeedsTls {

  private ApiKeyNeedsTls() {}

  /** True when {@code profile} would send an API key over a connection without TLS. */
  static boolean violatedBy(ClientConfigProfile profile) {
    String apiKey = profile.getApiKey();
    // The SDK's rule: TLS is off only when the profile's TLS settings say disabled.
    return apiKey != null
        && !apiKey.isEmpty()
        && profile.getTls() != null
        && Boolean.TRUE.equals(profile.getTls().isDisabled());
  }

  /**
   * The one-line refusal, naming where the key came from and what turned TLS off; never the key.
   *
   * @param keySource e.g. {@code TEMPORAL_API_KEY}, {@code --api-key-file FILE}
   * @param tlsOffSource e.g. {@code --no-tls}, {@code TEMPORAL_TLS=false}
   */
  static InvalidConnectionSettings refusal(String keySource, String tlsOffSource) {
    return new InvalidConnectionSettings(
        "refusing to send the API key from "
            + keySource
            + " in clear text: TLS is off ("
            + tlsOffSource
            + "); turn TLS on or remove the API key");
  }
}
