package io.zproc.cli;

import picocli.CommandLine;

/** The version of the running jar, from its manifest (unknown when run from classes). */
final class Version implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Version.class.getPackage().getImplementationVersion();
    return new String[] {"zproc " + (v == null ? "(development build)" : v)};
  }
}
