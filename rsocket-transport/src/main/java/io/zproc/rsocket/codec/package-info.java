/**
 * The CBOR codec of the wire messages: stateless static encoders and decoders built on Jackson's
 * tree model. Only plain trees are decoded (no polymorphic typing, no Java serialization); anything
 * else a peer sends gives a {@link io.zproc.rsocket.codec.CodecException}.
 */
@NullMarked
package io.zproc.rsocket.codec;

import org.jspecify.annotations.NullMarked;
