package dev.trafficctl.activities.router.nginx;

import java.util.List;

/**
 * The service's {@code server} on {@code listen}: the parts choose the version per request into
 * {@code $trafficctl_version} and {@code $trafficctl_pool}, and its one location proxies to that
 * upstream with the headers every request carries, then the parts' own.
 */
final class ServiceServer {

  private ServiceServer() {}

  static void write(NginxConfigWriter out, NginxSite site, List<IncludePart> parts) {
    out.open("server");
    out.directive("listen", site.listen().toString());
    out.directive("set", "$trafficctl_service", NginxSyntax.quoted(site.service()));
    out.directive("set", "$trafficctl_env", NginxSyntax.quoted(site.env()));
    parts.forEach(part -> part.serverVariables(out));
    out.blank();
    out.open("location", "/");
    parts.forEach(part -> part.beforeProxy(out));
    out.directive("proxy_pass", "http://$trafficctl_pool");
    out.comment("Retries stay inside the chosen version's upstream.");
    out.directive("proxy_next_upstream", "error", "timeout");
    out.directive("proxy_http_version", "1.1");
    out.directive("proxy_set_header", "Connection", "\"\"");
    out.directive("proxy_set_header", "Host", "$host");
    out.directive("proxy_set_header", "X-Forwarded-For", "$proxy_add_x_forwarded_for");
    out.directive("proxy_set_header", "X-Request-Id", "$request_id");
    parts.forEach(part -> part.upstreamHeaders(out));
    parts.forEach(part -> part.responseHeaders(out));
    out.close();
    out.close();
  }
}
