package dev.trafficctl.workflows.abtest;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.InvalidConfigException;
import dev.trafficctl.workflows.canary.testing.CanaryDocs;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An A/B test's input is refused with one line naming the variant at fault; variants may share a
 * version.
 */
class AbTestInputTest {

  private static AbTestInput input(Map<String, String> versions) {
    return new AbTestInput(
        "new-ui",
        "api",
        "production",
        CanaryDocs.target(),
        AbTestHarness.spec("14d", "{ name: conversion_rate, threshold: 0.05 }"),
        versions,
        "alice",
        null);
  }

  private static String firstLine(Map<String, String> versions) {
    return assertThrows(
            InvalidConfigException.class, () -> DocumentLoader.validate("create", input(versions)))
        .firstLine();
  }

  @Test
  void aVariantOnAVersionTheCatalogLacks() {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("A", "v1");
    versions.put("B", "v9");
    assertEquals(
        "create: variant_versions.B: \"v9\" is not a version of api in production (catalog has:"
            + " v1, v2)",
        firstLine(versions));
  }

  @Test
  void twoVariantsOnOneVersionAreATestOfFeatureFlags() {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("A", "v1");
    versions.put("B", "v1");
    assertDoesNotThrow(() -> DocumentLoader.validate("create", input(versions)));
  }
}
