package dev.trafficctl.activities.router.nginx;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A complete {@code nginx.conf} for an nginx instance of its own in a prefix directory, as the
 * demo, the end-to-end tests and a developer's machine run it: {@code nginx -p <prefix> -c
 * <prefix>/nginx.conf}. Its {@code http} block includes every service the nginx router renders into
 * {@code config_dir} and writes the JSON access log the {@code nginx-log} metrics provider reads
 * ({@code NginxLogMetrics}: {@code time}, {@code status}, {@code request_time}, {@code pool}). A
 * catalog entry pointing at this instance has {@code prefix: <prefix>} and {@code conf:
 * <prefix>/nginx.conf} in its {@code router.nginx} block; the error log is where the router looks
 * by default.
 *
 * <p>Access log lines ({@value #LOG_FORMAT}), one JSON object each:
 *
 * <pre>
 * time                    request end, seconds since the epoch with millisecond resolution
 *                         ($msec, a number)
 * time_iso8601            the same as ISO 8601, to the second
 * service, env            the service's names; "" for requests no service handled
 * version, pool           the version chosen and its upstream ("" when none was chosen)
 * method, uri             the request
 * status                  the status sent to the client (number)
 * request_time            seconds from the first byte read to the last byte sent (number)
 * upstream_addr           the server(s) tried, "a, b" after a retry; "" without one
 * upstream_status         their statuses, in the same order
 * upstream_response_time  their response times in seconds, in the same order
 * bytes_sent              bytes sent to the client (number)
 * request_id              nginx's $request_id, also sent upstream as X-Request-Id
 * </pre>
 *
 * @param prefix the instance's prefix directory; {@code logs/} and {@code temp/} go there
 * @param configDir the nginx router's {@code config_dir}: {@code include <configDir>/*.conf}
 * @param accessLog the JSON access log
 * @param lua whether to load the Lua module (and the NDK it needs): dynamic mode needs it
 * @param modules the directory of the dynamic modules, Debian's {@code /usr/lib/nginx/modules}
 */
public record StandaloneNginxConfig(
    Path prefix, Path configDir, Path accessLog, boolean lua, Path modules) {

  public static final String LOG_FORMAT = "trafficctl_json";

  public static final Path DEBIAN_MODULES = Path.of("/usr/lib/nginx/modules");

  public StandaloneNginxConfig {
    prefix = NginxSyntax.path("nginx prefix", prefix.toAbsolutePath().normalize());
    configDir = NginxSyntax.path("config dir", configDir.toAbsolutePath().normalize());
    accessLog = NginxSyntax.path("access log", accessLog.toAbsolutePath().normalize());
    modules = NginxSyntax.path("modules dir", modules.toAbsolutePath().normalize());
  }

  /** An instance in {@code prefix} with its access log at {@code <prefix>/logs/access.json}. */
  public static StandaloneNginxConfig in(Path prefix, Path configDir, boolean lua) {
    Path absolute = prefix.toAbsolutePath().normalize();
    return new StandaloneNginxConfig(
        absolute, configDir, absolute.resolve("logs/access.json"), lua, DEBIAN_MODULES);
  }

  public Path conf() {
    return prefix.resolve("nginx.conf");
  }

  public Path pidFile() {
    return prefix.resolve("logs/nginx.pid");
  }

  /**
   * Where {@code NginxRouterSettings.errorLogOrDefault()} looks for a prefix: keep them the same.
   */
  public Path errorLog() {
    return prefix.resolve("logs/error.log");
  }

  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("# trafficctl: nginx instance in ").append(prefix).append('\n');
    out.append("# Services are rendered into ").append(configDir).append(" by the nginx router.\n");
    if (lua) {
      out.append("load_module ").append(modules.resolve("ndk_http_module.so")).append(";\n");
      out.append("load_module ").append(modules.resolve("ngx_http_lua_module.so")).append(";\n");
    }
    out.append("worker_processes 1;\n");
    out.append("pid ").append(pidFile()).append(";\n");
    out.append("error_log ").append(errorLog()).append(" notice;\n\n");
    out.append("events {\n    worker_connections 1024;\n}\n\n");
    out.append("http {\n");
    out.append("    default_type text/plain;\n");
    out.append("    server_tokens off;\n");
    out.append("    keepalive_timeout 65s;\n");
    out.append("    keepalive_requests 10000;\n");
    for (String temp : new String[] {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
      out.append("    ")
          .append(temp)
          .append("_temp_path ")
          .append(prefix.resolve("temp/" + temp))
          .append(";\n");
    }
    out.append('\n');
    out.append(
        "    # Defaults for requests no service's server sets them for (and so that the log\n");
    out.append("    # format is valid before any service is rendered).\n");
    for (String variable : new String[] {"service", "env", "version", "pool"}) {
      out.append("    map $host $trafficctl_")
          .append(variable)
          .append(" {\n        default \"\";\n    }\n");
    }
    out.append('\n');
    out.append("    log_format ").append(LOG_FORMAT).append(" escape=json\n");
    out.append("        '{\"time\":$msec,\"time_iso8601\":\"$time_iso8601\",'\n");
    out.append("        '\"service\":\"$trafficctl_service\",\"env\":\"$trafficctl_env\",'\n");
    out.append("        '\"version\":\"$trafficctl_version\",\"pool\":\"$trafficctl_pool\",'\n");
    out.append("        '\"method\":\"$request_method\",\"uri\":\"$uri\",\"status\":$status,'\n");
    out.append("        '\"request_time\":$request_time,\"upstream_addr\":\"$upstream_addr\",'\n");
    out.append("        '\"upstream_status\":\"$upstream_status\",'\n");
    out.append("        '\"upstream_response_time\":\"$upstream_response_time\",'\n");
    out.append("        '\"bytes_sent\":$bytes_sent,\"request_id\":\"$request_id\"}';\n");
    out.append("    access_log ").append(accessLog).append(' ').append(LOG_FORMAT).append(";\n\n");
    out.append("    include ").append(configDir).append("/*.conf;\n");
    out.append("}\n");
    return out.toString();
  }

  /** Creates the directories and writes {@link #conf()}; returns it. */
  public Path write() {
    try {
      Files.createDirectories(prefix.resolve("logs"));
      Files.createDirectories(prefix.resolve("temp"));
      Files.createDirectories(configDir);
      Files.createDirectories(accessLog.getParent());
      Path temporary = prefix.resolve(".nginx.conf.tmp");
      Files.writeString(temporary, render(), UTF_8);
      Files.move(temporary, conf(), StandardCopyOption.ATOMIC_MOVE);
      return conf();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + conf() + ": " + e, e);
    }
  }
}
