package dev.trafficctl.client.payload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.client.InvalidConnectionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Key files and variables: what they hold, and errors that name the place but never the key. */
class PayloadKeyRingTest {

  private static final byte[] K1 = bytes(32, 1);
  private static final byte[] K2 = bytes(16, 2);
  private static final String K1_TEXT = Base64.getEncoder().encodeToString(K1);
  private static final String K2_TEXT = Base64.getEncoder().encodeToString(K2);

  @TempDir Path dir;

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed * 31 + i * 7);
    }
    return b;
  }

  @Test
  void aFileListsKeysFirstOneEncrypting() {
    PayloadKeyRing ring =
        PayloadKeyRing.parse(
            "# rotated 2026-01\nk2026:" + K1_TEXT + "\n\n  k2025 : " + K2_TEXT + "  \n", "keys");
    assertEquals(List.of("k2026", "k2025"), ring.ids());
    assertEquals("k2026", ring.encrypting().orElseThrow().id());
    assertArrayEquals(K2, ring.byId("k2025").orElseThrow().key().getEncoded());
    assertFalse(ring.byId("k2024").isPresent());
  }

  @Test
  void aVariableHoldsEntriesSeparatedByCommas() {
    PayloadKeyRing ring = PayloadKeyRing.parse("a:" + K1_TEXT + ",b:" + K2_TEXT, "VAR");
    assertEquals(List.of("a", "b"), ring.ids());
  }

  @Test
  void errorsNameTheLineAndNeverTheKey() {
    String badLength = Base64.getEncoder().encodeToString(bytes(20, 3));
    InvalidConnectionSettings length =
        assertThrows(
            InvalidConnectionSettings.class,
            () -> PayloadKeyRing.parse("ok:" + K1_TEXT + "\nshort:" + badLength, "keys.txt"));
    assertEquals(
        "keys.txt:2: key short has 20 bytes; AES takes 16, 24 or 32 (32 recommended)",
        length.getMessage());
    assertFalse(length.getMessage().contains(badLength));

    String notBase64 = "k1:" + K1_TEXT.substring(0, 10) + "!!" + K1_TEXT.substring(12);
    InvalidConnectionSettings base64 =
        assertThrows(InvalidConnectionSettings.class, () -> PayloadKeyRing.parse(notBase64, "f"));
    assertEquals("f: key k1 is not base64", base64.getMessage());

    assertEquals(
        "f:2: key id k1 is given twice",
        assertThrows(
                InvalidConnectionSettings.class,
                () -> PayloadKeyRing.parse("k1:" + K1_TEXT + "\nk1:" + K2_TEXT, "f"))
            .getMessage());
    assertEquals(
        "f: not ID:BASE64",
        assertThrows(InvalidConnectionSettings.class, () -> PayloadKeyRing.parse(K1_TEXT, "f"))
            .getMessage());
    assertTrue(
        assertThrows(
                InvalidConnectionSettings.class,
                () -> PayloadKeyRing.parse("bad id:" + K1_TEXT, "f"))
            .getMessage()
            .startsWith("f: key id 'bad id' is not a key id"));
    assertEquals(
        "f holds no payload key (one per line: ID:BASE64, the first encrypts)",
        assertThrows(InvalidConnectionSettings.class, () -> PayloadKeyRing.parse("# none\n", "f"))
            .getMessage());
  }

  @Test
  void aKeyPrintsAsItsIdAndSize() {
    PayloadKey key = PayloadKey.of("k1", K1);
    assertEquals("PayloadKey[k1, AES-256]", key.toString());
    String ring = new PayloadEncryption(new PayloadKeyRing(List.of(key)), true).toString();
    assertFalse(ring.contains(K1_TEXT), ring);
    assertEquals("payload encryption with key id k1, plain payloads refused", ring);
  }

  @Command(name = "probe")
  static final class Probe {
    @Mixin PayloadKeyOptions keys = new PayloadKeyOptions();
  }

  private static PayloadKeyRing resolve(Map<String, String> env, String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    return probe.keys.resolve(env);
  }

  @Test
  void theFlagComesFirstThenTheFileVariableThenTheKeysVariable() throws Exception {
    Path flagFile = Files.writeString(dir.resolve("flag.keys"), "flag:" + K1_TEXT + "\n");
    Path envFile = Files.writeString(dir.resolve("env.keys"), "envfile:" + K1_TEXT + "\n");
    Map<String, String> env =
        Map.of(
            PayloadKeyOptions.KEY_FILE_ENV,
            envFile.toString(),
            PayloadKeyOptions.KEYS_ENV,
            "inline:" + K2_TEXT);

    assertEquals(List.of("flag"), resolve(env, "--payload-key-file", flagFile.toString()).ids());
    assertEquals(List.of("envfile"), resolve(env).ids());
    assertEquals(
        List.of("inline"), resolve(Map.of(PayloadKeyOptions.KEYS_ENV, "inline:" + K2_TEXT)).ids());
    assertTrue(resolve(Map.of()).isEmpty());
    assertEquals(
        "--payload-key-file " + dir.resolve("missing") + ": no such file",
        assertThrows(
                InvalidConnectionSettings.class,
                () -> resolve(Map.of(), "--payload-key-file", dir.resolve("missing").toString()))
            .getMessage());
  }
}
