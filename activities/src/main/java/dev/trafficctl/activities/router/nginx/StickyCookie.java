package dev.trafficctl.activities.router.nginx;

import dev.trafficctl.config.loadbalancer.SessionPersistence;
import dev.trafficctl.workflows.ports.RoutingRules;
import java.time.Duration;

/**
 * The cookie that keeps a client on its version: every answer sets it to the version chosen, and
 * each mode's version choice honours it while that version's weight is above 0. It pins the
 * version, not a server (the {@code sticky cookie} directive is nginx Plus).
 *
 * <p>With segments, only answers to requests that take part set it, so a client outside them that
 * joins one later is assigned afresh: a map on the segment header holds the whole Set-Cookie value,
 * empty (not sent) outside. It reads {@code $trafficctl_version} when the answer is sent, after
 * either mode has chosen.
 *
 * @param site the service, whose variables hold the Set-Cookie value with segments
 * @param name the cookie's name
 * @param maxAgeSeconds its lifetime
 * @param segments the segments, or null for none
 */
record StickyCookie(NginxSite site, String name, long maxAgeSeconds, RoutingRules.Segments segments)
    implements IncludePart {

  /** The lifetime when no load-balancer document's session gives one. */
  static final Duration DEFAULT_MAX_AGE = Duration.ofHours(1);

  /**
   * The routing rules' cookie when they name one, else the load-balancer document's session cookie
   * when persistence is on; null for none. Its lifetime is the document's session timeout, else
   * {@link #DEFAULT_MAX_AGE}.
   */
  static StickyCookie of(NginxSite site, RoutingRules rules) {
    SessionPersistence session = site.loadBalancer() == null ? null : site.loadBalancer().session();
    String name;
    if (rules.stickyCookie() != null) {
      name = rules.stickyCookie();
    } else if (session != null && session.persistence()) {
      name = session.cookieName();
    } else {
      return null;
    }
    Duration timeout = session == null || session.timeout() == null ? null : session.timeout();
    long maxAge = Math.max(1, (timeout == null ? DEFAULT_MAX_AGE : timeout).toSeconds());
    return new StickyCookie(site, NginxSyntax.cookieName(name), maxAge, rules.segments());
  }

  @Override
  public void http(NginxConfigWriter out) {
    if (segments == null) {
      return;
    }
    out.open("map", "$" + NginxSyntax.headerVariable(segments.header()), "$" + setCookieVariable());
    out.directive("default", "\"\"");
    for (String value : segments.values()) {
      out.directive(NginxSyntax.exactMatch(value), "\"" + setCookie() + "\"");
    }
    out.close();
  }

  @Override
  public void responseHeaders(NginxConfigWriter out) {
    String value = segments == null ? "\"" + setCookie() + "\"" : "$" + setCookieVariable();
    out.directive("add_header", "Set-Cookie", value, "always");
  }

  private String setCookie() {
    return name
        + "=$trafficctl_version; Path=/; Max-Age="
        + maxAgeSeconds
        + "; HttpOnly; SameSite=Lax";
  }

  private String setCookieVariable() {
    return site.variable("sticky_cookie");
  }
}
