package dev.trafficctl.config;

import java.util.List;

/**
 * A document that parsed and validated: where it came from, what it is, its record, and what it
 * should change though it is valid (deprecated fields, each placed at its line and column).
 */
public record LoadedDocument(
    String source, DocumentType type, Validatable value, List<ConfigProblem> warnings) {

  public LoadedDocument {
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  /** The record, as the type the caller expects. */
  public <T> T as(Class<T> expected) {
    return expected.cast(value);
  }
}
