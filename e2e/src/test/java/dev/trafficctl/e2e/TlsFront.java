package dev.trafficctl.e2e;

import dev.trafficctl.testing.NginxProcess;
import dev.trafficctl.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's nginx terminating TLS in front of a dev server, which cannot serve TLS with client
 * certificates itself, as a remote Temporal namespace would be served: one port wants mutual TLS (a
 * client certificate signed by the test's CA), the other server-only TLS and an API key in {@code
 * authorization: Bearer}. A wrong or missing key is answered as Temporal Cloud does, with gRPC
 * status UNAUTHENTICATED. Certificates come from the {@code openssl} CLI: a CA, a server
 * certificate for localhost and 127.0.0.1, a client certificate, and an unrelated CA.
 */
final class TlsFront implements AutoCloseable {

  private final Path dir;
  private final int mtlsPort;
  private final int apiKeyPort;
  private NginxProcess nginx;

  private TlsFront(Path dir) {
    this.dir = dir;
    this.mtlsPort = Ports.free();
    this.apiKeyPort = Ports.free();
  }

  /** Certificates in {@code dir}, nginx forwarding to {@code upstream} (HOST:PORT, plaintext). */
  static TlsFront start(Path dir, String upstream, String apiKey) {
    TlsFront front = new TlsFront(NginxProcess.readableByWorkers(dir));
    front.makeCertificates();
    front.startNginx(upstream, apiKey);
    return front;
  }

  String mtlsAddress() {
    return "127.0.0.1:" + mtlsPort;
  }

  String apiKeyAddress() {
    return "127.0.0.1:" + apiKeyPort;
  }

  Path ca() {
    return dir.resolve("ca.pem");
  }

  /** A CA that signed nothing here: the server's certificate does not chain to it. */
  Path otherCa() {
    return dir.resolve("other-ca.pem");
  }

  Path clientCert() {
    return dir.resolve("client.pem");
  }

  Path clientKey() {
    return dir.resolve("client.key");
  }

  /** The client key in the older PKCS #1 form ("BEGIN RSA PRIVATE KEY"). */
  Path clientKeyPkcs1() {
    return dir.resolve("client-rsa.key");
  }

  /** A self-signed CA valid for two days: {@code name.key} and {@code name.pem}. */
  private void selfSignedCa(String name, String subject) {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-keyout",
        name + ".key",
        "-out",
        name + ".pem",
        "-subj",
        subject);
  }

  private void makeCertificates() {
    selfSignedCa("ca", "/CN=trafficctl test CA");
    selfSignedCa("other-ca", "/CN=unrelated CA");
    write("server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    write("client.ext", "extendedKeyUsage=clientAuth\n");
    for (String name : List.of("server", "client")) {
      openssl(
          "req",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          name + ".key",
          "-out",
          name + ".csr",
          "-subj",
          "/CN=" + (name.equals("server") ? "localhost" : "trafficctl"));
      openssl(
          "x509",
          "-req",
          "-days",
          "2",
          "-in",
          name + ".csr",
          "-CA",
          "ca.pem",
          "-CAkey",
          "ca.key",
          "-CAcreateserial",
          "-extfile",
          name + ".ext",
          "-out",
          name + ".pem");
    }
    openssl("rsa", "-in", "client.key", "-traditional", "-out", "client-rsa.key");
  }

  private void startNginx(String upstream, String apiKey) {
    Path prefix = NginxProcess.readableByWorkers(dir.resolve("nginx"));
    NginxProcess.Layout layout = NginxProcess.Layout.in(prefix);
    try {
      Files.createDirectories(prefix.resolve("logs"));
      Files.createDirectories(prefix.resolve("temp"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String tls =
        """
            ssl_certificate %s;
            ssl_certificate_key %s;
        """
            .formatted(dir.resolve("server.pem"), dir.resolve("server.key"));
    String conf =
        """
        pid %8$s;
        error_log %9$s info;
        worker_processes 1;
        events { worker_connections 256; }
        http {
          access_log %1$s/logs/access.log;
          client_body_temp_path %1$s/temp/body;
          proxy_temp_path %1$s/temp/proxy;
          fastcgi_temp_path %1$s/temp/fastcgi;
          uwsgi_temp_path %1$s/temp/uwsgi;
          scgi_temp_path %1$s/temp/scgi;
          # Long polls (a worker's task polls last about a minute) pass through.
          grpc_read_timeout 300s;
          grpc_send_timeout 300s;

          server {
            listen 127.0.0.1:%2$d ssl http2;
        %4$s
            ssl_client_certificate %5$s;
            ssl_verify_client on;
            location / { grpc_pass grpc://%6$s; }
          }

          server {
            listen 127.0.0.1:%3$d ssl http2;
        %4$s
            location / {
              if ($http_authorization != "Bearer %7$s") { return 418; }
              grpc_pass grpc://%6$s;
            }
            # A trailers-only gRPC answer; its status must come with HTTP 200 and the content type.
            error_page 418 = @unauthenticated;
            location @unauthenticated {
              default_type application/grpc;
              add_header grpc-status 16 always;
              add_header grpc-message "API key not accepted" always;
              return 200 "";
            }
          }
        }
        """
            .formatted(
                prefix,
                mtlsPort,
                apiKeyPort,
                tls,
                ca(),
                upstream,
                apiKey,
                layout.pidFile(),
                layout.errorLog());
    write(layout.conf().toString(), conf);
    // Started once its pid file names it: by then its TLS ports are bound.
    nginx = new NginxProcess(layout, Duration.ofSeconds(20)).start();
  }

  private void openssl(String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Run run = Run.of(command, Map.of(), dir, Duration.ofSeconds(60));
    run.expect(0);
  }

  private void write(String name, String text) {
    try {
      Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (nginx != null) {
      nginx.close();
    }
  }
}
