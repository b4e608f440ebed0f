package dev.trafficctl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.ClientConfigTLS;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-line messages for failures to reach Temporal, from the exceptions gRPC really produces
 * (their shapes were taken from the end-to-end test against nginx in front of a dev server).
 */
class ConnectionFailureTest {

  private static final String KEY = "secret-api-key-1234";
  private static final ClientConfigProfile PROFILE =
      ClientConfigProfile.newBuilder().setAddress("temporal.example:7233").setApiKey(KEY).build();
  private static final ClientConfigProfile NO_KEY =
      ClientConfigProfile.newBuilder().setAddress("temporal.example:7233").build();

  @TempDir Path dir;

  /** As the SDK throws it: a channel pipeline on the line after the status. */
  private static StatusRuntimeException unavailable(Throwable cause) {
    return Status.UNAVAILABLE
        .withDescription(
            "io exception\nChannel Pipeline: [SslHandler#0, ProtocolNegotiators$ClientTlsHandler#0]")
        .withCause(cause)
        .asRuntimeException();
  }

  private static ConnectionFailure of(Throwable failure, ClientConfigProfile profile) {
    Optional<ConnectionFailure> found = ConnectionFailure.of(failure, profile);
    assertTrue(found.isPresent(), "recognised: " + failure);
    assertFalse(found.get().message().contains("\n"), found.get().message());
    return found.get();
  }

  private static SSLHandshakeException handshake(Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException("General OpenSslEngine problem");
    e.initCause(cause);
    return e;
  }

  @Test
  void aServerCertificateFromAnotherCaNamesTheCaSetting() {
    Throwable pkix =
        new CertificateException(
            "PKIX path building failed",
            new CertPathBuilderException("unable to find valid certification path"));
    ConnectionFailure failure = of(unavailable(handshake(pkix)), PROFILE);
    assertEquals(ConnectionFailure.Kind.SETTINGS, failure.kind());
    assertEquals(
        "TLS: the certificate of Temporal at temporal.example:7233 is not signed by a trusted CA;"
            + " check --tls-ca or TEMPORAL_TLS_SERVER_CA_CERT_PATH (without it, the system's CAs"
            + " are trusted)",
        failure.message());
  }

  @Test
  void aCertificateForAnotherNameNamesTheServerNameSetting() {
    Throwable name =
        new CertificateException(
            "No subject alternative DNS name matching wrong.example found. Subject alternative"
                + " DNS names in the certificate chain of 1 certificate(s): localhost");
    ConnectionFailure failure = of(unavailable(handshake(name)), PROFILE);
    assertEquals(ConnectionFailure.Kind.SETTINGS, failure.kind());
    assertTrue(failure.message().contains("wrong.example"), failure.message());
    assertTrue(failure.message().endsWith("check --tls-server-name or TEMPORAL_TLS_SERVER_NAME"));
  }

  @Test
  void tlsAgainstAPlaintextPortAndPlaintextAgainstATlsPort() {
    ConnectionFailure notTls =
        of(unavailable(new SSLException("not an SSL/TLS record: 0000060400")), PROFILE);
    assertEquals(ConnectionFailure.Kind.SETTINGS, notTls.kind());
    assertTrue(notTls.message().contains("does not speak TLS"), notTls.message());

    StatusRuntimeException plaintext =
        Status.INTERNAL
            .withDescription("http2 exception")
            .withCause(
                new RuntimeException(
                    "First received frame was not SETTINGS. Hex dump for first 5 bytes:"
                        + " 485454502f"))
            .asRuntimeException();
    ConnectionFailure wantsTls = of(plaintext, PROFILE);
    assertEquals(ConnectionFailure.Kind.SETTINGS, wantsTls.kind());
    assertTrue(wantsTls.message().contains("--tls"), wantsTls.message());
  }

  @Test
  void aRefusedHandshakeAsksForAClientCertificate() {
    ConnectionFailure failure =
        of(unavailable(new SSLException("Received fatal alert: certificate_required")), PROFILE);
    assertEquals(ConnectionFailure.Kind.SETTINGS, failure.kind());
    assertTrue(failure.message().contains("certificate_required"), failure.message());
    assertTrue(failure.message().contains("--tls-cert"), failure.message());
  }

  @Test
  void aProxyAnsweringHttpIsNamedWithItsTitle() {
    StatusRuntimeException http400 =
        Status.INTERNAL
            .withDescription(
                "HTTP status code 400\ninvalid content-type: text/html\nheaders:"
                    + " Metadata(:status=400)\nDATA-----\n<html>\n<head><title>400 No required"
                    + " SSL certificate was sent</title></head>\n</html>\n")
            .asRuntimeException();
    ConnectionFailure failure = of(http400, PROFILE);
    assertEquals(ConnectionFailure.Kind.SETTINGS, failure.kind());
    assertTrue(
        failure
            .message()
            .startsWith(
                "Temporal at temporal.example:7233 answered HTTP 400 instead of gRPC: No required"
                    + " SSL certificate was sent; check the client certificate"),
        failure.message());

    StatusRuntimeException http502 =
        Status.UNAVAILABLE
            .withDescription("HTTP status code 502\ninvalid content-type: text/html\n")
            .asRuntimeException();
    assertEquals(ConnectionFailure.Kind.UNREACHABLE, of(http502, PROFILE).kind());
  }

  @Test
  void aRefusedApiKeyIsASettingAndTheKeyIsNeverShown() {
    StatusRuntimeException refused =
        Status.UNAUTHENTICATED
            .withDescription("API key not accepted: Bearer " + KEY)
            .asRuntimeException();
    ConnectionFailure failure = of(refused, PROFILE);
    assertEquals(ConnectionFailure.Kind.SETTINGS, failure.kind());
    assertFalse(failure.message().contains(KEY), failure.message());
    assertTrue(failure.message().contains("check the API key"), failure.message());
    assertTrue(
        of(Status.UNAUTHENTICATED.asRuntimeException(), NO_KEY)
            .message()
            .contains("no API key was sent"));
  }

  @Test
  void aClosedPortIsUnreachable() {
    ConnectionFailure failure =
        of(
            new RuntimeException(
                "wrapped", unavailable(new ConnectException("Connection refused: /127.0.0.1:1"))),
            PROFILE);
    assertEquals(ConnectionFailure.Kind.UNREACHABLE, failure.kind());
    assertEquals(
        "cannot reach Temporal at temporal.example:7233: connection refused (is it running? check"
            + " --address or TEMPORAL_ADDRESS)",
        failure.message());
  }

  @Test
  void otherFailuresAreNotConnectionProblems() {
    assertEquals(
        Optional.empty(),
        ConnectionFailure.of(
            Status.NOT_FOUND.withDescription("workflow not found").asRuntimeException(), PROFILE));
    assertEquals(Optional.empty(), ConnectionFailure.of(new IllegalStateException("x"), null));
  }

  @Test
  void settingsProblemsAreNotRetriedButAClosedPortIs() {
    Status untrusted =
        Status.UNAVAILABLE.withCause(
            handshake(new CertPathBuilderException("unable to find valid certification path")));
    Status permanent = ConnectionFailure.permanent(untrusted);
    assertEquals(Status.Code.FAILED_PRECONDITION, permanent.getCode());
    assertSame(untrusted.getCause(), permanent.getCause());
    // Still told as what it is.
    assertTrue(
        of(permanent.asRuntimeException(), PROFILE).message().contains("not signed by a trusted"));

    Status refused = Status.UNAVAILABLE.withCause(new ConnectException("Connection refused"));
    assertSame(refused, ConnectionFailure.permanent(refused));
  }

  @Test
  void unusableTlsFilesNameTheFile() throws IOException {
    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "not a certificate\n");
    assertEquals(
        "TLS: the CA certificate " + garbage + " holds no PEM certificate",
        settingsError(ClientConfigTLS.newBuilder().setServerCACertPath(garbage.toString())));
    assertEquals(
        "TLS: the client certificate " + garbage + " holds no PEM certificate",
        settingsError(
            ClientConfigTLS.newBuilder()
                .setClientCertPath(garbage.toString())
                .setClientKeyPath(garbage.toString())));
    assertEquals(
        "TLS: " + dir.resolve("absent.pem") + ": no such file",
        settingsError(
            ClientConfigTLS.newBuilder()
                .setServerCACertPath(dir.resolve("absent.pem").toString())));
  }

  /** The message a profile with these TLS settings is refused with, before any connection. */
  private static String settingsError(ClientConfigTLS.Builder tls) {
    ClientConfigProfile profile =
        ClientConfigProfile.newBuilder()
            .setAddress("temporal.example:7233")
            .setTls(tls.build())
            .build();
    return assertThrows(
            InvalidConnectionSettings.class, () -> TemporalConnection.stubOptions(profile))
        .getMessage();
  }
}
