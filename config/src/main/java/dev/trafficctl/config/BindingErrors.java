package dev.trafficctl.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns Jackson's parse and binding exceptions into one readable {@link ConfigProblem}: the spec's
 * field path, what is wrong and what is allowed, never a Java type name or a stack trace.
 */
final class BindingErrors {

  private BindingErrors() {}

  static ConfigProblem toProblem(String source, JacksonException e, SourceMap sourceMap) {
    String path = e instanceof JsonMappingException m ? pathOf(m.getPath()) : "";
    String message = describe(e);
    // The field's own place in the text beats the parser's, which may have read past it.
    var exact =
        path.isEmpty() ? java.util.Optional.<SourceMap.Position>empty() : sourceMap.exact(path);
    if (exact.isPresent()) {
      return new ConfigProblem(source, exact.get().line(), exact.get().column(), path, message);
    }
    JsonLocation location = e.getLocation();
    if (location != null && location.getLineNr() > 0) {
      return new ConfigProblem(source, location.getLineNr(), location.getColumnNr(), path, message);
    }
    SourceMap.Position p = sourceMap.find(path);
    return new ConfigProblem(source, p.line(), p.column(), path, message);
  }

  static String pathOf(List<JsonMappingException.Reference> references) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : references) {
      if (ref.getFieldName() != null) {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  private static String describe(JacksonException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      Collection<String> allowed = new TreeSet<>();
      u.getKnownPropertyIds().forEach(id -> allowed.add(String.valueOf(id)));
      return "unknown field \""
          + u.getPropertyName()
          + "\" (allowed: "
          + String.join(", ", allowed)
          + ")"
          + Suggestions.didYouMean(u.getPropertyName(), allowed);
    }
    if (e instanceof InvalidFormatException f) {
      return describeValue(f.getValue(), f.getTargetType());
    }
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      return v.getCause() instanceof NullPointerException
          ? "must not contain empty entries"
          : String.valueOf(v.getCause().getMessage());
    }
    if (e instanceof MismatchedInputException m) {
      return expected(m.getTargetType());
    }
    // Syntax errors: the parser's own first line says what it met.
    String original = e.getOriginalMessage();
    String firstLine =
        original == null ? "cannot be parsed" : original.lines().findFirst().orElse("");
    return "syntax error: " + firstLine;
  }

  private static String describeValue(Object value, Class<?> target) {
    String shown = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    if (target == Duration.class) {
      return shown + " is not a duration (" + SpecDurations.EXAMPLES + ")";
    }
    if (target != null && target.isEnum() && SpecEnum.class.isAssignableFrom(target)) {
      List<String> allowed =
          java.util.Arrays.stream(target.getEnumConstants())
              .map(c -> ((SpecEnum) c).wire())
              .toList();
      return shown
          + " is not one of: "
          + String.join(", ", allowed)
          + Suggestions.didYouMean(String.valueOf(value), allowed);
    }
    return shown + " " + expected(target);
  }

  private static String expected(Class<?> target) {
    if (target == null) {
      return "has the wrong shape";
    }
    if (target == int.class
        || target == Integer.class
        || target == long.class
        || target == Long.class) {
      return "must be a whole number";
    }
    if (target == double.class || target == Double.class) {
      return "must be a number";
    }
    if (target == boolean.class || target == Boolean.class) {
      return "must be true or false";
    }
    if (target == String.class) {
      return "must be text";
    }
    if (target == Duration.class) {
      return "must be a duration (" + SpecDurations.EXAMPLES + ")";
    }
    if (target.isEnum()) {
      return "must be one of the listed values";
    }
    if (Collection.class.isAssignableFrom(target)) {
      return "must be a list";
    }
    if (Map.class.isAssignableFrom(target) || target.isRecord()) {
      return "must be a mapping of fields";
    }
    return "has the wrong shape";
  }
}
