package dev.trafficctl.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;
import java.time.Duration;

/** Reads and writes {@link Duration} in the spec's notation ({@code "5m"}), everywhere. */
final class SpecDurationModule extends SimpleModule {

  private static final long serialVersionUID = 1L;

  SpecDurationModule() {
    super("trafficctl-durations");
    addSerializer(Duration.class, new Writer());
    addDeserializer(Duration.class, new Reader());
  }

  private static final class Writer extends StdScalarSerializer<Duration> {
    private static final long serialVersionUID = 1L;

    Writer() {
      super(Duration.class);
    }

    @Override
    public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(SpecDurations.format(value));
    }
  }

  private static final class Reader extends StdScalarDeserializer<Duration> {
    private static final long serialVersionUID = 1L;

    Reader() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      // A bare number ("300") is ambiguous about its unit: refuse it rather than guess.
      String text = p.getText();
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        var parsed = SpecDurations.parse(text.trim());
        if (parsed.isPresent()) {
          return parsed.get();
        }
      }
      throw InvalidFormatException.from(p, "not a duration", text, Duration.class);
    }
  }
}
