package dev.trafficctl.config;

/**
 * A problem found by validation, before it is placed at a line and column. {@link Validator} keeps
 * errors and warnings apart, so the record itself has no severity.
 */
public record FieldProblem(String path, String message) {}
