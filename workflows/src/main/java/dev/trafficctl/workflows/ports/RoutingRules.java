package dev.trafficctl.workflows.ports;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * How a request is given to a version beyond the weights, in this order:
 *
 * <ol>
 *   <li>{@code matches}, in order: a request whose header named by a rule carries exactly the name
 *       of one of the rule's pools goes to that pool (header rules: {@code X-User-Type: premium};
 *       geographic rules: the region header an edge or CDN sets, {@code X-Region: us-east-1}). The
 *       first rule that matches decides.
 *   <li>{@code stickyCookie}: a request carrying the cookie goes to the version it names, while
 *       that version's weight is above 0; every answer sets it to the version chosen.
 *   <li>Otherwise the weights of the {@link RouteChange} decide.
 * </ol>
 *
 * {@code featureFlag} chooses no version: it tells the upstream, in a request header, whether the
 * flag is on for this client.
 *
 * @param matches exact routing by a request header; empty for none
 * @param stickyCookie the affinity cookie's name; null for no sticky sessions
 * @param featureFlag the flag passed to the upstream; null for none
 */
public record RoutingRules(List<MatchRule> matches, String stickyCookie, FeatureFlag featureFlag) {

  /** Weights alone. */
  public static final RoutingRules NONE = new RoutingRules(List.of(), null, null);

  public RoutingRules {
    matches = matches == null ? List.of() : List.copyOf(matches);
  }

  /** Derived, so not part of the JSON. */
  @JsonIgnore
  public boolean isNone() {
    return matches.isEmpty() && stickyCookie == null && featureFlag == null;
  }

  /**
   * Exact routing by a header's value.
   *
   * @param name the document's rule name, for the rendered configuration's comments
   * @param header the request header read, e.g. {@code X-User-Type} or {@code X-Region}
   * @param pools versions of the service (as in the catalog) a value may name
   */
  public record MatchRule(String name, String header, List<String> pools) {
    public MatchRule {
      pools = List.copyOf(pools);
    }
  }

  /**
   * A feature flag given to a stable share of clients.
   *
   * @param name the flag, e.g. {@code new_ui}
   * @param enabledPercent share of clients that have it, 0..100
   * @param clientCookie the cookie identifying a client; set to a random id when absent
   * @param header the request header the upstream reads, {@code X-Feature-<name>}, carrying {@code
   *     enabled} or {@code disabled}
   */
  public record FeatureFlag(String name, int enabledPercent, String clientCookie, String header) {}
}
