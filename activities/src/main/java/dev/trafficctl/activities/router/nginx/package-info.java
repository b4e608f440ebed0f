/**
 * The {@code nginx} router: moves a service's traffic between its versions on open-source nginx
 * (Debian's nginx 1.22 with {@code libnginx-mod-http-lua} for dynamic mode).
 *
 * <h2>What is rendered</h2>
 *
 * One include per service, {@code <config_dir>/<env>.<service>.conf}, loaded in nginx's {@code
 * http} block ({@code include <config_dir>/*.conf;}, as {@link
 * dev.trafficctl.activities.router.nginx.StandaloneNginxConfig} writes it). It holds one {@code
 * upstream} per version, the service's {@code server} on {@code listen}, and a loopback-only admin
 * {@code server} on {@code admin}. One upstream per version means {@code proxy_next_upstream}
 * retries another server of the version the request was given to, never the other version: a
 * failing candidate's errors are seen, and shares are not skewed by retries.
 *
 * <p>{@link dev.trafficctl.activities.router.nginx.NginxInclude} writes a fixed skeleton (the
 * stamp, http-level blocks, the service's server, the admin server) that parts fill in, one concern
 * each: upstreams, the sticky cookie, the mode's version choice (chosen once from the mode), the
 * feature flag's headers, the version headers. A new layer of routing is a new part. In dynamic
 * mode the Lua code is all in resources next to the classes; the include hands it the service and
 * its rules as a Lua table of data.
 *
 * <h2>From a percentage to a pool</h2>
 *
 * Weights are integer percentages adding up to 100. Each request is given to one version:
 *
 * <ul>
 *   <li>{@code dynamic}: Lua draws {@code r = math.random(100)} (1..100, uniform) and takes the
 *       first version, in catalog order, whose running sum of weights reaches {@code r}. A weight
 *       of {@code w} is a probability of exactly {@code w/100}; there is no rounding. The weights
 *       are in a {@code lua_shared_dict}, changed through {@code POST /trafficctl/weights} with no
 *       reload (the service's admin secret required: see {@link
 *       dev.trafficctl.activities.router.nginx.AdminSecret}), and persisted to {@code
 *       <env>.<service>.weights}, which the first request after a start loads.
 *   <li>{@code reload}: {@code split_clients} on {@code $request_id} (random per request) with
 *       {@code w%} per version with a weight above 0 and {@code *} for the last one. nginx splits
 *       the 32-bit hash space in proportion to the percentages; with integer percentages the error
 *       is below one part in 2^32. Changing weights renders, tests and reloads.
 * </ul>
 *
 * Within a version, nginx balances over its servers as the load-balancer document says (per server
 * {@code weight}, {@code max_fails}, {@code fail_timeout}; {@code algorithms.method}). Unequal
 * instance counts do not change the version shares. A change's server weights ({@link
 * dev.trafficctl.workflows.ports.RouteChange#serverWeights()}, set by capacity-based weights)
 * override the document's {@code weight} of the servers they name, except that a server the
 * document marks {@code down} stays down. They are rendered into the upstreams in both modes, so in
 * dynamic mode too a change of server weights reloads; a change without server weights puts the
 * document's back. The weights in force are read back from the include nginx serves.
 *
 * <h2>Routing rules</h2>
 *
 * Before the weights, a change's {@link dev.trafficctl.workflows.ports.RoutingRules} apply: exact
 * header matches in order, then the sticky cookie (the rules' cookie, else the load-balancer
 * document's), then the split. Reload mode chains one {@code map} per rule, each falling through to
 * the next, into the sticky {@code map} and the {@code split_clients} result; dynamic mode renders
 * the rules as a Lua table that {@code pick.lua} walks in the same order. A feature flag buckets
 * each client on its cookie (or, on its first request, on the {@code $request_id} the answer sets
 * as that cookie) and passes {@code enabled} or {@code disabled} upstream with {@code
 * proxy_set_header}. Rules are rendered into the include in both modes, so in dynamic mode changing
 * them reloads; {@code GET /trafficctl/rules} on the admin endpoint reports the rules in force.
 *
 * <h2>Where open-source nginx differs from the spec</h2>
 *
 * <ul>
 *   <li>{@code health_check}: open-source nginx has no active health checks (that is nginx Plus).
 *       The include renders the check as a comment and relies on passive checks: {@code max_fails}
 *       failed attempts within {@code fail_timeout} take a server out for {@code fail_timeout}. A
 *       server is only found failing by real requests.
 *   <li>{@code session.persistence} with a cookie: the {@code sticky cookie} directive is nginx
 *       Plus too. The include sets the cookie to the chosen <em>version</em> ({@code
 *       <cookie_name>=<version>; Max-Age=<timeout>}) and a request carrying it stays on that
 *       version while the version's weight is above 0 (dynamic: in Lua; reload: a {@code map} on
 *       {@code $http_cookie}). It pins the version, not the server: within a version nginx's
 *       balancing method applies ({@code ip_hash} or {@code hash} pin a server).
 * </ul>
 *
 * <h2>Applying a configuration</h2>
 *
 * Every rendering has a generation, served by the admin endpoint at {@code /trafficctl/generation}.
 * The generation and the change's reason are in the include's first paragraph alone, so the router
 * renders a change once and compares the rest with the include on disk: the same configuration
 * served under the generation on disk needs nothing. After {@code nginx -s reload} the router polls
 * it until it shows the new generation; nginx's error log is watched meanwhile, because a
 * configuration that {@code nginx -t} accepts can still fail to apply ({@code bind()} to a port
 * held by another process), and then nginx keeps serving the old one while both commands exit 0. On
 * failure the last known good include is restored and reloaded, and the activity fails
 * non-retryably with nginx's line.
 */
package dev.trafficctl.activities.router.nginx;
