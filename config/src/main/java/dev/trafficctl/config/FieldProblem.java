package dev.trafficctl.config;

/** A problem found by validation, before it is placed at a line and column. */
public record FieldProblem(String path, String message) {}
