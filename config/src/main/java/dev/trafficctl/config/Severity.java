package dev.trafficctl.config;

/** How much a {@link ConfigProblem} matters: an error refuses the document, a warning does not. */
public enum Severity implements SpecEnum {
  /** The document cannot be used. */
  ERROR,
  /** The document can be used as it is, but should be changed (a deprecated field, say). */
  WARNING;

  @Override
  public String wire() {
    return SpecEnum.wireOf(this);
  }
}
