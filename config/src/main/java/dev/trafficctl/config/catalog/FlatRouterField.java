package dev.trafficctl.config.catalog;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A field written directly under {@code router:} before each provider had a block of its own.
 * Catalogs and recorded workflow inputs still carry them, so they are read (with a warning) and
 * never written: each now lives in its provider's block, under {@link #field()}.
 */
public enum FlatRouterField {
  MODE(RouterType.NGINX, "mode"),
  LOAD_BALANCER(RouterType.NGINX, "load_balancer"),
  STATE_DIR(RouterType.FILE, "state_dir"),
  LISTEN(RouterType.NGINX, "listen"),
  ADMIN(RouterType.NGINX, "admin"),
  CONFIG_DIR(RouterType.NGINX, "config_dir"),
  NGINX(RouterType.NGINX, "binary"),
  NGINX_PREFIX(RouterType.NGINX, "prefix"),
  NGINX_CONF(RouterType.NGINX, "conf"),
  ERROR_LOG(RouterType.NGINX, "error_log");

  private final RouterType provider;
  private final String field;

  FlatRouterField(RouterType provider, String field) {
    this.provider = provider;
    this.field = field;
  }

  /** The name documents wrote, e.g. {@code nginx_prefix}. */
  public String written() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The provider whose block the setting moved to. */
  public RouterType provider() {
    return provider;
  }

  /** The setting's name in its provider's block, e.g. {@code prefix}. */
  public String field() {
    return field;
  }

  /** What to write instead, e.g. {@code router.nginx.prefix}. */
  public String replacement() {
    return "router." + provider.wire() + "." + field;
  }

  /** The flat field documents wrote as {@code name}, if there was one. */
  public static Optional<FlatRouterField> byWritten(String name) {
    return Arrays.stream(values()).filter(f -> f.written().equals(name)).findFirst();
  }

  /** The flat field that became {@code field} of {@code provider}'s block, if there was one. */
  public static Optional<FlatRouterField> becoming(RouterType provider, String field) {
    return Arrays.stream(values())
        .filter(f -> f.provider == provider && f.field.equals(field))
        .findFirst();
  }
}
