package dev.trafficctl.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.trafficctl.config.catalog.FlatRouterField;
import dev.trafficctl.config.catalog.RouterAsWritten;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.scanner.ScannerException;

/**
 * Turns Jackson's parse and binding exceptions into one readable {@link ConfigProblem}: the spec's
 * field path, what is wrong and what is allowed, never a Java type name or a stack trace.
 */
final class BindingErrors {

  /** Jackson's "Cannot coerce String value ("5") to `int` value": the input's kind and text. */
  private static final Pattern COERCION =
      Pattern.compile("^Cannot coerce (\\w+) value \\((.*)\\) to ");

  /** How jackson-core's duplicate detection begins its message, followed by the key in quotes. */
  private static final String DUPLICATE = "Duplicate field '";

  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

  /** How jackson-core begins its message about a number it cannot parse ({@code .inf}). */
  private static final String MALFORMED_NUMBER = "Malformed numeric value";

  /** The value in "Numeric value (123) out of range" or "Malformed numeric value '.inf'". */
  private static final Pattern QUOTED_VALUE = Pattern.compile("\\(([^)]*)\\)|'([^']*)'");

  private BindingErrors() {}

  /**
   * The problem {@code e} reports about {@code text}, the document as the parser read it, located
   * with {@code sourceMap}.
   */
  static ConfigProblem toProblem(
      String source, String text, JacksonException e, SourceMap sourceMap) {
    Optional<ConfigProblem> syntax = yamlSyntax(source, text, e);
    if (syntax.isPresent()) {
      return syntax.get();
    }
    Optional<ConfigProblem> duplicate = duplicateKey(source, e, sourceMap);
    if (duplicate.isPresent()) {
      return duplicate.get();
    }
    Optional<ConfigProblem> number = unusableNumber(source, e, sourceMap);
    if (number.isPresent()) {
      return number.get();
    }
    String path = e instanceof JsonMappingException m ? pathOf(m.getPath()) : "";
    Optional<ConfigProblem> missing = missingPrimitive(source, e, path, sourceMap);
    if (missing.isPresent()) {
      return missing.get();
    }
    String message = describe(e);
    // The field's own place in the text beats the parser's, which may have read past it.
    var exact = path.isEmpty() ? Optional.<SourceMap.Position>empty() : sourceMap.exact(path);
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

  /**
   * A YAML syntax error, placed where a person has to look: an unclosed quote where it opens, a
   * misplaced token where it stands. The parser's own words, on one line.
   */
  private static Optional<ConfigProblem> yamlSyntax(
      String source, String text, JacksonException e) {
    MarkedYAMLException yaml = causeOf(e, MarkedYAMLException.class);
    if (yaml == null || yaml.getProblemMark() == null) {
      return Optional.empty();
    }
    String problem = String.valueOf(yaml.getProblem());
    Mark mark = yaml.getProblemMark();
    String message;
    if (problem.contains("(TAB)")) {
      message =
          YamlTabs.indents(text, mark.getIndex())
              ? "syntax error: a tab character; YAML is indented with spaces only"
              : "syntax error: a tab character where YAML reads only a space here; write a space";
    } else if (problem.startsWith("expected <block end>") && yaml.getContextMark() != null) {
      // What snakeyaml calls a missing block end is, to a person, a line indented wrongly.
      message =
          "syntax error: this line's indentation does not line up with the block that starts at"
              + " line "
              + (yaml.getContextMark().getLine() + 1)
              + ", column "
              + (yaml.getContextMark().getColumn() + 1);
    } else if (problem.startsWith("mapping values are not allowed")) {
      message = "syntax error: " + problem + " (a value that contains \": \" must be quoted)";
    } else if (String.valueOf(yaml.getContext()).contains("quoted scalar")
        && yaml.getContextMark() != null) {
      mark = yaml.getContextMark();
      message = "syntax error: a quoted value that is never closed";
    } else if (yaml instanceof ScannerException && yaml.getContextMark() != null) {
      // Scanning a token that never ended (a quote, a key): where it began is what to fix.
      mark = yaml.getContextMark();
      message = "syntax error: " + problem + " " + yaml.getContext();
    } else if (yaml.getContext() != null && yaml.getContextMark() != null) {
      message =
          "syntax error: "
              + problem
              + " "
              + yaml.getContext()
              + " that starts at line "
              + (yaml.getContextMark().getLine() + 1)
              + ", column "
              + (yaml.getContextMark().getColumn() + 1);
    } else {
      message = "syntax error: " + problem;
    }
    return Optional.of(
        new ConfigProblem(source, mark.getLine() + 1, mark.getColumn() + 1, "", oneLine(message)));
  }

  /** A key written twice in one mapping: at the second one, naming the line of the first. */
  private static Optional<ConfigProblem> duplicateKey(
      String source, JacksonException e, SourceMap sourceMap) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (!(t instanceof JacksonException j)) {
        continue;
      }
      String original = j.getOriginalMessage();
      if (original == null || !original.startsWith(DUPLICATE)) {
        continue;
      }
      int end = original.indexOf('\'', DUPLICATE.length());
      String key = original.substring(DUPLICATE.length(), end < 0 ? original.length() : end);
      String path = "";
      JsonLocation at = j.getLocation();
      if (j.getProcessor() instanceof JsonParser parser) {
        path = pathOf(parser.getParsingContext());
        at = parser.currentTokenLocation();
      }
      String first =
          path.isEmpty()
              ? ""
              : sourceMap.exact(path).map(p -> " (first on line " + p.line() + ")").orElse("");
      int line = at == null ? 0 : at.getLineNr();
      int column = at == null ? 0 : at.getColumnNr();
      return Optional.of(
          new ConfigProblem(
              source, line, column, path, "\"" + key + "\" is written twice" + first));
    }
    return Optional.empty();
  }

  /**
   * A number the records cannot hold, told with the value as the document wrote it: too large for
   * its field ({@code 10000000000} where a whole number is at most 2147483647), or infinity and NaN
   * ({@code .inf}, {@code .nan}), which the YAML parser recognises as numbers but cannot read.
   */
  private static Optional<ConfigProblem> unusableNumber(
      String source, JacksonException e, SourceMap sourceMap) {
    InputCoercionException overflow = causeOf(e, InputCoercionException.class);
    JacksonException malformed = null;
    for (Throwable t = e; t != null && malformed == null; t = t.getCause()) {
      if (t instanceof JacksonException j
          && String.valueOf(j.getOriginalMessage()).startsWith(MALFORMED_NUMBER)) {
        malformed = j;
      }
    }
    if (overflow == null && malformed == null) {
      return Optional.empty();
    }
    JacksonException cause = overflow != null ? overflow : malformed;
    String path =
        e instanceof JsonMappingException m && !m.getPath().isEmpty()
            ? pathOf(m.getPath())
            : cause.getProcessor() instanceof JsonParser parser
                ? pathOf(parser.getParsingContext())
                : "";
    String written = sourceMap.written(path).orElseGet(() -> quotedIn(cause.getOriginalMessage()));
    String message;
    if (overflow != null) {
      Class<?> target = overflow.getTargetType();
      boolean wide = target == long.class || target == Long.class;
      boolean negative = written.trim().startsWith("-");
      message =
          negative
              ? written
                  + " is too small (at least "
                  + (wide ? Long.MIN_VALUE : Integer.MIN_VALUE)
                  + ")"
              : written
                  + " is too large (at most "
                  + (wide ? Long.MAX_VALUE : Integer.MAX_VALUE)
                  + ")";
    } else {
      message = written + " is not a finite number (write it with digits, such as 100 or 0.95)";
    }
    SourceMap.Position at =
        sourceMap
            .exact(path)
            .orElseGet(
                () ->
                    cause.getLocation() == null
                        ? sourceMap.find(path)
                        : SourceMap.Position.of(cause.getLocation()));
    return Optional.of(new ConfigProblem(source, at.line(), at.column(), path, message));
  }

  /** The value Jackson quotes in its message: {@code (123)} or {@code '.inf'}. */
  private static String quotedIn(String original) {
    Matcher quoted = QUOTED_VALUE.matcher(String.valueOf(original));
    return quoted.find()
        ? (quoted.group(1) != null ? quoted.group(1) : quoted.group(2))
        : "the value";
  }

  /**
   * A primitive field ({@code int traffic_percent}) that is absent or empty: Jackson calls both
   * "null"; a person calls the first missing.
   */
  private static Optional<ConfigProblem> missingPrimitive(
      String source, JacksonException e, String path, SourceMap sourceMap) {
    String original = e.getOriginalMessage();
    if (path.isEmpty() || original == null || !original.startsWith("Cannot map `null` into")) {
      return Optional.empty();
    }
    Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
    var exact = sourceMap.exact(path);
    if (exact.isPresent()) {
      return Optional.of(
          new ConfigProblem(
              source,
              exact.get().line(),
              exact.get().column(),
              path,
              "has no value (" + expected(target).replaceFirst("^must", "it must") + ")"));
    }
    // The missing field is a record component: its name has no dots, the path's last one splits.
    int dot = path.lastIndexOf('.');
    String parent = dot < 0 ? "" : path.substring(0, dot);
    String field = path.substring(dot + 1);
    SourceMap.Position p = sourceMap.find(parent);
    return Optional.of(
        new ConfigProblem(source, p.line(), p.column(), parent, "missing required field " + field));
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

  /** The field path of a parser's position, e.g. {@code canary.api.steps[0].duration}. */
  static String pathOf(JsonStreamContext context) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
      } else if (c.getCurrentName() != null) {
        parts.push(c.getCurrentName());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String part : parts) {
      if (out.length() > 0 && !part.startsWith("[")) {
        out.append('.');
      }
      out.append(part);
    }
    return out.toString();
  }

  private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  private static String describe(JacksonException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      Collection<String> allowed = new TreeSet<>();
      u.getKnownPropertyIds().forEach(id -> allowed.add(String.valueOf(id)));
      if (u.getReferringClass() == RouterAsWritten.class) {
        // Still read, but not to be offered: the blocks replaced them (nginx stays, as the block).
        Arrays.stream(FlatRouterField.values())
            .filter(f -> f != FlatRouterField.NGINX)
            .forEach(f -> allowed.remove(f.written()));
      }
      return "unknown field \""
          + u.getPropertyName()
          + "\" (allowed: "
          + String.join(", ", allowed)
          + ")"
          + Suggestions.didYouMean(u.getPropertyName(), allowed);
    }
    if (e instanceof InvalidFormatException f
        && f.getValue() instanceof String text
        && text.isBlank()) {
      return empty(text, f.getTargetType());
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
      return mismatched(m);
    }
    // Syntax errors: the parser's own first line says what it met.
    String original = e.getOriginalMessage();
    String firstLine =
        original == null ? "cannot be parsed" : original.lines().findFirst().orElse("");
    return "syntax error: " + firstLine;
  }

  /** A value of the wrong kind: a quoted number, a list where a mapping belongs, ... */
  private static String mismatched(MismatchedInputException m) {
    Class<?> target = m.getTargetType();
    String original = String.valueOf(m.getOriginalMessage());
    Matcher coerced = COERCION.matcher(original);
    if (coerced.find()) {
      String kind = coerced.group(1);
      String value = coerced.group(2);
      if (kind.equals("String")) {
        String text = value.substring(1, value.length() - 1);
        if (isBoolean(target)) {
          return value
              + (text.equals("true") || text.equals("false")
                  ? " is text: write " + text + " without quotes"
                  : " is text, not true or false");
        }
        return value
            + (NUMBER.matcher(text).matches()
                ? " is text, not a number: write " + text + " without quotes"
                : " is text, not a number");
      }
      return value + " " + expected(target);
    }
    String found = found(original);
    return expected(target) + (found.isEmpty() ? "" : ", not " + found);
  }

  /** What Jackson says it met instead, in a person's words; empty when it does not say. */
  private static String found(String original) {
    if (original.contains("from Array value") || original.contains("START_ARRAY")) {
      return "a list";
    }
    if (original.contains("from Object value") || original.contains("START_OBJECT")) {
      return "a mapping";
    }
    if (original.contains("from String value") || original.contains("String-argument")) {
      return "text";
    }
    if (original.contains("from Integer value")
        || original.contains("from Floating-point value")
        || original.contains("int/Int-argument")
        || original.contains("double/Double-argument")) {
      return "a number";
    }
    if (original.contains("from Boolean value") || original.contains("boolean/Boolean-argument")) {
      return "true or false";
    }
    return "";
  }

  private static boolean isBoolean(Class<?> target) {
    return target == boolean.class || target == Boolean.class;
  }

  /**
   * An empty value ({@code power: ""}): an error for every field, as in the JSON Schemas, never
   * read as "not given" (leaving the field out is how a default is asked for).
   */
  private static String empty(String text, Class<?> target) {
    String what = text.isEmpty() ? "is empty" : "is blank";
    if (target == Duration.class) {
      return what + " (it must be a duration: " + SpecDurations.EXAMPLES + ")";
    }
    if (target != null && target.isEnum() && SpecEnum.class.isAssignableFrom(target)) {
      return what + " (it must be one of: " + String.join(", ", wireNames(target)) + ")";
    }
    return what + " (" + expected(target).replaceFirst("^must", "it must") + ")";
  }

  private static List<String> wireNames(Class<?> enumType) {
    return Arrays.stream(enumType.getEnumConstants()).map(c -> ((SpecEnum) c).wire()).toList();
  }

  private static String describeValue(Object value, Class<?> target) {
    String shown = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    if (target == Duration.class
        && value instanceof String s
        && NUMBER.matcher(s.trim()).matches()) {
      // A bare number: which unit was meant is a guess, so ask for one instead of making it.
      return s.trim() + " has no unit (a duration is written " + SpecDurations.EXAMPLES + ")";
    }
    if (target == String.class && !(value instanceof String)) {
      return shown + " must be text: write it in quotes (\"" + shown + "\")";
    }
    if (target == Duration.class) {
      return shown + " is not a duration (" + SpecDurations.EXAMPLES + ")";
    }
    if (target != null && target.isEnum() && SpecEnum.class.isAssignableFrom(target)) {
      List<String> allowed = wireNames(target);
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
    if (Map.class.isAssignableFrom(target)) {
      return "must be a mapping (key: value)";
    }
    if (target.isRecord()) {
      return "must be a mapping of fields";
    }
    return "has the wrong shape";
  }
}
