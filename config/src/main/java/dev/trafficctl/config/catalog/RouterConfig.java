package dev.trafficctl.config.catalog;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.regex.Pattern;

/**
 * {@code router:} of a catalog environment: which provider moves the traffic.
 *
 * <p>The nginx router renders one include file per service into {@code config_dir}, which the nginx
 * instance named by {@code nginx}, {@code nginx_prefix} and {@code nginx_conf} includes ({@code
 * include <config_dir>/*.conf;} in its {@code http} block). The include holds the service's {@code
 * server} on {@code listen} and a second, loopback-only {@code server} on {@code admin} through
 * which the router changes weights ({@code dynamic}) and checks which configuration is live (both
 * modes). Everything but {@code type} is optional in the document; the nginx router itself requires
 * {@code listen} and {@code admin} when it is asked to move traffic, so a catalog can name the
 * router before its nginx exists.
 *
 * @param type the provider
 * @param mode nginx only: {@code dynamic} (default) or {@code reload}
 * @param loadBalancer nginx only: path of the spec's load-balancer document (per-server weight,
 *     max_fails, fail_timeout, balancing method, session cookie). The worker reads it, and the
 *     worker does not know where the catalog is: a relative path resolves against the worker's
 *     state base directory, as {@code config_dir} does (run the worker there, or write an absolute
 *     path)
 * @param stateDir file router: directory the desired weights are written to
 * @param listen nginx only: {@code host:port} nginx serves this service on
 * @param admin nginx only: {@code host:port} of the service's admin endpoint, a literal loopback
 *     address ({@code 127.x.x.x} or {@code [::1]}) and a port no other service uses
 * @param configDir nginx only: directory of the rendered include ({@code <env>.<service>.conf}),
 *     the weights state file and the last known good copy; relative paths resolve against the
 *     worker's state base directory; default {@code nginx}
 * @param nginx nginx only: the nginx binary the router runs {@code -t} and {@code -s reload} with;
 *     default {@code /usr/sbin/nginx}
 * @param nginxPrefix nginx only: the instance's prefix ({@code -p}); nginx's built-in one when
 *     absent
 * @param nginxConf nginx only: the instance's main configuration file ({@code -c}); nginx's
 *     built-in one when absent
 * @param errorLog nginx only: the instance's error log, read for the reason a reload failed;
 *     default {@code <nginx_prefix>/logs/error.log} with a prefix, else {@code
 *     /var/log/nginx/error.log}
 */
public record RouterConfig(
    RouterType type,
    NginxMode mode,
    String loadBalancer,
    String stateDir,
    String listen,
    String admin,
    String configDir,
    String nginx,
    String nginxPrefix,
    String nginxConf,
    String errorLog)
    implements Validatable {

  /**
   * File system paths the nginx router renders into nginx configuration and Lua strings: nothing
   * that could end a directive, a quoted string or a Lua string literal.
   */
  public static final Pattern PATH = Pattern.compile("[A-Za-z0-9._/+-]+");

  public static final String PATH_RULE = "a path of letters, digits, '.', '_', '+', '-' and '/'";

  /** Literal loopback addresses: 127.0.0.0/8 and [::1]. Names are not resolved here. */
  private static final Pattern LOOPBACK =
      Pattern.compile(
          "127\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){2}|\\[::1\\]");

  public static final String DEFAULT_NGINX = "/usr/sbin/nginx";

  public static final String DEFAULT_CONFIG_DIR = "nginx";

  public RouterConfig {
    if (type == RouterType.NGINX && mode == null) {
      mode = NginxMode.DYNAMIC;
    }
  }

  /** The fields every router has had; the nginx-only fields stay absent. */
  public RouterConfig(RouterType type, NginxMode mode, String loadBalancer, String stateDir) {
    this(type, mode, loadBalancer, stateDir, null, null, null, null, null, null, null);
  }

  /** Whether {@code host} (as {@link ServerAddress#host()} holds it) is a loopback address. */
  public static boolean isLoopback(String host) {
    return host != null && LOOPBACK.matcher(host).matches();
  }

  /** {@code config_dir}, or its default. */
  public String configDirOrDefault() {
    return configDir == null ? DEFAULT_CONFIG_DIR : configDir;
  }

  /** {@code nginx}, or its default. */
  public String nginxOrDefault() {
    return nginx == null ? DEFAULT_NGINX : nginx;
  }

  /** {@code error_log}, or its default. */
  public String errorLogOrDefault() {
    if (errorLog != null) {
      return errorLog;
    }
    return nginxPrefix == null
        ? "/var/log/nginx/error.log"
        : nginxPrefix.replaceAll("/+$", "") + "/logs/error.log";
  }

  @Override
  public void validate(Validator at) {
    at.required("type", type);
    at.notBlank("load_balancer", loadBalancer);
    at.notBlank("state_dir", stateDir);
    if (type == RouterType.FILE) {
      at.check(mode == null, "mode", "applies to the nginx router only");
      at.check(loadBalancer == null, "load_balancer", "applies to the nginx router only");
      String nginxOnly = "applies to the nginx router only";
      at.check(listen == null, "listen", nginxOnly);
      at.check(admin == null, "admin", nginxOnly);
      at.check(configDir == null, "config_dir", nginxOnly);
      at.check(nginx == null, "nginx", nginxOnly);
      at.check(nginxPrefix == null, "nginx_prefix", nginxOnly);
      at.check(nginxConf == null, "nginx_conf", nginxOnly);
      at.check(errorLog == null, "error_log", nginxOnly);
    }
    if (type == RouterType.NGINX) {
      at.check(stateDir == null, "state_dir", "applies to the file router only");
    }
    if (listen != null) {
      ServerAddress.check(at.at("listen"), listen);
    }
    if (admin != null && ServerAddress.check(at.at("admin"), admin)) {
      at.check(
          isLoopback(ServerAddress.parse(admin).host()),
          "admin",
          "\""
              + admin
              + "\" is not a loopback address (127.x.x.x:port or [::1]:port): the admin endpoint"
              + " changes weights without authentication");
      at.check(
          !admin.equals(listen), "admin", "\"" + admin + "\" is also the service's listen address");
    }
    path(at, "config_dir", configDir);
    path(at, "nginx", nginx);
    path(at, "nginx_prefix", nginxPrefix);
    path(at, "nginx_conf", nginxConf);
    path(at, "error_log", errorLog);
  }

  private static void path(Validator at, String field, String value) {
    if (at.notBlank(field, value)) {
      at.matches(field, value, PATH, PATH_RULE);
    }
  }
}
