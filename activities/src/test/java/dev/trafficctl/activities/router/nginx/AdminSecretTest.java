package dev.trafficctl.activities.router.nginx;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin secret's file: created owner-only, kept while it stays so, hidden from printing. */
class AdminSecretTest {

  @TempDir Path dir;

  @Test
  void aMissingSecretIsCreatedReadableByItsOwnerAloneAndThenKept() throws IOException {
    Path file = dir.resolve("production.api.admin-secret");
    AdminSecret created = AdminSecret.loadOrCreate(file);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(created.hex() + "\n", Files.readString(file, UTF_8));
    assertEquals(64, created.hex().length());
    assertEquals(created, AdminSecret.loadOrCreate(file), "a restarted worker finds it");
    assertNotEquals(created, AdminSecret.loadOrCreate(dir.resolve("staging.api.admin-secret")));
  }

  @Test
  void aSecretOthersCouldReadIsReplaced() throws IOException {
    Path file = dir.resolve("production.api.admin-secret");
    AdminSecret exposed = AdminSecret.loadOrCreate(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    AdminSecret replaced = AdminSecret.loadOrCreate(file);
    assertNotEquals(exposed, replaced);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void aFileThatHoldsNoSecretIsReplaced() throws IOException {
    Path file = dir.resolve("production.api.admin-secret");
    Files.writeString(file, "not a secret\n", UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    AdminSecret replaced = AdminSecret.loadOrCreate(file);
    assertEquals(replaced.hex() + "\n", Files.readString(file, UTF_8));
  }

  @Test
  void theSecretIsNotPrintedAndItsVerifierIsNotTheSecret() {
    AdminSecret secret = AdminSecret.generate();
    assertFalse(secret.toString().contains(secret.hex()), secret.toString());
    assertEquals(secret.verifier(), new AdminSecret(secret.hex()).verifier());
    assertNotEquals(secret.verifier(), AdminSecret.generate().verifier());
    assertTrue(secret.authorization().startsWith("Bearer "));
  }
}
