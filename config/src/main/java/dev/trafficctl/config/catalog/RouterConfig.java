package dev.trafficctl.config.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.Objects;

/**
 * {@code router:} of a catalog environment: which provider moves the traffic, and that provider's
 * settings in a block named after it.
 *
 * <pre>
 * router:
 *   type: nginx
 *   nginx: { listen: 127.0.0.1:18080, admin: 127.0.0.1:18090 }
 * </pre>
 *
 * With {@code host}, the router's files and admin secret are on that host only: its changes and
 * reads (and the nginx access log's samples) run on the task queue of the worker started there with
 * {@code --router-host}, while the workflows run on any worker.
 *
 * <p>Exactly the block of {@code type} is present: it is required (an empty one takes every
 * default) and another provider's block is an error. Documents may still write the flat fields of
 * before the blocks ({@link FlatRouterField}); they are read into the blocks, validation warns
 * about each, and only the blocks are ever written (workflow inputs, {@code --output json}).
 *
 * @param type the provider
 * @param host the router host ({@code [a-z0-9][a-z0-9.-]*}), or null when any worker holds the
 *     router's files (one host, or shared storage)
 * @param nginx the nginx router's settings ({@link RouterType#NGINX})
 * @param file the file router's settings ({@link RouterType#FILE})
 * @param written the router as the document wrote it, when it used flat fields; otherwise null. Not
 *     part of the value: two routers with the same settings are equal however they were written,
 *     and only validation reads it
 */
public record RouterConfig(
    RouterType type,
    String host,
    NginxRouterSettings nginx,
    FileRouterSettings file,
    @JsonIgnore RouterAsWritten written)
    implements Validatable {

  /** A router with the given settings, written in blocks. */
  public RouterConfig(RouterType type, NginxRouterSettings nginx, FileRouterSettings file) {
    this(type, null, nginx, file, null);
  }

  /** This router, bound to {@code host}'s worker ({@code null}: to any worker). */
  public RouterConfig onHost(String host) {
    return new RouterConfig(type, host, nginx, file, written);
  }

  /** An nginx router. */
  public static RouterConfig ofNginx(NginxRouterSettings settings) {
    return new RouterConfig(RouterType.NGINX, settings, null);
  }

  /** A file router writing to {@code stateDir}. */
  public static RouterConfig ofFile(String stateDir) {
    return new RouterConfig(RouterType.FILE, null, new FileRouterSettings(stateDir));
  }

  /**
   * How documents and JSON are read: in blocks, in the flat fields, or both. The flat fields are
   * moved into their blocks here, so everything after reading sees blocks only.
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static RouterConfig read(RouterAsWritten written) {
    return new RouterConfig(
        written.type(),
        written.host(),
        written.nginxSettings(),
        written.fileSettings(),
        written.hasFlatFields() ? written : null);
  }

  @Override
  public void validate(Validator at) {
    (written == null ? RouterAsWritten.of(type, host, nginx, file) : written).validate(at);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RouterConfig that
        && type == that.type
        && Objects.equals(host, that.host)
        && Objects.equals(nginx, that.nginx)
        && Objects.equals(file, that.file);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, host, nginx, file);
  }
}
