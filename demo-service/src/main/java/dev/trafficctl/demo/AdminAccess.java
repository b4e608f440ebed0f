package dev.trafficctl.demo;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Who may change the service at run time: only clients on the same host. The service may listen on
 * a routable address (behind nginx in a container network) and its admin endpoints can make it fail
 * on purpose, so a remote caller gets 403.
 */
final class AdminAccess {

  private AdminAccess() {}

  /** True when {@code remote} is a loopback address (127.0.0.0/8, ::1). */
  static boolean allowed(InetSocketAddress remote) {
    if (remote == null) {
      return false;
    }
    InetAddress address = remote.getAddress();
    return address != null && address.isLoopbackAddress();
  }
}
