package io.zproc.spring.boot;

import io.zproc.ServerOptions;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code zproc.*} settings of the {@link ZProc} bean, bound by Spring Boot from properties,
 * YAML or environment variables ({@code ZPROC_ADDRESS}, {@code ZPROC_SECRET_KEY}, ...). Every one
 * has a default: with none set, the bean owns an embedded server on {@code tcp://127.0.0.1:<free
 * port>} with a random secret key, as {@link ZProc#start()} does.
 *
 * <pre>
 * zproc.address=tcp://10.0.0.5:5000      # connect instead of embedding a server
 * zproc.secret-key=${ZPROC_KEY}
 * zproc.namespace=orders
 * zproc.tls.enabled=true
 * zproc.tls.trusted-certificates=/etc/zproc/server.pem
 * </pre>
 *
 * <p><b>Threading:</b> Spring binds it once, at startup; not for concurrent mutation.
 * <b>Errors:</b> a bad value stops the application at startup with an {@link
 * IllegalArgumentException} that names the property (see {@link #toOptions()}).
 */
@ConfigurationProperties("zproc")
public class ZProcProperties {
  /** The prefix of every property here. */
  public static final String PREFIX = "zproc";

  /** A running server to connect to, such as tcp://10.0.0.5:5000; empty: an embedded server. */
  private @Nullable String address;

  /** The server's secret key; for an embedded server the key it requires (default: random). */
  private @Nullable String secretKey;

  /** The namespace of ZProc.state() and of the State bean ("default" by default). */
  private String namespace = ZProcOptions.defaults().namespace();

  /** How long connecting may take before startup fails (10s by default). */
  private Duration connectTimeout = ZProcOptions.defaults().connectTimeout();

  /** Child JVMs kept pre-started for process(...), 0 to 16 (1 by default). */
  private int spareProcesses = ZProcOptions.defaults().spareProcesses();

  /** TLS towards the server. */
  private final Tls tls = new Tls();

  /** The embedded server's settings; ignored with an address. */
  private final Server server = new Server();

  /** The health indicator's settings. */
  private final Health health = new Health();

  /** Made by Spring Boot's binder; every setting starts at its default. */
  public ZProcProperties() {}

  /**
   * A running server to connect to, such as {@code tcp://10.0.0.5:5000}; closing the bean leaves
   * that server running. Unset or blank (the default): the bean starts an embedded server and owns
   * it.
   *
   * @return the address, or null
   */
  public @Nullable String getAddress() {
    return address;
  }

  /**
   * Sets {@link #getAddress()}.
   *
   * @param address the address, or null or blank for an embedded server
   */
  public void setAddress(@Nullable String address) {
    this.address = address;
  }

  /**
   * The secret key presented to the server; with an embedded server, also the key it requires.
   * Unset (the default): none for a connection, a random one for an embedded server.
   *
   * @return the key, or null
   */
  public @Nullable String getSecretKey() {
    return secretKey;
  }

  /**
   * Sets {@link #getSecretKey()}.
   *
   * @param secretKey the key, or null or empty for none
   */
  public void setSecretKey(@Nullable String secretKey) {
    this.secretKey = secretKey;
  }

  /**
   * The namespace of {@link ZProc#state()} (and of the {@code State} bean); {@code default} by
   * default.
   *
   * @return the namespace
   */
  public String getNamespace() {
    return namespace;
  }

  /**
   * Sets {@link #getNamespace()}.
   *
   * @param namespace a non-blank name
   */
  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  /**
   * How long connecting may take before startup fails; 10 s by default.
   *
   * @return the timeout
   */
  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  /**
   * Sets {@link #getConnectTimeout()}.
   *
   * @param connectTimeout a positive duration
   */
  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /**
   * How many child JVMs are kept pre-started for {@code process(...)}: 0 to 16, 1 by default.
   *
   * @return the count
   */
  public int getSpareProcesses() {
    return spareProcesses;
  }

  /**
   * Sets {@link #getSpareProcesses()}.
   *
   * @param spareProcesses 0 to 16
   */
  public void setSpareProcesses(int spareProcesses) {
    this.spareProcesses = spareProcesses;
  }

  /**
   * TLS towards the server ({@code zproc.tls.*}).
   *
   * @return the TLS settings
   */
  public Tls getTls() {
    return tls;
  }

  /**
   * The embedded server's settings ({@code zproc.server.*}); ignored with {@link #getAddress()}.
   *
   * @return the server settings
   */
  public Server getServer() {
    return server;
  }

  /**
   * The Actuator health indicator's settings ({@code zproc.health.*}).
   *
   * @return the health settings
   */
  public Health getHealth() {
    return health;
  }

  /**
   * Whether the bean connects to {@link #getAddress()} rather than embedding a server.
   *
   * @return true when an address is set and not blank
   */
  public boolean connects() {
    return address != null && !address.isBlank();
  }

  /**
   * The options these settings give, for {@link ZProc#start(ZProcOptions)} or {@link
   * ZProc#connect(String, ZProcOptions)}.
   *
   * @return the options
   * @throws IllegalArgumentException naming the property whose value is refused, and why
   */
  public ZProcOptions toOptions() {
    ZProcOptions options =
        check("namespace", () -> ZProcOptions.defaults().namespace(blankIsBad(namespace)));
    ZProcOptions named = options;
    if (secretKey != null && !secretKey.isEmpty()) {
      options = check("secret-key", () -> named.secretKey(secretKey));
    }
    ZProcOptions keyed = options;
    options = check("connect-timeout", () -> keyed.connectTimeout(connectTimeout));
    ZProcOptions timed = options;
    options = check("spare-processes", () -> timed.spareProcesses(spareProcesses));
    if (tls.isEnabled()) {
      options = options.tls(tls.getTrustedCertificates());
    }
    if (connects()) {
      return options;
    }
    ZProcOptions local = options;
    options = check("server.bind", () -> local.bind(server.getBind()));
    return options.serverOptions(server.toOptions());
  }

  private static String blankIsBad(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("must not be blank; leave it unset for 'default'");
    }
    return value;
  }

  /** Runs a wither, naming the property in the error it throws. */
  static <T> T check(String property, Supplier<T> wither) {
    try {
      return wither.get();
    } catch (IllegalArgumentException | NullPointerException | ArithmeticException e) {
      throw new IllegalArgumentException(
          PREFIX + "." + property + ": " + e.getMessage() + " (see ZProcProperties)", e);
    }
  }

  /**
   * TLS towards the server: {@code zproc.tls.enabled} and {@code zproc.tls.trusted-certificates}.
   */
  public static class Tls {
    /** Whether tcp:// and ws:// connections use TLS. */
    private boolean enabled;

    /** The PEM certificates to trust (default: the JVM's trust store). */
    private @Nullable Path trustedCertificates;

    /** Made by Spring Boot's binder; TLS off. */
    public Tls() {}

    /**
     * Whether {@code tcp://} and {@code ws://} connections use TLS; false by default.
     *
     * @return true for TLS
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets {@link #isEnabled()}.
     *
     * @param enabled true for TLS
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * The PEM certificates to trust; unset (the default): the JVM's default trust store.
     *
     * @return the file, or null
     */
    public @Nullable Path getTrustedCertificates() {
      return trustedCertificates;
    }

    /**
     * Sets {@link #getTrustedCertificates()}.
     *
     * @param trustedCertificates a PEM file, or null
     */
    public void setTrustedCertificates(@Nullable Path trustedCertificates) {
      this.trustedCertificates = trustedCertificates;
    }
  }

  /** The embedded server's settings: {@code zproc.server.*}. */
  public static class Server {
    /** Where the embedded server listens (tcp://127.0.0.1:0, this host only, by default). */
    private String bind = ZProcOptions.DEFAULT_BIND;

    /** Where the embedded server's state lives: memory (default) or redis://host:port[/db]. */
    private @Nullable String store;

    /** Changes the server keeps per namespace, for resumed streams and buffered watchers. */
    private int journalSize = ServerOptions.defaults().journalSize();

    /** The most bytes of changes the journal keeps per namespace (64MB by default). */
    private DataSize journalBytes = DataSize.ofBytes(ServerOptions.defaults().journalBytes());

    /** The largest frame the server accepts (16MB by default). */
    private DataSize maxFrameSize = DataSize.ofBytes(ServerOptions.defaults().maxFrameSize());

    /** Web page origins allowed to open a ws:// connection. */
    private List<String> allowedOrigins = new ArrayList<>();

    /** TLS served by the embedded server. */
    private final ServerTls tls = new ServerTls();

    /** Made by Spring Boot's binder; every setting starts at {@link ServerOptions#defaults()}. */
    public Server() {}

    /**
     * Where the embedded server listens, as {@link ZProcOptions#bind(String)}: {@value
     * ZProcOptions#DEFAULT_BIND} (this host only, a free port) by default; {@code
     * tcp://0.0.0.0:5000} serves other machines too (give it TLS: {@code zproc.server.tls.*}).
     *
     * @return the address
     */
    public String getBind() {
      return bind;
    }

    /**
     * Sets {@link #getBind()}.
     *
     * @param bind a tcp://, ws:// or unix:// address
     */
    public void setBind(String bind) {
      this.bind = bind;
    }

    /**
     * Where the embedded server's state lives, as {@link ServerOptions#store(String)}: {@code
     * memory}, or {@code redis://host:port[/db]} (several servers share one state, a restart loses
     * nothing; the application adds {@code io.lettuce:lettuce-core}). Unset: {@link
     * ServerOptions#defaults()}'s, which the system property {@code io.zproc.store} sets.
     *
     * @return the store's URI, or null for the default
     */
    public @Nullable String getStore() {
      return store;
    }

    /**
     * Sets {@link #getStore()}.
     *
     * @param store {@code memory}, a {@code redis://} or {@code rediss://} URI, or null
     */
    public void setStore(@Nullable String store) {
      this.store = store;
    }

    /**
     * How many changes the server keeps per namespace, for watchers and resumed change streams that
     * fell behind; {@link ServerOptions#DEFAULT_JOURNAL_SIZE} by default.
     *
     * @return the count
     */
    public int getJournalSize() {
      return journalSize;
    }

    /**
     * Sets {@link #getJournalSize()}.
     *
     * @param journalSize at least 1
     */
    public void setJournalSize(int journalSize) {
      this.journalSize = journalSize;
    }

    /**
     * The most bytes of changes the journal keeps per namespace (such as {@code 64MB}; a bare
     * number is bytes); {@link ServerOptions#DEFAULT_JOURNAL_BYTES} by default.
     *
     * @return the size
     */
    public DataSize getJournalBytes() {
      return journalBytes;
    }

    /**
     * Sets {@link #getJournalBytes()}.
     *
     * @param journalBytes at least 1 KiB
     */
    public void setJournalBytes(DataSize journalBytes) {
      this.journalBytes = journalBytes;
    }

    /**
     * The largest frame the server accepts (such as {@code 16MB}; a bare number is bytes); {@link
     * ServerOptions#DEFAULT_MAX_FRAME_SIZE} by default.
     *
     * @return the size
     */
    public DataSize getMaxFrameSize() {
      return maxFrameSize;
    }

    /**
     * Sets {@link #getMaxFrameSize()}.
     *
     * @param maxFrameSize at least 1 KiB, under 2 GiB
     */
    public void setMaxFrameSize(DataSize maxFrameSize) {
      this.maxFrameSize = maxFrameSize;
    }

    /**
     * The web page origins allowed to open a {@code ws://} connection; empty by default.
     *
     * @return the origins
     */
    public List<String> getAllowedOrigins() {
      return allowedOrigins;
    }

    /**
     * Sets {@link #getAllowedOrigins()}.
     *
     * @param allowedOrigins origins such as {@code https://app.example.com}
     */
    public void setAllowedOrigins(List<String> allowedOrigins) {
      this.allowedOrigins = allowedOrigins;
    }

    /**
     * TLS served by the embedded server ({@code zproc.server.tls.*}).
     *
     * @return the TLS settings
     */
    public ServerTls getTls() {
      return tls;
    }

    /**
     * The server options these settings give.
     *
     * @return the options
     * @throws IllegalArgumentException naming the property whose value is refused
     */
    public ServerOptions toOptions() {
      ServerOptions options =
          check("server.journal-size", () -> ServerOptions.defaults().journalSize(journalSize));
      ServerOptions sized = options;
      options = check("server.journal-bytes", () -> sized.journalBytes(journalBytes.toBytes()));
      ServerOptions bounded = options;
      options =
          check(
              "server.max-frame-size",
              () -> bounded.maxFrameSize(Math.toIntExact(maxFrameSize.toBytes())));
      if (!allowedOrigins.isEmpty()) {
        ServerOptions framed = options;
        options =
            check(
                "server.allowed-origins",
                () -> framed.allowedOrigins(allowedOrigins.toArray(String[]::new)));
      }
      Path keyStore = tls.getKeyStore();
      if (keyStore != null) {
        String password = tls.getKeyStorePassword();
        if (password == null) {
          throw new IllegalArgumentException(
              PREFIX
                  + ".server.tls.key-store-password: must be set with "
                  + PREFIX
                  + ".server.tls.key-store ("
                  + keyStore
                  + ")");
        }
        options = options.tls(keyStore, password);
      }
      String uri = store;
      if (uri != null && !uri.isBlank()) {
        ServerOptions stored = options;
        options = check("server.store", () -> stored.store(uri));
      }
      return options;
    }
  }

  /** TLS served by the embedded server: {@code zproc.server.tls.key-store} and its password. */
  public static class ServerTls {
    /** A PKCS#12 key store with the server's key and certificate; unset: no TLS. */
    private @Nullable Path keyStore;

    /** The key store's password; required with the key store. */
    private @Nullable String keyStorePassword;

    /** Made by Spring Boot's binder; TLS off. */
    public ServerTls() {}

    /**
     * The PKCS#12 key store with the server's key and certificate; unset (the default): no TLS.
     *
     * @return the file, or null
     */
    public @Nullable Path getKeyStore() {
      return keyStore;
    }

    /**
     * Sets {@link #getKeyStore()}.
     *
     * @param keyStore a PKCS#12 file, or null
     */
    public void setKeyStore(@Nullable Path keyStore) {
      this.keyStore = keyStore;
    }

    /**
     * The key store's password; required with {@link #getKeyStore()}.
     *
     * @return the password, or null
     */
    public @Nullable String getKeyStorePassword() {
      return keyStorePassword;
    }

    /**
     * Sets {@link #getKeyStorePassword()}.
     *
     * @param keyStorePassword the password
     */
    public void setKeyStorePassword(@Nullable String keyStorePassword) {
      this.keyStorePassword = keyStorePassword;
    }
  }

  /** The health indicator's settings: {@code zproc.health.timeout}. */
  public static class Health {
    /** How long the health check waits for the server's answer to a ping (2s by default). */
    private Duration timeout = Duration.ofSeconds(2);

    /** Made by Spring Boot's binder. */
    public Health() {}

    /**
     * How long the health check waits for the server's answer to a ping before reporting DOWN; 2 s
     * by default.
     *
     * @return the timeout
     */
    public Duration getTimeout() {
      return timeout;
    }

    /**
     * Sets {@link #getTimeout()}.
     *
     * @param timeout a positive duration
     */
    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }
  }
}
