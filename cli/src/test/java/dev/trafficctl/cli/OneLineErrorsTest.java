package dev.trafficctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.trafficctl.client.ConnectionOptions;
import io.grpc.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.security.cert.CertPathBuilderException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * What a command prints when Temporal cannot be talked to: the failure as {@code RolloutClient}
 * wraps it (gRPC's text, a pipeline dump on the next line) becomes one line that names the problem
 * and the address the command resolved, with exit 2 for a setting and 3 for a server that is down.
 */
class OneLineErrorsTest {

  /** A command with the connection flags that fails as {@code failure} says. */
  @Command(name = "probe")
  static final class Probe implements Callable<Integer> {
    @Mixin ConnectionOptions connection = new ConnectionOptions();
    Function<String, RuntimeException> failure;

    @Override
    public Integer call() {
      String address = connection.resolve(Map.of()).getAddress();
      throw failure.apply(address);
    }
  }

  private static String run(Function<String, RuntimeException> failure, int expectedCode) {
    Probe probe = new Probe();
    probe.failure = failure;
    CommandLine cli = new CommandLine(probe);
    cli.setExecutionExceptionHandler(new OneLineErrors());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("--address", "temporal.example:7233", "--no-tls");
    assertEquals(expectedCode, code, err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
    return err.toString().strip();
  }

  /** As RolloutClient reports any gRPC failure: "cannot reach", the status, its pipeline line. */
  private static RuntimeException wrapped(String address, Status status) {
    return new CommandFailure(
        ExitCode.UNREACHABLE,
        "cannot reach Temporal at "
            + address
            + " ("
            + status.getCode()
            + ": "
            + status.getDescription()
            + ")",
        status.asRuntimeException());
  }

  @Test
  void anUntrustedServerCertificateIsASetting() {
    SSLHandshakeException handshake = new SSLHandshakeException("General OpenSslEngine problem");
    handshake.initCause(new CertPathBuilderException("unable to find valid certification path"));
    String line =
        run(
            address ->
                wrapped(
                    address,
                    Status.UNAVAILABLE
                        .withDescription("io exception\nChannel Pipeline: [SslHandler#0]")
                        .withCause(handshake)),
            ExitCode.BAD_INPUT);
    assertEquals(
        "trafficctl: TLS: the certificate of Temporal at temporal.example:7233 is not signed by a"
            + " trusted CA; check --tls-ca or TEMPORAL_TLS_SERVER_CA_CERT_PATH (without it, the"
            + " system's CAs are trusted)",
        line);
  }

  @Test
  void aClosedPortIsUnreachable() {
    String line =
        run(
            address ->
                wrapped(
                    address,
                    Status.UNAVAILABLE
                        .withDescription("io exception")
                        .withCause(new ConnectException("Connection refused"))),
            ExitCode.UNREACHABLE);
    assertEquals(
        "trafficctl: cannot reach Temporal at temporal.example:7233: connection refused (is it"
            + " running? check --address or TEMPORAL_ADDRESS)",
        line);
  }

  @Test
  void aRefusalByTheRolloutKeepsItsCodeAndText() {
    String line =
        run(
            address ->
                new CommandFailure(
                    ExitCode.REFUSED,
                    "no rollout production.api has run",
                    Status.NOT_FOUND.asRuntimeException()),
            ExitCode.REFUSED);
    assertEquals("trafficctl: no rollout production.api has run", line);
  }

  @Test
  void anUnknownFailureShowsItsFirstLineOnly() {
    String line =
        run(address -> new IllegalStateException("first\nsecond\nthird"), ExitCode.UNREACHABLE);
    assertEquals("trafficctl: first", line);
    assertFalse(line.contains("second"));
  }
}
