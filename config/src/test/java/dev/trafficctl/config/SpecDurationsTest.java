package dev.trafficctl.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The spec's duration notation: what it reads, what it refuses, and how it writes values back. */
class SpecDurationsTest {

  static Stream<Arguments> written() {
    return Stream.of(
        Arguments.of("500ms", Duration.ofMillis(500)),
        Arguments.of("300s", Duration.ofSeconds(300)),
        Arguments.of("5m", Duration.ofMinutes(5)),
        Arguments.of("1h", Duration.ofHours(1)),
        Arguments.of("14d", Duration.ofDays(14)),
        Arguments.of("1h30m", Duration.ofMinutes(90)),
        Arguments.of("0s", Duration.ZERO),
        Arguments.of("1m30s", Duration.ofSeconds(90)),
        Arguments.of(
            "2d3h4m5s6ms",
            Duration.ofDays(2).plusHours(3).plusMinutes(4).plusSeconds(5).plusMillis(6)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("written")
  void parsesTheSpecsNotation(String text, Duration expected) {
    assertEquals(Optional.of(expected), SpecDurations.parse(text));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @NullSource
  @ValueSource(
      strings = {
        "", // nothing
        "5", // a number without a unit: which one was meant is a guess
        "5 m", // a space inside
        " 5m", // surrounding spaces are the caller's to trim
        "-5s", // negative
        "5.5s", // fractions
        "5M", // units are lower case
        "5min",
        "5 minutes",
        "m",
        "1h 30m",
        "PT5M", // ISO-8601 is not the spec's notation
        "99999999999999999999d", // overflows a long
        "106751991167301d", // fits a long, overflows a Duration's seconds
      })
  void refusesAnythingElse(String text) {
    assertEquals(Optional.empty(), SpecDurations.parse(text));
  }

  static Stream<Arguments> formatted() {
    return Stream.of(
        Arguments.of(Duration.ofSeconds(300), "5m"),
        Arguments.of(Duration.ofSeconds(90), "1m30s"),
        Arguments.of(Duration.ZERO, "0s"),
        Arguments.of(Duration.ofMillis(500), "500ms"),
        Arguments.of(Duration.ofMillis(1500), "1s500ms"),
        Arguments.of(Duration.ofSeconds(3600), "1h"),
        Arguments.of(Duration.ofMinutes(90), "1h30m"),
        Arguments.of(Duration.ofHours(24 * 14), "14d"),
        Arguments.of(Duration.ofHours(25), "1d1h"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("formatted")
  void formatsWithTheLargestExactUnits(Duration value, String expected) {
    assertEquals(expected, SpecDurations.format(value));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("formatted")
  void formattedValuesReadBackAsThemselves(Duration value, String text) {
    assertEquals(Optional.of(value), SpecDurations.parse(SpecDurations.format(value)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "300s, 5m",
    "90s, 1m30s",
    "60m, 1h",
    "1500ms, 1s500ms",
    "0ms, 0s",
    "36h, 1d12h",
    "1h90m, 2h30m",
    "30m1h, 1h30m"
  })
  void anyWrittenValueRoundTripsToOneCanonicalSpelling(String written, String canonical) {
    Duration value = SpecDurations.parse(written).orElseThrow();
    assertEquals(canonical, SpecDurations.format(value));
    assertEquals(Optional.of(value), SpecDurations.parse(canonical));
  }

  @Test
  void refusesToFormatANegativeDuration() {
    assertThrows(
        IllegalArgumentException.class, () -> SpecDurations.format(Duration.ofSeconds(-5)));
  }

  @Test
  void jsonMappingWritesAndReadsTheSameNotation() throws Exception {
    var json = JsonMapping.json();
    assertEquals("\"1m30s\"", json.writeValueAsString(Duration.ofSeconds(90)));
    assertEquals(Duration.ofMillis(500), json.readValue("\"500ms\"", Duration.class));
  }

  @Test
  void humanReadingsRoundToWhatAPersonReads() {
    assertEquals("1m34s", SpecDurations.human(Duration.ofMillis(93_644)));
    assertEquals("13m53s", SpecDurations.human(Duration.ofMillis(832_696)));
    assertEquals("42s", SpecDurations.human(Duration.ofMillis(42_310)));
    assertEquals("1s", SpecDurations.human(Duration.ofMillis(850)));
    assertEquals("0s", SpecDurations.human(Duration.ZERO));
    assertEquals("0s", SpecDurations.human(Duration.ofSeconds(-3)));
    assertEquals("2h5m", SpecDurations.human(Duration.ofSeconds(2 * 3600 + 5 * 60 + 20)));
    assertEquals("1h", SpecDurations.human(Duration.ofMillis(3_599_700)));
    assertEquals("2d3h", SpecDurations.human(Duration.ofMinutes(51 * 60 + 10)));
  }
}
