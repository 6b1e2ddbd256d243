/**
 * A Spring WebFlux app over a reactor-zproc namespace: REST endpoints for the state, its changes as
 * Server-Sent Events, a request that waits for a value, and a {@code processMap} fan-out. Every
 * handler returns a {@code Mono} or {@code Flux} straight from the library: nothing blocks a
 * request thread.
 */
package io.zproc.examples.webflux;
