package io.zproc.internal.client;

import io.zproc.ZProcOptions;
import io.zproc.internal.server.ServerMain;
import io.zproc.rsocket.WireAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a context's embedded server listens ({@link ZProcOptions#bind(String)}), and the address
 * the context, its children and its connection file use to reach it.
 */
final class BindAddress {
  private static final Logger log = LoggerFactory.getLogger(BindAddress.class);

  private BindAddress() {}

  /**
   * Checks a bind address: parsable, not {@code local:} (child JVMs could not reach it). Warns when
   * it serves beyond this host without TLS.
   *
   * @return the address to bind
   * @throws IllegalArgumentException naming the option and the accepted forms
   */
  static String check(String bind, boolean tls) {
    WireAddress parsed;
    try {
      parsed = WireAddress.parse(bind);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "ZProcOptions.bind(\"" + bind + "\") is not an address: " + e.getMessage(), e);
    }
    if (parsed.scheme().equals("local")) {
      throw new IllegalArgumentException(
          "ZProcOptions.bind(\""
              + bind
              + "\"): a local: server is reachable only inside this JVM, so child processes could"
              + " not connect to it; bind "
              + ZProcOptions.DEFAULT_BIND
              + " (the default) or tcp://0.0.0.0:0 to serve other machines too");
    }
    if (beyondThisHost(parsed) && !tls) {
      log.warn(
          "the embedded server listens on {} without TLS: its secret key and every value cross"
              + " the network in clear; give ZProcOptions.serverOptions(ServerOptions.tls(...))",
          bind);
    }
    return bind;
  }

  /**
   * The address this host's processes connect to: a wildcard host ({@code 0.0.0.0}, {@code ::})
   * becomes its loopback form, so that the context and its children take the same-host paths and
   * find the connection file; any other address is returned as it is.
   */
  static String reachable(String bound) {
    WireAddress a = WireAddress.parse(bound);
    if (!a.scheme().equals("tcp") && !a.scheme().equals("ws")) {
      return bound;
    }
    String host = unbracket(a.host());
    String loopback;
    if (host.equals("0.0.0.0")) {
      loopback = "127.0.0.1";
    } else if (host.equals("::") || host.equals("0:0:0:0:0:0:0:0")) {
      loopback = "::1";
    } else {
      return bound;
    }
    return new WireAddress(a.scheme(), loopback, a.port(), a.path()).toString();
  }

  /** Whether a tcp or ws address listens beyond the loopback interface. */
  static boolean beyondThisHost(WireAddress a) {
    if (!a.scheme().equals("tcp") && !a.scheme().equals("ws")) {
      return false;
    }
    return !ServerMain.servesLoopbackOnly(a.host());
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
