package dev.trafficctl.workflows;

import dev.trafficctl.config.JsonMapping;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;

/**
 * Temporal's data converter with trafficctl's JSON mapping, so workflow inputs, results, queries
 * and updates are the same snake_case JSON as the documents and {@code --output json}. Worker, CLI
 * and tests must all use it.
 */
public final class TrafficDataConverter {

  private static final DataConverter INSTANCE =
      DefaultDataConverter.newDefaultInstance()
          .withPayloadConverterOverrides(new JacksonJsonPayloadConverter(JsonMapping.json()));

  private TrafficDataConverter() {}

  public static DataConverter get() {
    return INSTANCE;
  }
}
