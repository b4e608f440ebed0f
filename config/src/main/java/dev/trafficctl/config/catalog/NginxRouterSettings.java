package dev.trafficctl.config.catalog;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.regex.Pattern;

/**
 * {@code router.nginx:} the nginx router's settings.
 *
 * <p>The nginx router renders one include file per service into {@code config_dir}, which the nginx
 * instance named by {@code binary}, {@code prefix} and {@code conf} includes ({@code include
 * <config_dir>/*.conf;} in its {@code http} block). The include holds the service's {@code server}
 * on {@code listen} and a second, loopback-only {@code server} on {@code admin} through which the
 * router changes weights ({@code dynamic}) and checks which configuration is live (both modes).
 * Every field is optional in the document; the nginx router itself requires {@code listen} and
 * {@code admin} when it is asked to move traffic, so a catalog can name the router before its nginx
 * exists.
 *
 * <p>Relative paths resolve against the worker's state base directory: the worker reads them and
 * does not know where the catalog is (run the worker there, or write absolute paths).
 *
 * @param mode {@code dynamic} (the default) or {@code reload}
 * @param listen {@code host:port} nginx serves this service on
 * @param admin {@code host:port} of the service's admin endpoint, a literal loopback address
 *     ({@code 127.x.x.x} or {@code [::1]}) and a port no other service uses
 * @param configDir directory of the rendered include ({@code <env>.<service>.conf}), the weights
 *     state file and the last known good copy; default {@code nginx}
 * @param binary the nginx binary the router runs {@code -t} and {@code -s reload} with; default
 *     {@code /usr/sbin/nginx}
 * @param prefix the instance's prefix ({@code -p}); nginx's built-in one when absent
 * @param conf the instance's main configuration file ({@code -c}); nginx's built-in one when absent
 * @param errorLog the instance's error log, read for the reason a reload failed; default {@code
 *     <prefix>/logs/error.log} with a prefix, else {@code /var/log/nginx/error.log}
 * @param loadBalancer path of the spec's load-balancer document (per-server weight, max_fails,
 *     fail_timeout, balancing method, session cookie)
 */
public record NginxRouterSettings(
    NginxMode mode,
    String listen,
    String admin,
    String configDir,
    String binary,
    String prefix,
    String conf,
    String errorLog,
    String loadBalancer)
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

  public static final String DEFAULT_BINARY = "/usr/sbin/nginx";

  public static final String DEFAULT_CONFIG_DIR = "nginx";

  /** Settings with every field at its default: {@code nginx: {}}. */
  public static final NginxRouterSettings DEFAULTS =
      new NginxRouterSettings(null, null, null, null, null, null, null, null, null);

  /** Whether {@code host} (as {@link ServerAddress#host()} holds it) is a loopback address. */
  public static boolean isLoopback(String host) {
    return host != null && LOOPBACK.matcher(host).matches();
  }

  /** {@code mode}, or its default. */
  public NginxMode modeOrDefault() {
    return mode == null ? NginxMode.DYNAMIC : mode;
  }

  /** {@code config_dir}, or its default. */
  public String configDirOrDefault() {
    return configDir == null ? DEFAULT_CONFIG_DIR : configDir;
  }

  /** {@code binary}, or its default. */
  public String binaryOrDefault() {
    return binary == null ? DEFAULT_BINARY : binary;
  }

  /** {@code error_log}, or its default. */
  public String errorLogOrDefault() {
    if (errorLog != null) {
      return errorLog;
    }
    return prefix == null
        ? "/var/log/nginx/error.log"
        : prefix.replaceAll("/+$", "") + "/logs/error.log";
  }

  /** These settings with each absent one taken from {@code fallback}. */
  NginxRouterSettings orElse(NginxRouterSettings fallback) {
    return new NginxRouterSettings(
        mode == null ? fallback.mode : mode,
        listen == null ? fallback.listen : listen,
        admin == null ? fallback.admin : admin,
        configDir == null ? fallback.configDir : configDir,
        binary == null ? fallback.binary : binary,
        prefix == null ? fallback.prefix : prefix,
        conf == null ? fallback.conf : conf,
        errorLog == null ? fallback.errorLog : errorLog,
        loadBalancer == null ? fallback.loadBalancer : loadBalancer);
  }

  @Override
  public void validate(Validator at) {
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
    path(at, "binary", binary);
    path(at, "prefix", prefix);
    path(at, "conf", conf);
    path(at, "error_log", errorLog);
    at.notBlank("load_balancer", loadBalancer);
  }

  private static void path(Validator at, String field, String value) {
    if (at.notBlank(field, value)) {
      at.matches(field, value, PATH, PATH_RULE);
    }
  }
}
