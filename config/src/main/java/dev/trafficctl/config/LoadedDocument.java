package dev.trafficctl.config;

/** A document that parsed and validated: where it came from, what it is, and its record. */
public record LoadedDocument(String source, DocumentType type, Validatable value) {

  /** The record, as the type the caller expects. */
  public <T> T as(Class<T> expected) {
    return expected.cast(value);
  }
}
