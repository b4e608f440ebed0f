package dev.trafficctl.config.splitting;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One of {@code traffic_splitting.<service>.rules}: divides the service's traffic among the keys of
 * {@code splits} by weight. The type says what the keys name and what a request is bucketed on:
 *
 * <ul>
 *   <li>{@code version}: keys are versions of the service (as in the catalog); each client (see
 *       {@code session_affinity}) or, without sticky sessions, each request is given a version by
 *       weight.
 *   <li>{@code geographic}: keys are regions ({@code us-east-1}); requests are bucketed on the
 *       region the edge wrote into {@code header} (default {@code X-Region}).
 *   <li>{@code header}: keys are targets such as {@code premium}; requests are bucketed on the
 *       value of {@code header}, so every request carrying the same value reaches the same key.
 *   <li>{@code feature_flag}: keys are states of the flag named by the rule ({@code enabled},
 *       {@code disabled}); clients are bucketed as for {@code version}.
 * </ul>
 *
 * @param name the rule's name, unique in the document, {@code [a-z0-9][a-z0-9_.-]*}
 * @param type what the rule splits on
 * @param header request header the split is keyed on: required for {@code header} rules; for {@code
 *     geographic} rules the header carrying the client's region, default {@code X-Region}; not
 *     allowed for other rules
 * @param splits key to weight (0..100), in the document's order; the weights add up to 100
 */
public record SplitRule(String name, SplitRuleType type, String header, Map<String, Integer> splits)
    implements Validatable {

  /** The region header a CDN or edge proxy sets when a geographic rule names none. */
  public static final String DEFAULT_REGION_HEADER = "X-Region";

  private static final Pattern RULE_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
  private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  public SplitRule {
    if (type == SplitRuleType.GEOGRAPHIC && header == null) {
      header = DEFAULT_REGION_HEADER;
    }
    // Nulls are kept (a key without a weight) so that validation can point at them.
    splits = splits == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(splits));
  }

  @Override
  public void validate(Validator at) {
    if (at.required("name", name)) {
      at.matches("name", name, RULE_NAME, "a rule name ([a-z0-9][a-z0-9_.-]*)");
    }
    at.required("type", type);
    if (type == SplitRuleType.HEADER) {
      at.required("header", header);
    }
    if (header != null && type != SplitRuleType.HEADER && type != SplitRuleType.GEOGRAPHIC) {
      at.at("header").fail("applies to header and geographic rules only");
    } else {
      at.header("header", header);
    }
    if (at.required("splits", splits) && at.notEmpty("splits", splits)) {
      if (type == SplitRuleType.VERSION) {
        at.keys("splits", splits, Validator.NAME, "version", Validator.NAME_RULE);
      } else {
        at.keys("splits", splits, TARGET, "split", "[A-Za-z0-9][A-Za-z0-9_.-]*");
      }
      boolean complete = true;
      for (Map.Entry<String, Integer> split : splits.entrySet()) {
        if (split.getValue() == null) {
          at.at("splits").at(split.getKey()).fail("has no weight (0..100)");
          complete = false;
        } else {
          complete &= at.at("splits").percentage(split.getKey(), split.getValue());
        }
      }
      if (complete) {
        at.sumsTo100("splits", splits);
      }
    }
  }
}
