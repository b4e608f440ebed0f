package dev.trafficctl.activities.router.nginx;

/**
 * One concern of a service's include. The include is a fixed skeleton (the stamp, blocks at http
 * level, the service's server and its location, the admin server) and each part adds directives at
 * the places it needs, in the order {@link NginxInclude} lists the parts. A new concern of routing
 * is a new part: the skeleton and the other parts stay as they are.
 */
interface IncludePart {

  /** Blocks at http level, before the servers: upstreams, maps, split_clients, shared dicts. */
  default void http(NginxConfigWriter out) {}

  /** Variables of the service's server, set before its location runs. */
  default void serverVariables(NginxConfigWriter out) {}

  /** Handlers of the service's location that run before it proxies: the access phase. */
  default void beforeProxy(NginxConfigWriter out) {}

  /** Request headers for the upstream ({@code proxy_set_header}), after the router's own. */
  default void upstreamHeaders(NginxConfigWriter out) {}

  /** Response headers for the client ({@code add_header}). */
  default void responseHeaders(NginxConfigWriter out) {}

  /** Locations of the admin server, each followed by a blank line. */
  default void adminLocations(NginxConfigWriter out) {}
}
