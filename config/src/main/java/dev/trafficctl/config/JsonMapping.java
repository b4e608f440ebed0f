package dev.trafficctl.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;

/**
 * The one JSON mapping of trafficctl: YAML documents, workflow inputs and results (Temporal's data
 * converter), and {@code --output json} all go through it. Names are the spec's snake_case,
 * durations are written as the spec writes them ({@code "5m"}), and anything the spec does not
 * define is an error rather than silently ignored.
 */
public final class JsonMapping {

  private JsonMapping() {}

  /** A JSON mapper with the project's configuration. */
  public static ObjectMapper json() {
    return configure(JsonMapper.builder().build());
  }

  /** A YAML mapper with the same configuration as {@link #json()}. */
  public static ObjectMapper yaml() {
    YAMLFactory factory =
        YAMLFactory.builder()
            // `key:` with nothing after it is YAML's null, as `key: ~` is: the field is not given.
            // YAMLFactory has this on by default, its builder does not; without it `key:` reads as
            // "", the empty value, which is an error.
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();
    return configure(YAMLMapper.builder(factory).build());
  }

  /** Applies the project's mapping to {@code mapper} (used for Temporal's converter too). */
  public static <M extends ObjectMapper> M configure(M mapper) {
    mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    // Instants as ISO-8601 text; durations in the spec's notation (registered last, so it wins).
    mapper.registerModule(new JavaTimeModule());
    mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    mapper.registerModule(new SpecDurationModule());
    mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    mapper.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
    mapper.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    mapper.configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, false);
    // "5" is not 5: a quoted number in a document is a mistake worth pointing at. Nor is "" (or
    // "  ") "not given", which Jackson would make it: a default is asked for by leaving the field
    // out, and the JSON Schemas refuse an empty value too.
    for (LogicalType scalar :
        List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
      mapper
          .coercionConfigFor(scalar)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return mapper;
  }
}
