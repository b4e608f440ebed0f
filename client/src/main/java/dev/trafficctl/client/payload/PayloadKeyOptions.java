package dev.trafficctl.client.payload;

import dev.trafficctl.client.InvalidConnectionSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the payload keys come from, the same for the worker and the CLI: {@code
 * --payload-key-file}, else the file {@code TRAFFICCTL_PAYLOAD_KEY_FILE} names, else the keys
 * themselves in {@code TRAFFICCTL_PAYLOAD_KEYS} (for a container's secret variables), else none.
 * Like the API key, a key is never taken on the command line, where {@code ps} shows it.
 */
public final class PayloadKeyOptions {

  public static final String KEY_FILE_ENV = "TRAFFICCTL_PAYLOAD_KEY_FILE";
  public static final String KEYS_ENV = "TRAFFICCTL_PAYLOAD_KEYS";

  @Option(
      names = "--payload-key-file",
      paramLabel = "FILE",
      description =
          "Keys that encrypt workflow payloads, one a line as ID:BASE64; the first encrypts, all"
              + " decrypt (default: "
              + KEY_FILE_ENV
              + ", else the keys in "
              + KEYS_ENV
              + ", else payloads are plain).")
  Path keyFile;

  /**
   * The keys in force, read through {@code env}.
   *
   * @throws InvalidConnectionSettings for a file that cannot be read or a key that is not one
   */
  public PayloadKeyRing resolve(Map<String, String> env) {
    if (keyFile != null) {
      return read("--payload-key-file", keyFile);
    }
    String file = env.get(KEY_FILE_ENV);
    if (file != null && !file.isBlank()) {
      return read(KEY_FILE_ENV, Path.of(file.strip()));
    }
    String keys = env.get(KEYS_ENV);
    if (keys != null && !keys.isBlank()) {
      return PayloadKeyRing.parse(keys, KEYS_ENV);
    }
    return PayloadKeyRing.NONE;
  }

  private static PayloadKeyRing read(String setting, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidConnectionSettings(setting + " " + file + ": no such file");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidConnectionSettings(
          setting + " " + file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
    }
    return PayloadKeyRing.parse(text, file.toString());
  }
}
