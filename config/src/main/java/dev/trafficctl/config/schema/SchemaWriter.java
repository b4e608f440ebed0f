package dev.trafficctl.config.schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.trafficctl.config.DocumentType;
import dev.trafficctl.config.JsonMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one JSON Schema file per {@link DocumentType}. The build runs it (exec-maven-plugin, phase
 * {@code process-classes}) into {@code target/classes/schemas/}, so the schemas ship inside the
 * config jar, at {@link #RESOURCE_DIR}, for the CLI and for anyone who unpacks it.
 */
public final class SchemaWriter {

  /** Where the schemas sit on the classpath. */
  public static final String RESOURCE_DIR = "/schemas/";

  private SchemaWriter() {}

  /**
   * The file name of a document type's schema: its root key with {@code _} as {@code -}, e.g.
   * {@code canary.schema.json}, {@code blue-green.schema.json}, and {@code services.schema.json}
   * for the catalog (whose root key is {@code services}). One rule for every type, so a new
   * document type needs no naming decision.
   */
  public static String fileName(DocumentType type) {
    return type.rootKey().replace('_', '-') + ".schema.json";
  }

  /** Writes every document type's schema into {@code dir} and returns the files written. */
  public static List<Path> writeAll(Path dir) {
    SchemaGenerator generator = new SchemaGenerator();
    ObjectMapper json = JsonMapping.json().enable(SerializationFeature.INDENT_OUTPUT);
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      for (DocumentType type : DocumentType.values()) {
        Path file = dir.resolve(fileName(type));
        String text = json.writeValueAsString(generator.schemaFor(type)) + "\n";
        Files.writeString(file, text, StandardCharsets.UTF_8);
        written.add(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write schemas to " + dir, e);
    }
    return written;
  }

  /** {@code SchemaWriter <output directory>}. */
  public static void main(String[] args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: SchemaWriter <output directory>");
    }
    writeAll(Path.of(args[0]));
  }
}
