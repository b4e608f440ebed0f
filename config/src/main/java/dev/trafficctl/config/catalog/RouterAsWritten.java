package dev.trafficctl.config.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.BinaryOperator;

/**
 * {@code router:} exactly as a document wrote it: the type, the provider blocks, and the flat
 * fields from before each provider had a block ({@link FlatRouterField}). {@link RouterConfig} is
 * what it means; this is kept beside it only when flat fields were written, so that validation can
 * warn about each and point every problem at what the person wrote.
 *
 * @param host the router host whose worker alone changes this router ({@link RouterConfig#host})
 * @param nginx the nginx block ({@link NginxRouterSettings}), or the text of the deprecated flat
 *     field of the same name, the nginx binary
 */
public record RouterAsWritten(
    RouterType type,
    String host,
    @JsonDeserialize(using = NginxBlockOrBinary.class) Object nginx,
    FileRouterSettings file,
    NginxMode mode,
    String loadBalancer,
    String stateDir,
    String listen,
    String admin,
    String configDir,
    String nginxPrefix,
    String nginxConf,
    String errorLog)
    implements Validatable {

  /** Names the fields a block sets exactly as documents write them. */
  private static final ObjectMapper JSON = JsonMapping.json();

  /** A router written with provider blocks only. */
  static RouterAsWritten of(
      RouterType type, String host, NginxRouterSettings nginx, FileRouterSettings file) {
    return new RouterAsWritten(
        type, host, nginx, file, null, null, null, null, null, null, null, null, null);
  }

  /** Whether any deprecated flat field was written. */
  boolean hasFlatFields() {
    return flatNginx() != null || flatFile() != null;
  }

  /** The nginx router's settings: its block, with what flat fields add to it. */
  NginxRouterSettings nginxSettings() {
    return merge(nginxBlock(), flatNginx(), NginxRouterSettings::orElse);
  }

  /** The file router's settings: its block, with what flat fields add to it. */
  FileRouterSettings fileSettings() {
    return merge(file, flatFile(), FileRouterSettings::orElse);
  }

  private NginxRouterSettings nginxBlock() {
    return nginx instanceof NginxRouterSettings block ? block : null;
  }

  private NginxRouterSettings flatNginx() {
    String binary = nginx instanceof String text ? text : null;
    NginxRouterSettings flat =
        new NginxRouterSettings(
            mode, listen, admin, configDir, binary, nginxPrefix, nginxConf, errorLog, loadBalancer);
    return flat.equals(NginxRouterSettings.DEFAULTS) ? null : flat;
  }

  private FileRouterSettings flatFile() {
    return stateDir == null ? null : new FileRouterSettings(stateDir);
  }

  /** One provider's settings as written: in its block, in flat fields, and what they make. */
  private record Written(Validatable block, Validatable flat, Validatable settings) {}

  private Written written(RouterType provider) {
    return switch (provider) {
      case NGINX -> new Written(nginxBlock(), flatNginx(), nginxSettings());
      case FILE -> new Written(file, flatFile(), fileSettings());
    };
  }

  @Override
  public void validate(Validator at) {
    at.required("type", type);
    at.nameField("host", host, "router host");
    // Another provider's settings first: when they are there, the chosen type's are often missing
    // because they were written under the wrong type, and that is the line to read first.
    for (RouterType provider : RouterType.values()) {
      if (provider != type) {
        validate(at, provider, written(provider));
      }
    }
    if (type != null) {
      validate(at, type, written(type));
    }
  }

  private void validate(Validator at, RouterType provider, Written written) {
    Set<String> fromFlat = fieldsSet(written.flat());
    for (String field : fromFlat) {
      at.at(flatName(provider, field))
          .warn("deprecated, write " + flat(provider, field).replacement());
    }
    if (type == null) {
      return;
    }
    if (provider == type) {
      validateChosen(at, provider, written, fromFlat);
      return;
    }
    String elsewhere = "applies to type " + provider.wire() + ", this router is " + type.wire();
    if (written.block() != null) {
      at.at(provider.wire()).fail(elsewhere);
    }
    fromFlat.forEach(field -> at.at(flatName(provider, field)).fail(elsewhere));
  }

  /**
   * The chosen provider's settings: present, each written once, and valid where they were written
   * (a value from a flat field is reported under the flat field's name).
   */
  private void validateChosen(
      Validator at, RouterType provider, Written written, Set<String> fromFlat) {
    if (written.settings() == null) {
      at.fail(
          "missing required field "
              + provider.wire()
              + " (the settings of the "
              + provider.wire()
              + " router)");
      return;
    }
    Set<String> onlyFlat = new LinkedHashSet<>(fromFlat);
    onlyFlat.removeAll(fieldsSet(written.block()));
    for (String field : fromFlat) {
      at.check(
          onlyFlat.contains(field),
          flatName(provider, field),
          "also written as " + flat(provider, field).replacement() + ": keep only that one");
    }
    Validator block = at.at(provider.wire());
    written
        .settings()
        .validate(
            block.relocating(
                field ->
                    onlyFlat.contains(field) ? at.at(flatName(provider, field)) : block.at(field)));
  }

  private static String flatName(RouterType provider, String field) {
    return flat(provider, field).written();
  }

  private static FlatRouterField flat(RouterType provider, String field) {
    return FlatRouterField.becoming(provider, field).orElseThrow();
  }

  /** The fields {@code settings} sets, by the names documents write them under. */
  private static Set<String> fieldsSet(Validatable settings) {
    Set<String> names = new LinkedHashSet<>();
    if (settings != null) {
      JSON.valueToTree(settings).fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  private static <T> T merge(T block, T flat, BinaryOperator<T> orElse) {
    if (block == null || flat == null) {
      return block == null ? flat : block;
    }
    return orElse.apply(block, flat);
  }
}
