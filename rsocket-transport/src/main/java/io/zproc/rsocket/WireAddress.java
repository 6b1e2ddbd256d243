package io.zproc.rsocket;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * A parsed transport address: {@code tcp://host:port}, {@code unix:///path/to/socket}, {@code
 * ws://host:port/path} or {@code local:name}.
 *
 * @param scheme one of {@code tcp}, {@code unix}, {@code ws}, {@code local}
 * @param host the host for {@code tcp} and {@code ws}, else empty
 * @param port the port for {@code tcp} and {@code ws} (0 = any free port when binding), else -1
 * @param path the socket path for {@code unix}, the HTTP path for {@code ws}, the name for {@code
 *     local}
 */
public record WireAddress(String scheme, String host, int port, String path) {

  /** The forms {@link #parse} accepts, for error messages. */
  public static final String ACCEPTED_FORMS =
      "tcp://host:port (port 0 = any free port), unix:///path/to/socket, ws://host:port/path"
          + " or local:name";

  public WireAddress {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
  }

  /**
   * Parses an address.
   *
   * @throws IllegalArgumentException if the address is not of one of the {@link #ACCEPTED_FORMS},
   *     naming what was wrong
   */
  public static WireAddress parse(String address) {
    Objects.requireNonNull(address, "address");
    String a = address.trim();
    int colon = a.indexOf(':');
    if (colon <= 0) {
      throw bad(address, "it has no scheme");
    }
    String scheme = a.substring(0, colon).toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "local":
        {
          String name = a.substring(colon + 1);
          if (name.startsWith("//")) {
            name = name.substring(2);
          }
          if (name.isEmpty()) {
            throw bad(address, "a local address needs a name, as in local:my-server");
          }
          return new WireAddress("local", "", -1, name);
        }
      case "unix":
        {
          if (!a.startsWith("unix://")) {
            throw bad(address, "a unix address is written unix:///absolute/path");
          }
          String path = a.substring("unix://".length());
          if (!path.startsWith("/") || path.length() < 2) {
            throw bad(address, "a unix socket path must be absolute, as in unix:///tmp/zproc.sock");
          }
          return new WireAddress("unix", "", -1, path);
        }
      case "tcp":
      case "ws":
        {
          URI uri;
          try {
            uri = new URI(a);
          } catch (URISyntaxException e) {
            throw bad(address, String.valueOf(e.getMessage()));
          }
          String host = uri.getHost();
          if (host == null || host.isEmpty()) {
            throw bad(address, "it has no host");
          }
          if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
          }
          int port = uri.getPort();
          if (port < 0 || port > 65535) {
            throw bad(address, "it has no port between 0 and 65535");
          }
          String path = uri.getRawPath() == null ? "" : uri.getRawPath();
          if (scheme.equals("tcp")) {
            if (!path.isEmpty() && !path.equals("/")) {
              throw bad(address, "a tcp address has no path");
            }
            path = "";
          } else if (path.isEmpty()) {
            path = "/";
          }
          if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw bad(address, "it has a query or fragment");
          }
          return new WireAddress(scheme, host, port, path);
        }
      default:
        throw bad(address, "the scheme '" + scheme + "' is unknown");
    }
  }

  private static IllegalArgumentException bad(String address, String why) {
    return new IllegalArgumentException(
        "bad address '" + address + "': " + why + "; the accepted forms are " + ACCEPTED_FORMS);
  }

  /** This address with another port (for a bound {@code tcp}/{@code ws} address). */
  public WireAddress withPort(int newPort) {
    return new WireAddress(scheme, host, newPort, path);
  }

  /** The address as text, in the form {@link #parse} accepts. */
  @Override
  public String toString() {
    switch (scheme) {
      case "local":
        return "local:" + path;
      case "unix":
        return "unix://" + path;
      case "tcp":
        return "tcp://" + hostForUri() + ":" + port;
      default:
        return scheme + "://" + hostForUri() + ":" + port + path;
    }
  }

  private String hostForUri() {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }
}
