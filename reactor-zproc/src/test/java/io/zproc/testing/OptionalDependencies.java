package io.zproc.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What the tests of an optional dependency (Micrometer, Lettuce) share: the published POM's
 * dependencies, and a JVM run on this test's class path minus that dependency's jars.
 */
public final class OptionalDependencies {
  private OptionalDependencies() {}

  /**
   * The dependencies a user's build resolves from the POM that {@code install} and {@code deploy}
   * publish for reactor-zproc (flattened in {@code process-resources}, before the tests): its
   * top-level {@code dependencies}, not those of {@code dependencyManagement} or of a profile.
   */
  public static List<Element> publishedDependencies() throws Exception {
    Path pom = Path.of("target", "published-pom.xml");
    assertThat(pom).as("run from the reactor-zproc module, after process-resources").exists();
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document doc;
    try (var in = Files.newInputStream(pom)) {
      doc = factory.newDocumentBuilder().parse(in);
    }
    Element project = doc.getDocumentElement();
    List<Element> out = new ArrayList<>();
    NodeList sections = project.getElementsByTagName("dependencies");
    for (int s = 0; s < sections.getLength(); s++) {
      Element section = (Element) sections.item(s);
      if (section.getParentNode() != project) {
        continue;
      }
      NodeList deps = section.getElementsByTagName("dependency");
      for (int i = 0; i < deps.getLength(); i++) {
        Element d = (Element) deps.item(i);
        if (d.getParentNode() == section) {
          out.add(d); // not an exclusion's
        }
      }
    }
    return out;
  }

  /** The text of a dependency's child element, or "" when it has none. */
  public static String text(Element dependency, String tag) {
    NodeList nodes = dependency.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
  }

  /** The published dependency of that artifact; fails if the POM does not name it. */
  public static Element published(String groupId, String artifactId) throws Exception {
    return publishedDependencies().stream()
        .filter(d -> text(d, "groupId").equals(groupId) && text(d, "artifactId").equals(artifactId))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError(groupId + ":" + artifactId + " is not in the published POM"));
  }

  /**
   * Asserts the published POM names the artifact as optional at the version of the jar {@code
   * fromIt} was loaded from (the version the tests ran with), and every dependency of a group
   * {@code itsGroups} accepts as optional too.
   */
  public static void assertOptionalAtTestedVersion(
      String groupId, String artifactId, Class<?> fromIt, Predicate<String> itsGroups)
      throws Exception {
    Element d = published(groupId, artifactId);
    assertThat(text(d, "optional")).isEqualTo("true");
    String tested = fromIt.getProtectionDomain().getCodeSource().getLocation().toString();
    assertThat(tested).contains("/" + artifactId + "/" + text(d, "version") + "/");
    for (Element other : publishedDependencies()) {
      if (itsGroups.test(text(other, "groupId"))) {
        assertThat(text(other, "optional"))
            .as(text(other, "groupId") + ":" + text(other, "artifactId"))
            .isEqualTo("true");
      }
    }
  }

  /**
   * Runs {@code main} in a JVM whose class path is this test's minus the jars whose file names
   * start with {@code jarPrefix} (there must be one), and returns its output once it ended with
   * exit code 0 (within 60 s).
   */
  public static String runWithout(String jarPrefix, Class<?> main) throws Exception {
    String full = System.getProperty("surefire.test.class.path", "");
    if (full.isEmpty()) {
      full = System.getProperty("java.class.path");
    }
    List<String> entries = Arrays.asList(full.split(File.pathSeparator));
    assertThat(entries).anyMatch(e -> Path.of(e).getFileName().toString().startsWith(jarPrefix));
    String without =
        entries.stream()
            .filter(e -> !Path.of(e).getFileName().toString().startsWith(jarPrefix))
            .collect(Collectors.joining(File.pathSeparator));
    Path log = Files.createTempFile("zproc-without-" + jarPrefix, ".log");
    Process jvm =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                without,
                main.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      jvm.getOutputStream().close();
      boolean ended = jvm.waitFor(60, TimeUnit.SECONDS);
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(ended).as(output).isTrue();
      assertThat(jvm.exitValue()).as(output).isZero();
      return output;
    } finally {
      jvm.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }
}
