package io.zproc.rsocket.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.zproc.rsocket.WireServerOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import org.jspecify.annotations.Nullable;

/** A server's TLS: the context made from the PKCS#12 key store its options name. */
final class Tls {
  private Tls() {}

  /**
   * The server's TLS context, or null when its options name no key store. Reads the key store: call
   * where blocking is allowed.
   *
   * @throws IllegalArgumentException if the key store cannot be read, or holds no usable key
   */
  static @Nullable SslContext serverContext(WireServerOptions options) {
    Path file = options.tlsKeyStore();
    if (file == null) {
      return null;
    }
    char[] password = Objects.requireNonNull(options.tlsKeyStorePassword()).toCharArray();
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(file)) {
        store.load(in, password);
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      return SslContextBuilder.forServer(kmf).build();
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "cannot use the TLS key store "
              + file
              + ": "
              + e
              + "; give a readable PKCS#12 file with the server's key and certificate, and its"
              + " password",
          e);
    }
  }
}
