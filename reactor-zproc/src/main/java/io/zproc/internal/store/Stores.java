package io.zproc.internal.store;

import io.zproc.ErrorCode;
import io.zproc.ServerOptions;
import io.zproc.ZProcException;
import io.zproc.internal.store.redis.RedisStore;
import org.jspecify.annotations.Nullable;

/** Opens the store a server's options name. */
public final class Stores {
  private Stores() {}

  /** The artifact the redis store needs, as a user adds it. */
  static final String LETTUCE = "io.lettuce:lettuce-core (7.7.0.RELEASE, the version tested)";

  /**
   * The store of a server about to start: null for {@code memory} (the namespaces live in the
   * engine alone), else a connected {@link ReplicatedStore}. Blocks while it connects.
   *
   * @throws ZProcException {@code STORE_UNAVAILABLE} if Redis cannot be reached, naming the URI and
   *     the option
   * @throws IllegalStateException if Lettuce is not on the class path, naming the artifact
   * @throws IllegalArgumentException if the store (or the property that sets it) is malformed
   */
  public static @Nullable ReplicatedStore open(ServerOptions options) {
    String uri = options.store();
    if (uri.equals("memory")) {
      return null;
    }
    String described = uri.replaceAll("(?<=://)[^@/]*@", "***@");
    try {
      Class.forName("io.lettuce.core.RedisClient", false, Stores.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException(
          "the store "
              + described
              + " (ServerOptions.store, --store or -D"
              + ServerOptions.STORE_PROPERTY
              + ") needs Lettuce, which is not on the class path: add the dependency "
              + LETTUCE
              + " (on the module path, also requires lettuce.core or --add-modules lettuce.core),"
              + " or use the memory store");
    }
    try {
      return Redis.connect(uri, described, options.journalSize());
    } catch (RuntimeException e) {
      throw new ZProcException(
          ErrorCode.STORE_UNAVAILABLE,
          "cannot reach the store "
              + described
              + " (ServerOptions.store, --store or -D"
              + ServerOptions.STORE_PROPERTY
              + "): "
              + e.getMessage()
              + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : "")
              + "; start Redis there, or give the URI of a running one",
          e);
    }
  }

  /** Loads the Lettuce store only once Lettuce is known to be there. */
  private static final class Redis {
    static ReplicatedStore connect(String uri, String described, int logSize) {
      return RedisStore.connect(uri, described, logSize);
    }
  }
}
