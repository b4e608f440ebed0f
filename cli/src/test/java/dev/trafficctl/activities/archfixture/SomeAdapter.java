package dev.trafficctl.activities.archfixture;

/** Stands in for an adapter class in the CLI's architecture test (test sources only). */
public class SomeAdapter {}
