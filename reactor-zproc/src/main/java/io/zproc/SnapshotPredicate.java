package io.zproc;

import java.io.Serializable;
import java.util.function.Predicate;

/** A serializable state predicate, for {@link ZProc#callWhen}. */
@FunctionalInterface
public interface SnapshotPredicate extends Predicate<Snapshot>, Serializable {}
