package io.zproc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The check of a store URI ({@link ServerOptions#store(String)}, {@code io.zproc.store}). */
final class StoreUri {
  private StoreUri() {}

  static final String USAGE =
      "use \"memory\", or \"redis://host:port[/db]\" (\"redis://:password@host:port\" with a"
          + " password, \"rediss://...\" for TLS)";

  /**
   * The URI, checked.
   *
   * @param where the option or property it came from, for the message
   * @throws IllegalArgumentException naming {@code where}, the value and what to give instead
   */
  static String check(String uri, String where) {
    if (uri.equals("memory")) {
      return uri;
    }
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw bad(uri, where, "is not a URI (" + e.getReason() + ")");
    }
    String scheme = parsed.getScheme();
    if (scheme == null) {
      throw bad(uri, where, "has no scheme");
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw bad(uri, where, "has an unknown scheme '" + scheme + "'");
    }
    if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
      throw bad(uri, where, "names no host");
    }
    if (parsed.getPort() == 0 || parsed.getPort() > 65535) {
      throw bad(uri, where, "names port " + parsed.getPort() + ", not one of 1-65535");
    }
    String path = parsed.getPath();
    if (path != null && !path.isEmpty() && !path.equals("/") && !path.matches("/[0-9]{1,5}")) {
      throw bad(uri, where, "has the path '" + path + "', not a database number such as /0");
    }
    if (parsed.getQuery() != null || parsed.getFragment() != null) {
      throw bad(uri, where, "has a query or a fragment, which the store does not read");
    }
    return uri;
  }

  private static IllegalArgumentException bad(String uri, String where, String what) {
    return new IllegalArgumentException(where + ": '" + redacted(uri) + "' " + what + "; " + USAGE);
  }

  /** The URI without a password, for messages and logs. */
  static String redacted(String uri) {
    return uri.replaceAll("(?<=://)[^@/]*@", "***@");
  }
}
