package dev.trafficctl.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;

/**
 * An enumeration written in documents by its spec name ({@code least_conn}, {@code nginx}). Error
 * messages list {@link #allowed} values so a person never has to look them up.
 */
public interface SpecEnum {

  /** The name as written in documents and JSON. */
  @JsonValue
  String wire();

  static <E extends Enum<E> & SpecEnum> List<String> allowed(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(SpecEnum::wire).toList();
  }

  /** Converts an enum constant name such as {@code LEAST_CONN} to its wire name. */
  static String wireOf(Enum<?> constant) {
    return constant.name().toLowerCase(java.util.Locale.ROOT);
  }
}
