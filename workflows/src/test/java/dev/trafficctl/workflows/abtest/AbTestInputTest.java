package dev.trafficctl.workflows.abtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.InvalidConfigException;
import dev.trafficctl.workflows.canary.testing.CanaryDocs;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An A/B test's input is refused with one line naming the variant at fault. */
class AbTestInputTest {

  private static String firstLine(Map<String, String> versions) {
    AbTestInput input =
        new AbTestInput(
            "new-ui",
            "api",
            "production",
            CanaryDocs.target(),
            AbTestHarness.spec("14d", "{ name: conversion_rate, threshold: 0.05 }"),
            versions,
            "alice",
            null);
    return assertThrows(
            InvalidConfigException.class, () -> DocumentLoader.validate("create", input))
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
  void twoVariantsOnOneVersion() {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("A", "v1");
    versions.put("B", "v1");
    assertEquals(
        "create: variant_versions.B: \"v1\" already serves another variant; each needs its own"
            + " version",
        firstLine(versions));
  }
}
