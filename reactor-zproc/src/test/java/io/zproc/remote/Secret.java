package io.zproc.remote;

import java.io.Serializable;

/** A class outside the workers' allow-list in the remote worker tests. */
public record Secret(int value) implements Serializable {}
