package io.zproc.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What dumps of killed JVMs leave in the archive directory is deleted; nothing else is. */
class ArchiveLeftoversTest {
  @TempDir Path dir;

  @Test
  void pidOf_readsDumpFileNamesOnly() {
    assertThat(ArchiveLeftovers.pidOf("child-0bca04526316.jsa.14551.classlist")).isEqualTo(14551);
    assertThat(ArchiveLeftovers.pidOf("child-0bca04526316.jsa.14551.classlist.dumping"))
        .isEqualTo(14551);
    assertThat(ArchiveLeftovers.pidOf("child-0bca04526316.jsa")).isEqualTo(-1);
    assertThat(ArchiveLeftovers.pidOf("child-0bca04526316.jsa.mapper")).isEqualTo(-1);
    assertThat(ArchiveLeftovers.pidOf("child-0bca04526316.jsa.x.classlist")).isEqualTo(-1);
    assertThat(ArchiveLeftovers.pidOf("notes.12.classlist")).isEqualTo(-1);
  }

  @Test
  void sweep_deletesTheFilesOfGoneOrStaleDumps_andKeepsRunningOnesAndArchives() throws IOException {
    long now = System.currentTimeMillis();
    Path archive = touch("child-aa.jsa", now - ArchiveLeftovers.STALE_MILLIS * 3);
    Path marker = touch("child-aa.jsa.mapper", now - ArchiveLeftovers.STALE_MILLIS * 3);
    Path goneList = touch("child-aa.jsa.100.classlist", now);
    Path gonePartial = touch("child-aa.jsa.100.classlist.dumping", now);
    Path runningList = touch("child-aa.jsa.200.classlist", now - 1_000);
    Path runningPartial = touch("child-aa.jsa.200.classlist.dumping", now);
    Path staleList = touch("child-bb.jsa.200.classlist", now - ArchiveLeftovers.STALE_MILLIS - 1);

    int deleted = ArchiveLeftovers.sweep(dir, now, pid -> pid == 200);

    assertThat(deleted).isEqualTo(3);
    assertThat(goneList).doesNotExist();
    assertThat(gonePartial).doesNotExist();
    assertThat(staleList).doesNotExist();
    assertThat(runningList).exists();
    assertThat(runningPartial).exists();
    assertThat(archive).exists();
    assertThat(marker).exists();
  }

  @Test
  void sweep_keepsTheNewestArchives_deletingOlderOnesWithTheirNotes() throws IOException {
    long now = System.currentTimeMillis();
    long old = now - ArchiveLeftovers.ARCHIVE_GRACE_MILLIS - 60_000;
    List<Path> archives = new ArrayList<>(); // the newest first
    for (int i = 0; i < ArchiveLeftovers.KEEP_ARCHIVES + 3; i++) {
      archives.add(touch("child-" + i + ".jsa", old - i * 1_000L));
    }
    Path marker = touch("child-" + ArchiveLeftovers.KEEP_ARCHIVES + ".jsa.mapper", old);
    Path kept = touch("child-0.jsa.mapper", old);

    assertThat(ArchiveLeftovers.sweep(dir, now, pid -> true)).isEqualTo(3);

    assertThat(archives.subList(0, ArchiveLeftovers.KEEP_ARCHIVES)).allMatch(Files::exists);
    assertThat(archives.subList(ArchiveLeftovers.KEEP_ARCHIVES, archives.size()))
        .noneMatch(Files::exists);
    assertThat(marker).doesNotExist();
    assertThat(kept).exists();
  }

  @Test
  void sweep_keepsArchivesMadeWithinTheHourWhateverTheirNumber() throws IOException {
    long now = System.currentTimeMillis();
    List<Path> archives = new ArrayList<>();
    for (int i = 0; i < ArchiveLeftovers.KEEP_ARCHIVES + 3; i++) {
      archives.add(touch("child-" + i + ".jsa", now - i * 1_000L));
    }

    assertThat(ArchiveLeftovers.sweep(dir, now, pid -> true)).isZero();
    assertThat(archives).allMatch(Files::exists);
  }

  @Test
  void alive_knowsThisJvm() {
    assertThat(ArchiveLeftovers.alive(ProcessHandle.current().pid())).isTrue();
    assertThat(ArchiveLeftovers.alive(Long.MAX_VALUE)).isFalse();
  }

  private Path touch(String name, long modifiedMillis) throws IOException {
    Path file = Files.write(dir.resolve(name), new byte[] {1});
    Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedMillis));
    return file;
  }
}
