package dev.trafficctl.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Collects {@link FieldProblem}s while records validate themselves: errors, which refuse the
 * document, and warnings, which do not ({@link #warn}). Each instance stands at one field path of
 * the document; {@link #at} and {@link #index} step down into it. The messages say what is wrong
 * and what is allowed, in the spec's terms.
 */
public final class Validator {

  /** Names of services, environments and versions: safe in workflow ids, URLs and nginx config. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*");

  public static final String NAME_RULE = "[a-z0-9][a-z0-9.-]*";

  /**
   * HTTP header names as documents may write them. Narrower than RFC 9110's token on purpose: no
   * underscores (nginx drops such headers by default) and nothing that could break out of the
   * load-balancer configuration the name is rendered into.
   */
  public static final Pattern HEADER = Pattern.compile("[A-Za-z0-9-]+");

  public static final String HEADER_RULE = "an HTTP header name (letters, digits and -)";

  private final String path;
  private final List<FieldProblem> problems;
  private final List<FieldProblem> warnings;

  /** Where this validator's fields stand when not below its path, see {@link #relocating}. */
  private final Function<String, Validator> fields;

  /** A field path's value as its document wrote it, when there is a document: {@link #shown}. */
  private final Function<String, Optional<String>> written;

  private Validator(
      String path,
      List<FieldProblem> problems,
      List<FieldProblem> warnings,
      Function<String, Validator> fields,
      Function<String, Optional<String>> written) {
    this.path = path;
    this.problems = problems;
    this.warnings = warnings;
    this.fields = fields;
    this.written = written;
  }

  /** A validator at the root of a document. */
  public static Validator root() {
    return root(p -> Optional.empty());
  }

  private static Validator root(Function<String, Optional<String>> written) {
    return new Validator("", new ArrayList<>(), new ArrayList<>(), null, written);
  }

  /** Validates {@code value} from the root; the result holds its problems and its warnings. */
  public static Validator run(Validatable value) {
    return run(value, p -> Optional.empty());
  }

  /**
   * Validates {@code value}, read from a document whose scalars at each field path were written as
   * {@code written} returns, so that messages quote them as written.
   */
  static Validator run(Validatable value, Function<String, Optional<String>> written) {
    Validator v = root(written);
    value.validate(v);
    return v;
  }

  /** Validates {@code value} from the root and returns the errors it found. */
  public static List<FieldProblem> check(Validatable value) {
    return run(value).problems();
  }

  /** The errors found so far, anywhere in the document. */
  public List<FieldProblem> problems() {
    return List.copyOf(problems);
  }

  /** The warnings found so far, anywhere in the document. */
  public List<FieldProblem> warnings() {
    return List.copyOf(warnings);
  }

  public String path() {
    return path;
  }

  /** The validator at {@code field} below this one; an empty {@code field} is this path itself. */
  public Validator at(String field) {
    if (field.isEmpty()) {
      return this;
    }
    if (fields != null) {
      return fields.apply(field);
    }
    return new Validator(
        path.isEmpty() ? field : path + "." + field, problems, warnings, null, written);
  }

  /**
   * This validator, with each of its fields standing where {@code fields} puts it rather than below
   * this path: for a record whose values a document may also write under other names (a deprecated
   * spelling), so that a problem points at what the person wrote. Only this level is moved; what
   * {@code fields} returns steps down as usual.
   */
  public Validator relocating(Function<String, Validator> fields) {
    return new Validator(path, problems, warnings, fields, written);
  }

  public Validator index(int i) {
    return new Validator(path + "[" + i + "]", problems, warnings, null, written);
  }

  /** Records a problem at this path. */
  public void fail(String message) {
    problems.add(new FieldProblem(path, message));
  }

  /** Records a warning at this path: the document stays valid. */
  public void warn(String message) {
    warnings.add(new FieldProblem(path, message));
  }

  /** Records {@code message} at {@code field} unless {@code ok}. Returns {@code ok}. */
  public boolean check(boolean ok, String field, String message) {
    if (!ok) {
      at(field).fail(message);
    }
    return ok;
  }

  /** A required field: present, or one problem saying it is missing. */
  public boolean required(String field, Object value) {
    if (value == null) {
      fail("missing required field " + field);
      return false;
    }
    return true;
  }

  /** A nested record, validated at {@code field} when present. */
  public void nested(String field, Validatable value) {
    if (value != null) {
      value.validate(at(field));
    }
  }

  /** Each element of a list, validated at {@code field[i]}. */
  public void each(String field, List<? extends Validatable> values) {
    if (values == null) {
      return;
    }
    Validator list = at(field);
    for (int i = 0; i < values.size(); i++) {
      Validatable item = values.get(i);
      if (item == null) {
        list.index(i).fail("empty entry");
      } else {
        item.validate(list.index(i));
      }
    }
  }

  /** Each value of a map, validated at {@code field.key}; keys must match {@link #NAME}. */
  public void eachNamed(String field, String what, Map<String, ? extends Validatable> values) {
    if (values == null) {
      return;
    }
    Validator map = at(field);
    values.forEach(
        (key, value) -> {
          map.name(key, what);
          if (value == null) {
            map.at(key).fail("empty " + what + " entry");
          } else {
            value.validate(map.at(key));
          }
        });
  }

  /** A name of a service, environment or version. */
  public boolean name(String value, String what) {
    if (value != null && !NAME.matcher(value).matches()) {
      at(value).fail("\"" + value + "\" is not a valid " + what + " name (" + NAME_RULE + ")");
      return false;
    }
    return true;
  }

  /**
   * Each key of the map at {@code field} must match {@code pattern}; {@code what} names the kind of
   * key in the message, {@code rule} shows the pattern.
   */
  public boolean keys(
      String field, Map<String, ?> values, Pattern pattern, String what, String rule) {
    if (values == null) {
      return true;
    }
    boolean ok = true;
    Validator map = at(field);
    for (String key : values.keySet()) {
      if (!pattern.matcher(key).matches()) {
        map.at(key).fail("\"" + key + "\" is not a valid " + what + " name (" + rule + ")");
        ok = false;
      }
    }
    return ok;
  }

  /**
   * Names that must be unique within the list at {@code field}: a repeated one is reported at
   * {@code field[i].keyField}, naming the entry that has it first.
   */
  public <T> boolean unique(
      String field, List<T> values, Function<? super T, String> key, String keyField) {
    if (values == null) {
      return true;
    }
    boolean ok = true;
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      T value = values.get(i);
      String name = value == null ? null : key.apply(value);
      if (name == null) {
        continue;
      }
      Integer first = seen.putIfAbsent(name, i);
      if (first != null) {
        at(field)
            .index(i)
            .at(keyField)
            .fail("\"" + name + "\" is already used by " + field + "[" + first + "]");
        ok = false;
      }
    }
    return ok;
  }

  /** A field holding an HTTP header name, see {@link #HEADER}. */
  public boolean header(String field, String value) {
    return matches(field, value, HEADER, HEADER_RULE);
  }

  /** A required name: present, and a name as {@link #nameField} checks it. */
  public boolean requiredName(String field, String value, String what) {
    return required(field, value) && nameField(field, value, what);
  }

  /** A field holding a name of a service, environment or version. */
  public boolean nameField(String field, String value, String what) {
    return value == null
        || check(
            NAME.matcher(value).matches(),
            field,
            "\"" + value + "\" is not a valid " + what + " name (" + NAME_RULE + ")");
  }

  /** A field matching {@code pattern}, with {@code rule} telling a person what that means. */
  public boolean matches(String field, String value, Pattern pattern, String rule) {
    return value == null
        || check(pattern.matcher(value).matches(), field, "\"" + value + "\" is not " + rule);
  }

  public boolean percentage(String field, Number value) {
    return value == null
        || check(
            value.doubleValue() >= 0 && value.doubleValue() <= 100,
            field,
            shown(field, value) + " is not a percentage (0..100)");
  }

  public boolean fraction(String field, Number value) {
    return value == null
        || check(
            value.doubleValue() >= 0 && value.doubleValue() <= 1,
            field,
            shown(field, value) + " is not a fraction (0..1)");
  }

  /** A fraction strictly between 0 and 1, such as a significance level or a power. */
  public boolean openFraction(String field, Number value) {
    return value == null
        || check(
            value.doubleValue() > 0 && value.doubleValue() < 1,
            field,
            shown(field, value) + " is not a fraction strictly between 0 and 1");
  }

  public boolean atLeast(String field, Number value, long minimum) {
    return value == null
        || check(
            value.doubleValue() >= minimum,
            field,
            shown(field, value) + " is too small (at least " + minimum + ")");
  }

  public boolean between(String field, Number value, long minimum, long maximum) {
    return value == null
        || check(
            value.doubleValue() >= minimum && value.doubleValue() <= maximum,
            field,
            shown(field, value) + " is out of range (" + minimum + ".." + maximum + ")");
  }

  public boolean positive(String field, Duration value) {
    if (value == null || (!value.isZero() && !value.isNegative())) {
      return true;
    }
    // A negative duration cannot come from a document, only from code; still say what it was.
    String shown =
        value.isNegative()
            ? "-" + SpecDurations.format(value.negated())
            : SpecDurations.format(value);
    return check(false, field, "\"" + shown + "\" must be longer than 0s");
  }

  public boolean notBlank(String field, String value) {
    return value == null || check(!value.isBlank(), field, "must not be empty");
  }

  public boolean notEmpty(String field, Collection<?> value) {
    return value == null || check(!value.isEmpty(), field, "must not be empty");
  }

  public boolean notEmpty(String field, Map<?, ?> value) {
    return value == null || check(!value.isEmpty(), field, "must not be empty");
  }

  /** Weights that must add up to 100, e.g. the splits of a rule. */
  public boolean sumsTo100(String field, Map<String, ? extends Number> weights) {
    if (weights == null || weights.isEmpty()) {
      return true;
    }
    Optional<String> problem = Weights.sumProblem(weights);
    return check(problem.isEmpty(), field, problem.orElse(""));
  }

  /**
   * {@code value} of {@code field} as the document wrote it ({@code 1e30}, {@code 1.50}), so that a
   * person finds what they wrote; as {@link #number} prints it when there is no document (a
   * workflow input) or the text is not that number.
   */
  public String shown(String field, Number value) {
    return written
        .apply(at(field).path)
        .filter(text -> denotes(text, value))
        .orElseGet(() -> number(value));
  }

  /** Whether a scalar's text is a way of writing {@code value}: 1e2, 100 and 100.0 all are. */
  private static boolean denotes(String text, Number value) {
    try {
      return new BigDecimal(text.trim()).doubleValue() == value.doubleValue();
    } catch (NumberFormatException notDecimal) {
      return false;
    }
  }

  /**
   * Prints 5 as {@code 5} and 99.5 as {@code 99.5}; a whole number too large for a {@code long} in
   * full ({@code 1000000000000000000000000000000}), never clamped to the largest {@code long}.
   */
  public static String number(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return n.toString();
    }
    double d = n.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return n.toString();
    }
    if (d == Math.rint(d)) {
      return BigDecimal.valueOf(d).toBigInteger().toString();
    }
    return n.toString();
  }
}
