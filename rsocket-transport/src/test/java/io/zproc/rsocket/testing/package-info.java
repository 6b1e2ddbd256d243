/**
 * Test support shared through this module's test jar: Netty leak detection that fails a test run on
 * a leaked buffer ({@link io.zproc.rsocket.testing.LeakRecorder}, installed by a JUnit launcher
 * session listener and checked by a Jupiter extension and a jqwik hook after every test class).
 */
@NullMarked
package io.zproc.rsocket.testing;

import org.jspecify.annotations.NullMarked;
