package io.zproc.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.zproc.internal.child.ChildMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {

  @Test
  void command_userOptionsReplaceTheBuiltInFlagsOfTheirKind() {
    List<String> args = Launcher.command(List.of("-Xss1m", "-XX:NewRatio=2")).args();
    assertThat(args).contains("-Xss1m", "-XX:NewRatio=2").doesNotContain("-Xss256k");
    // a heap setting replaces the whole built-in heap sizing
    assertThat(args).noneMatch(a -> a.equals("-XX:NewRatio=6") || a.startsWith("-Xms"));
    assertThat(args.indexOf("-XX:NewRatio=2")).isLessThan(args.indexOf("-cp"));
    assertThat(args.get(args.size() - 1)).isEqualTo(ChildMain.class.getName());
  }

  @Test
  void spareCommand_warmsUpOnlyWhenAsked_andOtherChildrenNever() {
    String warm = "-D" + Launcher.WARM_UP_ROUNDS + "=" + Launcher.DEFAULT_WARM_UP_ROUNDS;
    assertThat(Launcher.spareCommand(true).args()).contains(warm);
    assertThat(Launcher.spareCommand(false).args())
        .noneMatch(a -> a.startsWith("-D" + Launcher.WARM_UP_ROUNDS));
    assertThat(Launcher.command(List.of()).args())
        .noneMatch(a -> a.startsWith("-D" + Launcher.WARM_UP_ROUNDS));
  }

  @Test
  void command_aCollectorReplacesTheBuiltInCollector() {
    List<String> args = Launcher.command(List.of("-XX:+UseParallelGC")).args();
    assertThat(args).contains("-XX:+UseParallelGC");
    assertThat(args).filteredOn(a -> a.matches("-XX:[+-]Use\\w+GC")).hasSize(1);
  }

  @Test
  void command_aCompilerSettingReplacesEveryBuiltInCompilerSetting() {
    List<String> args = Launcher.command(List.of("-XX:TieredStopAtLevel=4")).args();
    assertThat(args).contains("-XX:TieredStopAtLevel=4");
    assertThat(args).noneMatch(a -> a.startsWith("-XX:CICompilerCount"));
    assertThat(args).filteredOn(a -> a.startsWith("-XX:TieredStopAtLevel")).hasSize(1);
  }

  @Test
  void command_aSystemPropertyReplacesTheBuiltInOneOfTheSameName() {
    List<String> args =
        Launcher.command(List.of("-Djava.io.tmpdir=/elsewhere", "-Dio.netty.allocator.type=pooled"))
            .args();
    assertThat(args).filteredOn(a -> a.startsWith("-Djava.io.tmpdir=")).hasSize(1);
    assertThat(args).contains("-Djava.io.tmpdir=/elsewhere", "-Dio.netty.allocator.type=pooled");
    assertThat(args).doesNotContain("-Dio.netty.allocator.type=unpooled");
  }

  @Test
  void kind_namesWhatAFlagSets() {
    assertThat(JvmFlags.kind("-XX:+UseG1GC")).isEqualTo(JvmFlags.kind("-XX:+UseSerialGC"));
    assertThat(JvmFlags.kind("-Xint")).isEqualTo(JvmFlags.kind("-XX:CICompilerCount=2"));
    assertThat(JvmFlags.kind("-Xmx1g")).isEqualTo(JvmFlags.kind("-XX:MaxHeapFreeRatio=30"));
    assertThat(JvmFlags.kind("-XX:-UsePerfData")).isEqualTo(JvmFlags.kind("-XX:+UsePerfData"));
    assertThat(JvmFlags.kind("-Da=1")).isNotEqualTo(JvmFlags.kind("-Db=1"));
    assertThat(JvmFlags.kind("-Xlog:gc")).isNotEqualTo(JvmFlags.kind("-Xlog:cds=off"));
  }

  @Test
  void command_archiveWithoutMapper_childNotesMapperUse_nextChildListsAgainWithIt(@TempDir Path dir)
      throws Exception {
    Path archive = dir.resolve("child-x.jsa");
    Files.write(archive, new byte[] {1});
    AtomicBoolean dumping = new AtomicBoolean();

    Launcher.Command plain = Launcher.command(List.of(), archive, dumping);
    assertThat(plain.recording()).isNull();
    assertThat(plain.args())
        .contains("-XX:SharedArchiveFile=" + archive)
        .contains("-D" + Launcher.MAPPER_WANTED + "=" + Launcher.mapperWanted(archive))
        .noneMatch(a -> a.startsWith("-XX:DumpLoadedClassList"));

    // That child stored a record: it built the mapper from the jars, and says so.
    Launcher.noteMapperUse(Launcher.mapperWanted(archive).toString(), true);
    assertThat(Launcher.mapperWanted(archive)).exists();

    Launcher.Command listing = Launcher.command(List.of(), archive, dumping);
    assertThat(listing.recording()).isNotNull();
    assertThat(listing.args())
        .contains("-XX:SharedArchiveFile=" + archive)
        .contains("-XX:DumpLoadedClassList=" + listing.recording())
        .contains("-D" + Launcher.WARM_MAPPER + "=true", "-D" + Launcher.DUMPING + "=true");
    // One child lists at a time.
    assertThat(Launcher.command(List.of(), archive, dumping).recording()).isNull();

    Files.write(Launcher.mapperMarker(archive), new byte[0]);
    assertThat(Launcher.command(List.of(), archive, new AtomicBoolean()).args())
        .contains("-D" + Launcher.WARM_MAPPER + "=true")
        .noneMatch(a -> a.startsWith("-D" + Launcher.MAPPER_WANTED));
  }

  @Test
  void noteMapperUse_onlyWhenBuiltAndAsked(@TempDir Path dir) {
    Path wanted = dir.resolve("w");
    Launcher.noteMapperUse(wanted.toString(), false);
    Launcher.noteMapperUse(null, true);
    assertThat(wanted).doesNotExist();
    Launcher.noteMapperUse(wanted.toString(), true);
    assertThat(wanted).exists();
  }

  @Test
  void replaces_noArchive_orOneWithTheMapperOverOneWithout() {
    assertThat(Launcher.replaces(false, false, false)).isTrue();
    assertThat(Launcher.replaces(false, true, false)).isTrue();
    assertThat(Launcher.replaces(true, true, false)).isTrue();
    assertThat(Launcher.replaces(true, false, false)).isFalse();
    assertThat(Launcher.replaces(true, true, true)).isFalse();
    assertThat(Launcher.replaces(true, false, true)).isFalse();
  }

  @Test
  void trimsNativeHeap_onlyWhereTheFlagExists() {
    assertThat(Launcher.trimsNativeHeap(Runtime.Version.parse("17.0.8"), "Linux", false)).isFalse();
    assertThat(Launcher.trimsNativeHeap(Runtime.Version.parse("17.0.9"), "Linux", false)).isTrue();
    assertThat(Launcher.trimsNativeHeap(Runtime.Version.parse("17.0.15+6"), "Linux", false))
        .isTrue();
    assertThat(Launcher.trimsNativeHeap(Runtime.Version.parse("18.0.2"), "Linux", false)).isFalse();
    assertThat(Launcher.trimsNativeHeap(Runtime.Version.parse("21"), "Linux", false)).isFalse();
    assertThat(Launcher.trimsNativeHeap(Runtime.Version.parse("21.0.1"), "Linux", false)).isTrue();
    assertThat(Launcher.trimsNativeHeap(Runtime.Version.parse("22"), "Linux", false)).isTrue();
  }

  @Test
  void trimsNativeHeap_notOffLinuxNorOnMusl() {
    assertThat(Launcher.trimsNativeHeap(Runtime.Version.parse("22"), "Linux", true)).isFalse();
    assertThat(Launcher.trimsNativeHeap(Runtime.Version.parse("22"), "Mac OS X", false)).isFalse();
    assertThat(Launcher.trimsNativeHeap(Runtime.Version.parse("22"), "Windows 11", false))
        .isFalse();
  }

  @Test
  void listsMapper_classListWithTheMapperHolder_true(@TempDir Path dir) throws Exception {
    Path list = dir.resolve("child.classlist");
    Files.write(
        list, List.of("java/lang/Object id: 0", "io/zproc/internal/Json", Launcher.MAPPER_CLASS));

    assertThat(Launcher.listsMapper(list)).isTrue();
  }

  @Test
  void listsMapper_classListWithIdSuffix_true(@TempDir Path dir) throws Exception {
    Path list = dir.resolve("child.classlist");
    Files.write(list, List.of(Launcher.MAPPER_CLASS + " id: 812"));

    assertThat(Launcher.listsMapper(list)).isTrue();
  }

  @Test
  void listsMapper_classListWithoutIt_false(@TempDir Path dir) throws Exception {
    Path list = dir.resolve("child.classlist");
    Files.write(
        list,
        List.of(
            "io/zproc/internal/Json",
            Launcher.MAPPER_CLASS + "Other",
            "@lambda-proxy " + Launcher.MAPPER_CLASS + " run"));

    assertThat(Launcher.listsMapper(list)).isFalse();
  }

  @Test
  void mapperMarker_besideTheArchive() {
    Path archive = Path.of("/tmp/zproc-cds/child-abc.jsa");

    assertThat(Launcher.mapperMarker(archive))
        .isEqualTo(Path.of("/tmp/zproc-cds/child-abc.jsa.mapper"));
  }
}
