package dev.trafficctl.config.splitting;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.List;

/**
 * {@code traffic_splitting.<service>:} how a service's traffic is divided, rule by rule.
 *
 * @param rules the splits, each with a unique name; at most one {@code version} rule, since two
 *     would contradict each other; required
 * @param stickySessions keep a client on the target it was first given; default false
 * @param sessionAffinity what identifies a client for sticky sessions; default {@code cookie} when
 *     {@code sticky_sessions} is true, and only allowed then
 * @param loadBalancer how requests are balanced among the instances of one target
 */
public record TrafficSplitSpec(
    List<SplitRule> rules,
    Boolean stickySessions,
    SessionAffinity sessionAffinity,
    SplitLoadBalancing loadBalancer)
    implements Validatable {

  public TrafficSplitSpec {
    rules = rules == null ? null : List.copyOf(rules);
    stickySessions = stickySessions == null ? Boolean.FALSE : stickySessions;
    if (stickySessions && sessionAffinity == null) {
      sessionAffinity = SessionAffinity.COOKIE;
    }
    loadBalancer = loadBalancer == null ? new SplitLoadBalancing(null, null, null) : loadBalancer;
  }

  @Override
  public void validate(Validator at) {
    if (at.required("rules", rules) && at.notEmpty("rules", rules)) {
      at.each("rules", rules);
      at.unique("rules", rules, SplitRule::name, "name");
      int firstVersionRule = -1;
      for (int i = 0; i < rules.size(); i++) {
        SplitRule rule = rules.get(i);
        if (rule == null || rule.type() != SplitRuleType.VERSION) {
          continue;
        }
        if (firstVersionRule < 0) {
          firstVersionRule = i;
        } else {
          at.at("rules")
              .index(i)
              .at("type")
              .fail(
                  "a second version rule (rules["
                      + firstVersionRule
                      + "] is one already; a service has one version split)");
        }
      }
    }
    at.check(
        stickySessions || sessionAffinity == null,
        "session_affinity",
        "applies only with sticky_sessions: true");
    at.nested("load_balancer", loadBalancer);
  }
}
