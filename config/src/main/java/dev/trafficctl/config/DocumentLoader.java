package dev.trafficctl.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads any trafficctl document (YAML, or JSON, which YAML reads too) into its validated record.
 * Every failure is an {@link InvalidConfigException} whose problems print as {@code file:line:col:
 * field.path: what is wrong, what is allowed}.
 *
 * <p>A document is UTF-8 text of at most 1 MB ({@link DocumentText#MAX_BYTES}); tabs may separate
 * tokens but not indent ({@link YamlTabs}); an empty value ({@code ""}) is an error for every
 * field, since leaving a field out is how its default is asked for.
 */
public final class DocumentLoader {

  private final ObjectMapper mapper;

  public DocumentLoader() {
    this.mapper = JsonMapping.yaml();
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  /** Reads {@code file}, recognising its type from its top-level key. */
  public LoadedDocument load(Path file) {
    return parse(file.toString(), read(file));
  }

  /** Reads {@code file}, which must be a document of {@code type}. */
  public <T extends Validatable> T load(Path file, Class<T> type) {
    return parse(file.toString(), read(file), type);
  }

  /** Parses the bytes of a document, recognising its type from its top-level key. */
  public LoadedDocument parse(String source, byte[] document) {
    return parse(source, DocumentText.decode(source, document));
  }

  /** Parses {@code text}, recognising its type from its top-level key. */
  public LoadedDocument parse(String source, String text) {
    String yaml = prepare(source, text);
    return bind(source, yaml, detect(source, yaml));
  }

  /** Parses {@code text}, which must be a document of {@code type}. */
  public <T extends Validatable> T parse(String source, String text, Class<T> type) {
    DocumentType expected =
        DocumentType.byRecordType(type)
            .orElseThrow(() -> new IllegalArgumentException("not a document type: " + type));
    String yaml = prepare(source, text);
    DocumentType found = detect(source, yaml);
    if (found != expected) {
      throw single(
          source,
          1,
          1,
          "",
          "is a " + found.title() + " document, expected a " + expected.title() + " document");
    }
    return bind(source, yaml, expected).as(type);
  }

  /** The text the parser reads: a document of a size worth parsing, its separating tabs spaces. */
  private static String prepare(String source, String text) {
    DocumentText.requireSize(source, text);
    return YamlTabs.separatorsAsSpaces(text);
  }

  /**
   * Checks a record that arrived without text (a workflow input, built by code): the same problems,
   * located by field path only.
   */
  public static void validate(String source, Validatable value) {
    List<FieldProblem> found = Validator.check(value);
    if (!found.isEmpty()) {
      throw new InvalidConfigException(
          found.stream().map(f -> new ConfigProblem(source, 0, 0, f.path(), f.message())).toList());
    }
  }

  private LoadedDocument bind(String source, String text, DocumentType type) {
    SourceMap sourceMap = SourceMap.of(mapper.getFactory(), text);
    Validatable value;
    try {
      value = mapper.readValue(text, type.recordType());
    } catch (JacksonException e) {
      throw new InvalidConfigException(
          List.of(BindingErrors.toProblem(source, text, e, sourceMap)));
    }
    Validator checked = Validator.run(value, sourceMap::written);
    List<FieldProblem> problems = new ArrayList<>(checked.problems());
    problems.addAll(emptyText(sourceMap, problems));
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(locate(source, sourceMap, problems, Severity.ERROR));
    }
    List<ConfigProblem> warnings = locate(source, sourceMap, checked.warnings(), Severity.WARNING);
    // In the order a person reads the file, whatever order the records checked their fields in.
    warnings.sort(
        Comparator.comparingInt(ConfigProblem::line).thenComparing(ConfigProblem::column));
    return new LoadedDocument(source, type, value, warnings);
  }

  /**
   * Text fields written as {@code ""} that no rule of their record refused: numbers, booleans,
   * durations and enums refuse the empty value as they bind, names and addresses by their rules,
   * and this is the rule for the rest (a selector, a path), so that no field reads "" as "not
   * given".
   */
  private static List<FieldProblem> emptyText(SourceMap sourceMap, List<FieldProblem> found) {
    Set<String> refused = new HashSet<>();
    found.forEach(f -> refused.add(f.path()));
    List<FieldProblem> empty = new ArrayList<>();
    for (String path : sourceMap.emptyValues()) {
      if (!refused.contains(path)) {
        empty.add(new FieldProblem(path, "is empty (write its value, or leave the field out)"));
      }
    }
    return empty;
  }

  /** Each finding at the line and column of its field, or of the nearest enclosing one. */
  private static List<ConfigProblem> locate(
      String source, SourceMap sourceMap, List<FieldProblem> found, Severity severity) {
    List<ConfigProblem> located = new ArrayList<>();
    for (FieldProblem f : found) {
      SourceMap.Position p = sourceMap.find(f.path());
      located.add(new ConfigProblem(source, p.line(), p.column(), f.path(), f.message(), severity));
    }
    return located;
  }

  private DocumentType detect(String source, String text) {
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (JacksonException e) {
      // The source map holds what parsed before the error (the first of a duplicated key).
      throw new InvalidConfigException(
          List.of(
              BindingErrors.toProblem(source, text, e, SourceMap.of(mapper.getFactory(), text))));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw single(source, 1, 1, "", "empty document (expected one of: " + roots() + ")");
    }
    if (!root.isObject()) {
      throw single(source, 1, 1, "", "a document is a mapping with one of: " + roots());
    }
    Iterator<String> names = root.fieldNames();
    String first = null;
    DocumentType found = null;
    while (names.hasNext()) {
      String name = names.next();
      first = first == null ? name : first;
      var type = DocumentType.byRootKey(name);
      if (type.isPresent() && found == null) {
        found = type.get();
      } else if (type.isPresent()) {
        SourceMap.Position p = SourceMap.of(mapper.getFactory(), text).find(name);
        throw single(
            source,
            p.line(),
            p.column(),
            "",
            "one document per file: \""
                + name
                + "\" begins another document after \""
                + found.rootKey()
                + "\"; put it in a file of its own");
      }
    }
    if (found != null) {
      return found;
    }
    SourceMap.Position p = SourceMap.of(mapper.getFactory(), text).find(first);
    throw single(
        source,
        p.line(),
        p.column(),
        "",
        "unknown document: top-level key \""
            + first
            + "\" (allowed: "
            + roots()
            + ")"
            + Suggestions.didYouMean(first, DocumentType.rootKeys()));
  }

  private static String roots() {
    return String.join(", ", DocumentType.rootKeys());
  }

  private static InvalidConfigException single(
      String source, int line, int column, String path, String message) {
    return new InvalidConfigException(
        List.of(new ConfigProblem(source, line, column, path, message)));
  }

  /**
   * The text of {@code file}: refused unread when it is over the size limit, and read no further
   * than the limit when its size is not known in advance (a pipe, a file still growing).
   */
  private static String read(Path file) {
    String source = file.toString();
    if (Files.isDirectory(file)) {
      throw single(source, 0, 0, "", "is a directory");
    }
    try {
      DocumentText.requireSize(source, Files.size(file));
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(DocumentText.MAX_BYTES + 1);
        if (bytes.length > DocumentText.MAX_BYTES) {
          throw DocumentText.longerThanLimit(source);
        }
      }
      return DocumentText.decode(source, bytes);
    } catch (IOException e) {
      throw single(source, 0, 0, "", describe(e));
    }
  }

  /** What went wrong, in the words of {@code ls} and {@code cat}, not of Java. */
  private static String describe(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return "cannot read ("
        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
        + ")";
  }
}
