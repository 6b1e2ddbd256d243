package io.zproc.rsocket;

/**
 * Who connected.
 *
 * @param id a number unique among this server's connections
 * @param transport how the client reached the server: {@code direct}, {@code local}, {@code unix},
 *     {@code tcp} or {@code ws}
 * @param clientName the name the client gave at setup, or empty
 */
public record WireConnection(long id, String transport, String clientName) {}
