package dev.trafficctl.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tiny upstream servers on loopback ephemeral ports, each answering every request with the name of
 * the version it stands for, so a client can tell which pool served it.
 *
 * <p>Hand-written rather than the JDK's HttpServer: that one writes a response's headers and body
 * in two segments without TCP_NODELAY, and on nginx's kept-alive upstream connections every other
 * response then waits for a delayed ACK (about 40 ms), which makes thousands of requests slow. Here
 * each response is one write on a no-delay socket, and connections stay open as nginx's {@code
 * keepalive} expects.
 */
public final class VersionBackends implements AutoCloseable {

  private final List<ServerSocket> servers = new ArrayList<>();
  private final Map<String, List<String>> addresses = new LinkedHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  /**
   * Starts the servers, each on its own loopback port.
   *
   * @param instances version to how many servers it runs on
   */
  public static VersionBackends start(Map<String, Integer> instances) {
    VersionBackends backends = new VersionBackends();
    instances.forEach(
        (version, count) -> {
          for (int i = 0; i < count; i++) {
            backends.add(version);
          }
        });
    return backends;
  }

  private void add(String version) {
    try {
      ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
      String address = "127.0.0.1:" + server.getLocalPort();
      servers.add(server);
      addresses.computeIfAbsent(version, v -> new ArrayList<>()).add(address);
      threads.execute(
          () -> {
            while (!server.isClosed()) {
              try {
                Socket connection = server.accept();
                threads.execute(() -> serve(connection, version, address));
              } catch (IOException closed) {
                return;
              }
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void serve(Socket connection, String version, String address) {
    byte[] body = version.getBytes(UTF_8);
    try (connection) {
      connection.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(connection.getInputStream());
      OutputStream out = connection.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        hits.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        byte[] response =
            ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                    + body.length
                    + "\r\nX-Backend: "
                    + address
                    + echoed(head)
                    + "\r\n\r\n"
                    + version)
                .getBytes(UTF_8);
        out.write(response);
        out.flush();
        if (head.toLowerCase(Locale.ROOT).contains("\r\nconnection: close")) {
          return;
        }
      }
    } catch (IOException e) {
      // the peer went away; nothing to answer
    }
  }

  /**
   * The request's {@code X-Feature-*} headers, answered back as {@code X-Upstream-Saw-<name>} so a
   * client can tell what the upstream received (not what it sent).
   */
  private static String echoed(String head) {
    StringBuilder out = new StringBuilder();
    for (String line : head.split("\r\n", -1)) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.toLowerCase(Locale.ROOT).startsWith("x-feature-")) {
        out.append("\r\nX-Upstream-Saw-")
            .append(line, "x-feature-".length(), colon)
            .append(": ")
            .append(line.substring(colon + 1).strip());
      }
    }
    return out.toString();
  }

  /** The request line and headers up to the blank line; null at the end of the connection. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(US_ASCII);
  }

  /** version to its servers' {@code host:port}, as the catalog lists them */
  public Map<String, List<String>> addresses() {
    return addresses;
  }

  /** Requests the server at {@code address} has answered. */
  public int hits(String address) {
    AtomicInteger count = hits.get(address);
    return count == null ? 0 : count.get();
  }

  @Override
  public void close() {
    for (ServerSocket server : servers) {
      try {
        server.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    threads.shutdownNow();
  }
}
