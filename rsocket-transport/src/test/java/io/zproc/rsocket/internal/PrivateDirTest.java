package io.zproc.rsocket.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What makes a private directory unsafe: a link, another owner; loose permissions are fixed. */
class PrivateDirTest {
  @TempDir Path base;

  private static int uid() throws Exception {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  @Test
  void aLinkInItsPlace_isRefused() throws Exception {
    Path target = Files.createDirectory(base.resolve("elsewhere"));
    Path link = Files.createSymbolicLink(base.resolve("zproc-x"), target);

    assertThat(PrivateDir.problem(link, uid())).contains("link");
  }

  @Test
  void aFileInItsPlace_isRefused() throws Exception {
    Path file = Files.createFile(base.resolve("zproc-x"));

    assertThat(PrivateDir.problem(file, uid())).contains("not a directory");
  }

  @Test
  void anotherUsersDirectory_isRefused() throws Exception {
    Path dir = Files.createDirectory(base.resolve("zproc-x"));

    assertThat(PrivateDir.problem(dir, uid() + 1)).contains("belongs to uid");
  }

  @Test
  void itsOwnDirectoryWithLoosePermissions_isTightened() throws Exception {
    Path dir = Files.createDirectory(base.resolve("zproc-x"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(PrivateDir.problem(dir, uid())).isNull();
    assertThat(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void aDirectoryGivenToAnotherUid_isRefusedEvenIfOwnerOnly() throws Exception {
    assumeTrue(uid() == 0, "needs root, to give the directory away");
    Path dir = Files.createDirectory(base.resolve("zproc-x"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Files.setAttribute(dir, "unix:uid", 4242, LinkOption.NOFOLLOW_LINKS);

    assertThat(PrivateDir.problem(dir, 0)).contains("belongs to uid 4242");
  }
}
