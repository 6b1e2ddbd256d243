package io.zproc.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The POM published for reactor-zproc names Lettuce as an optional dependency at the version the
 * tests ran with: a user of the memory store resolves nothing of it.
 */
class LettucePublishedPomTest {

  private static List<Element> dependencies() throws Exception {
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
        continue; // dependencyManagement or a profile: not what a user's build resolves
      }
      NodeList deps = section.getElementsByTagName("dependency");
      for (int i = 0; i < deps.getLength(); i++) {
        out.add((Element) deps.item(i));
      }
    }
    return out;
  }

  private static String text(Element dependency, String tag) {
    NodeList nodes = dependency.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
  }

  @Test
  void lettuceCore_optional_atTheTestedVersion() throws Exception {
    Element lettuce =
        dependencies().stream()
            .filter(d -> text(d, "artifactId").equals("lettuce-core"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("lettuce-core is not in the published POM"));
    assertThat(text(lettuce, "groupId")).isEqualTo("io.lettuce");
    assertThat(text(lettuce, "optional")).isEqualTo("true");
    String tested =
        RedisClient.class.getProtectionDomain().getCodeSource().getLocation().toString();
    assertThat(tested).contains("/lettuce-core/" + text(lettuce, "version") + "/");
  }

  @Test
  void nothingOfLettuces_isRequired() throws Exception {
    for (Element d : dependencies()) {
      String group = text(d, "groupId");
      if (group.equals("io.lettuce") || group.startsWith("redis.clients")) {
        assertThat(text(d, "optional")).as(group + ":" + text(d, "artifactId")).isEqualTo("true");
      }
    }
  }
}
