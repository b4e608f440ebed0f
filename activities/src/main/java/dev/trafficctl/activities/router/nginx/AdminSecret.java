package dev.trafficctl.activities.router.nginx;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that authorizes writes to one dynamic-mode include's admin endpoint: 32 random bytes,
 * hex, sent as {@code Authorization: Bearer <hex>}. Without it, any process that can reach the
 * loopback admin port (another container sharing nginx's network namespace, say) could set any
 * version's weight, unseen by the workflows, which read weights only when they start.
 *
 * <p>It lives in {@code <config_dir>/<env>.<service>.admin-secret}, mode 0600, and nowhere else:
 * the include holds only its {@link Verifier}, so the include, its {@code .last-good} and {@code
 * .rejected} copies and {@code nginx -T} give nothing that authorizes a write. It stays the same as
 * long as the file does, so a restarted worker talks to the include nginx already serves.
 *
 * <p>Never in a log, a message, an activity's result or workflow history: {@link #toString()} hides
 * it, and only {@link NginxAdminClient} reads {@link #hex()}.
 */
record AdminSecret(String hex) {

  /** What the include's verifier is an HMAC of; admin_secret.lua uses the same words. */
  static final String VERIFIER_MESSAGE = "trafficctl admin";

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private static final SecureRandom RANDOM = new SecureRandom();

  AdminSecret {
    if (hex == null || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("an admin secret is 64 lowercase hex digits");
    }
  }

  static AdminSecret generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return new AdminSecret(HexFormat.of().formatHex(bytes));
  }

  /**
   * The secret in {@code file}; a new one, written there first, when the file is missing, does not
   * hold a secret, or its mode is not 0600 (then others may have read it). A new secret means a new
   * verifier, so the caller's next rendering differs from the include on disk and goes through the
   * reload and its check that nginx serves it before the secret is used.
   */
  static AdminSecret loadOrCreate(Path file) throws IOException {
    String text = AtomicFile.read(file);
    if (text != null
        && HEX.matcher(text.strip()).matches()
        && Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
      return new AdminSecret(text.strip());
    }
    AdminSecret created = generate();
    AtomicFile.replaceOwnerOnly(file, created.hex + "\n");
    return created;
  }

  /** The value of the {@code Authorization} header that authorizes a write. */
  String authorization() {
    return "Bearer " + hex;
  }

  /**
   * HMAC-SHA1 keyed with the secret's hex text over {@link #VERIFIER_MESSAGE}: what the include
   * compares a presented secret against. SHA-1 because it is what Debian's Lua module offers
   * ({@code ngx.hmac_sha1}); as an HMAC of a 256-bit random key it is not invertible, and no
   * collision helps an attacker, who needs the key itself.
   */
  Verifier verifier() {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(hex.getBytes(US_ASCII), "HmacSHA1"));
      return new Verifier(HexFormat.of().formatHex(mac.doFinal(VERIFIER_MESSAGE.getBytes(UTF_8))));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is in every JDK", e);
    }
  }

  /** Never the secret itself: records print their fields, and this one may end up in a log. */
  @Override
  public String toString() {
    return "AdminSecret[hidden]";
  }

  /** What the include holds to check a presented secret: 40 hex digits, safe to publish. */
  record Verifier(String hex) {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{40}");

    Verifier {
      if (hex == null || !FORM.matcher(hex).matches()) {
        throw new IllegalArgumentException("an admin secret's verifier is 40 lowercase hex digits");
      }
    }
  }
}
