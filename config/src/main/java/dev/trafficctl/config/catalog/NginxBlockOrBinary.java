package dev.trafficctl.config.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/**
 * Reads {@code router.nginx}, which means two things: text is the deprecated flat field (the nginx
 * binary, now {@code router.nginx.binary}), a mapping is the nginx router's block. The mapping is
 * read by the usual record deserializer on the same parser, so its errors keep their field paths
 * and positions.
 */
final class NginxBlockOrBinary extends StdDeserializer<Object> {

  private static final long serialVersionUID = 1L;

  NginxBlockOrBinary() {
    super(Object.class);
  }

  @Override
  public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    return ctxt.readValue(p, NginxRouterSettings.class);
  }
}
