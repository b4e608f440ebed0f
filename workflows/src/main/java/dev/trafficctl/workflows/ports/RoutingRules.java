package dev.trafficctl.workflows.ports;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a request is given to a version beyond the weights, in this order:
 *
 * <ol>
 *   <li>{@code matches}, in order: a request whose header named by a rule carries exactly the name
 *       of one of the rule's pools goes to that pool (header rules: {@code X-User-Type: premium};
 *       geographic rules: the region header an edge or CDN sets, {@code X-Region: us-east-1}). The
 *       first rule that matches decides.
 *   <li>{@code segments}: a request whose segment header holds none of the listed values goes to
 *       the segments' {@code outside} version; the others go on (an A/B test's targeting).
 *   <li>{@code stickyCookie}: a request carrying the cookie goes to the version it names, while
 *       that version's weight is above 0; every answer sets it to the version chosen (with {@code
 *       segments}, only answers to requests that take part).
 *   <li>Otherwise the weights decide.
 * </ol>
 *
 * {@code featureFlag} and {@code versionHeaders} choose no version: they tell the upstream, in
 * request headers, whether a flag is on for this client and what the chosen version is to serve.
 *
 * @param matches exact routing by a request header; empty for none
 * @param stickyCookie the affinity cookie's name; null for no sticky sessions
 * @param featureFlag the flag passed to the upstream; null for none
 * @param segments which requests the weights apply to; null for all
 * @param versionHeaders version to the request headers (name to value) sent upstream with every
 *     request that version serves (with {@code segments}, every request that takes part: the others
 *     are not in the test and are told nothing), e.g. an A/B test's {@code X-AB-Variant: B}; empty
 *     for none
 */
public record RoutingRules(
    List<MatchRule> matches,
    String stickyCookie,
    FeatureFlag featureFlag,
    Segments segments,
    Map<String, Map<String, String>> versionHeaders) {

  /** Weights alone. */
  public static final RoutingRules NONE = new RoutingRules(List.of(), null, null);

  public RoutingRules {
    matches = matches == null ? List.of() : List.copyOf(matches);
    Map<String, Map<String, String>> headers = new LinkedHashMap<>();
    if (versionHeaders != null) {
      versionHeaders.forEach(
          (version, values) ->
              headers.put(version, Collections.unmodifiableMap(new LinkedHashMap<>(values))));
    }
    versionHeaders = Collections.unmodifiableMap(headers);
  }

  /** Header matches, a sticky cookie and a feature flag: the rules of a traffic split. */
  public RoutingRules(List<MatchRule> matches, String stickyCookie, FeatureFlag featureFlag) {
    this(matches, stickyCookie, featureFlag, null, Map.of());
  }

  /** Derived, so not part of the JSON. */
  @JsonIgnore
  public boolean isNone() {
    return matches.isEmpty()
        && stickyCookie == null
        && featureFlag == null
        && segments == null
        && versionHeaders.isEmpty();
  }

  /** What a router must be able to do to put these rules in force. */
  public Set<RouterCapability> needs() {
    Set<RouterCapability> needs = new LinkedHashSet<>();
    if (!matches.isEmpty()) {
      needs.add(RouterCapability.HEADER_ROUTING);
    }
    if (stickyCookie != null) {
      needs.add(RouterCapability.STICKY_SESSIONS);
    }
    if (featureFlag != null) {
      needs.add(RouterCapability.FEATURE_FLAGS);
    }
    if (segments != null) {
      needs.add(RouterCapability.SEGMENTS);
    }
    if (!versionHeaders.isEmpty()) {
      needs.add(RouterCapability.REQUEST_HEADERS);
    }
    return needs;
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
  public record FeatureFlag(String name, int enabledPercent, String clientCookie, String header) {

    /**
     * The header telling the upstream about flag {@code name}: {@code new_ui} -> {@code
     * X-Feature-New-Ui}.
     */
    public static String headerOf(String name) {
      StringBuilder out = new StringBuilder("X-Feature");
      for (String word : name.split("[^A-Za-z0-9]+")) {
        if (!word.isEmpty()) {
          out.append('-')
              .append(word.substring(0, 1).toUpperCase(Locale.ROOT))
              .append(word.substring(1).toLowerCase(Locale.ROOT));
        }
      }
      return out.toString();
    }
  }

  /**
   * Which requests the weights (and the sticky cookie) apply to: those whose {@code header} holds
   * exactly one of {@code values}. The others, a request without the header among them, go to
   * {@code outside}.
   *
   * @param header the request header read, e.g. {@code X-User-Segment}
   * @param values the segments that take part, e.g. {@code premium}, {@code standard}
   * @param outside the version serving every other request, e.g. an A/B test's control
   */
  public record Segments(String header, List<String> values, String outside) {
    public Segments {
      values = List.copyOf(values);
    }
  }
}
