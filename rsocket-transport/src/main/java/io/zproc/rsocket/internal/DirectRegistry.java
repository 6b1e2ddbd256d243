package io.zproc.rsocket.internal;

import io.zproc.rsocket.WireAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** The servers bound in this JVM, by normalized address, for the direct path. */
public final class DirectRegistry {
  private static final Map<String, DirectEndpoint> SERVERS = new ConcurrentHashMap<>();

  private DirectRegistry() {}

  /** Registers a bound server under its address. */
  public static void register(WireAddress address, DirectEndpoint server) {
    SERVERS.put(key(address), server);
  }

  /** Removes a server's registration. */
  public static void unregister(WireAddress address, DirectEndpoint server) {
    SERVERS.remove(key(address), server);
  }

  /** The server of this JVM bound at that address, if any. */
  public static @Nullable DirectEndpoint find(WireAddress address) {
    return SERVERS.get(key(address));
  }

  /** Loopback names and the wildcard address are one host for this JVM. */
  public static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost")
        || h.startsWith("127.")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1")
        || h.equals("0.0.0.0")
        || h.equals("::")
        || h.equals("0:0:0:0:0:0:0:0");
  }

  private static String key(WireAddress a) {
    switch (a.scheme()) {
      case "tcp":
      case "ws":
        String host = isLoopback(a.host()) ? "loopback" : a.host().toLowerCase(Locale.ROOT);
        return a.scheme() + "://" + host + ":" + a.port() + a.path();
      default:
        return a.toString();
    }
  }
}
