/**
 * How bytes move between zproc clients and servers: wire requests and replies, their CBOR codec,
 * and RSocket bindings for {@code tcp://}, {@code unix://}, {@code ws://} and {@code local:}
 * addresses.
 *
 * <p>This module is reactor-zproc's transport, not a user's API: it exports its API package, {@code
 * io.zproc.rsocket}, and its entry, {@code io.zproc.rsocket.connect} ({@code Wire.connect} and
 * {@code Wire.bind}), to {@code io.zproc} only, and of its internals exactly the package that holds
 * the two same-host helpers reactor-zproc uses, {@code PrivateDir} (the per-user private directory,
 * where children's class-data archives live too) and {@code SocketFiles} (where an embedded
 * server's connection file is). reactor-zproc's {@code ArchitectureTest} keeps it to those two
 * classes of that package. Nothing is open for reflection: neither Jackson nor any other library
 * binds a class of this module.
 *
 * <p>Netty's native epoll jars ({@code io.netty.transport.epoll.linux.x86_64} and {@code
 * .linux.aarch_64}) hold a library and no package, and Netty makes them runtime dependencies: no
 * module requires them, so on the module path they are resolved only when the application adds them
 * ({@code --add-modules}). Without them, same-host clients use tcp instead of the unix socket (the
 * same protocol and semantics, slower). The Netty modules that reactor-netty loads are required
 * here instead: reactor-netty is an automatic module and declares none.
 *
 * <p>Warnings: {@code reactor.core}, {@code reactor.netty.*}, {@code rsocket.*} and {@code
 * org.reactivestreams} are automatic modules (their jars carry an {@code Automatic-Module-Name} but
 * no descriptor), which is all that {@code requires-automatic} says, so it is suppressed. javac
 * also warns "module not found: io.zproc" on the qualified exports: that module is built after this
 * one, and the warning cannot be suppressed on an exports directive.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.zproc.rsocket {
  // in the API's signatures: Mono, Flux, CoreSubscriber, Subscriber, JsonNode, @Nullable
  requires transitive reactor.core;
  requires transitive org.reactivestreams;
  requires transitive com.fasterxml.jackson.databind;
  requires transitive org.jspecify;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.dataformat.cbor;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.common;
  requires io.netty.handler;
  requires io.netty.resolver;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires io.netty.transport.unix.common;
  requires reactor.netty.core;
  requires reactor.netty.http;
  // reactor-netty is an automatic module: it declares no dependency, so the Netty modules of its
  // own POM are required here (the DNS resolver, which the first bind loads; proxies, HTTP/2,
  // HTTP/3), else on the module path they would not be resolved at all.
  requires io.netty.codec.classes.quic;
  requires io.netty.codec.compression;
  requires io.netty.codec.dns;
  requires io.netty.codec.http2;
  requires io.netty.codec.http3;
  requires io.netty.codec.socks;
  requires io.netty.handler.proxy;
  requires io.netty.resolver.dns;
  requires rsocket.core;
  requires rsocket.transport.local;
  requires rsocket.transport.netty;
  requires org.slf4j;
  requires jdk.net; // ExtendedSocketOptions.SO_PEERCRED: who is on the other end of a unix socket

  exports io.zproc.rsocket to
      io.zproc;
  exports io.zproc.rsocket.connect to
      io.zproc;
  exports io.zproc.rsocket.internal to
      io.zproc;
}
