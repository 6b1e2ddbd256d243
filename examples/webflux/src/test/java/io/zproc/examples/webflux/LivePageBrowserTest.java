package io.zproc.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The live page ({@code src/main/resources/static/index.html}) in a real browser: headless Chromium
 * driven through chromedriver (Debian's {@code chromium} and {@code chromium-driver}; {@code
 * .ci/run} installs them when missing), against the app on a random port. The test changes the
 * state through the REST API and watches the page follow; each test saves a screenshot under {@code
 * target/live-page/}.
 *
 * <p>Same properties as {@link ZProcWebApplicationTest}, so the two share one Spring context; the
 * keys here start with {@code live-}.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "zproc.map.backend=THREAD",
      "zproc.map.workers=2",
      "zproc.map.max-items=100",
      "zproc.server.journal-size=20",
      "zproc.web.heartbeat=1h",
      "zproc.web.when-timeout=5s",
      "zproc.web.max-when-timeout=20s"
    })
@AutoConfigureWebTestClient
class LivePageBrowserTest {
  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final Path SCREENSHOTS = Path.of("target", "live-page");

  private static ChromeDriver browser;

  @Autowired WebTestClient web;
  @LocalServerPort int port;

  @BeforeAll
  static void startBrowser() {
    String binary = System.getProperty("chromium.binary", "/usr/bin/chromium");
    String driver = System.getProperty("chromedriver.path", "/usr/bin/chromedriver");
    assertThat(new File(binary))
        .as("Chromium (apt-get install chromium chromium-driver; or -Dchromium.binary=...)")
        .canRead();
    assertThat(new File(driver))
        .as("chromedriver (apt-get install chromium-driver; or -Dchromedriver.path=...)")
        .canRead();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(binary);
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // as root in a container
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1200,1400");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(driver))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit(); // ends chromedriver and every Chromium process it started
    }
  }

  @BeforeEach
  void openThePage() {
    browser.get("http://127.0.0.1:" + port + "/");
    until(PATIENCE, ExpectedConditions.textToBe(By.id("status"), "live"));
  }

  @AfterEach
  void screenshot(TestInfo test) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    File shot = browser.getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(),
        SCREENSHOTS.resolve(test.getTestMethod().orElseThrow().getName() + ".png"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private void until(Duration timeout, org.openqa.selenium.support.ui.ExpectedCondition<?> c) {
    new WebDriverWait(browser, timeout, Duration.ofMillis(20)).until(c);
  }

  private static By valueOf(String key) {
    return By.cssSelector("tr[data-key='" + key + "'] td.value");
  }

  private void put(String key, String json) {
    web.put()
        .uri("/state/{key}", key)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(json)
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();
  }

  @Test
  void table_followsChangesMadeThroughTheApi_withinASecond() {
    put("live-oven", "\"cold\"");
    until(SECOND, ExpectedConditions.textToBe(valueOf("live-oven"), "\"cold\""));

    put("live-oven", "{\"temp\":220,\"on\":true}");
    until(SECOND, ExpectedConditions.textToBe(valueOf("live-oven"), "{\"temp\":220,\"on\":true}"));

    web.delete().uri("/state/live-oven").exchange().expectStatus().isOk().expectBody().json("{}");
    until(SECOND, ExpectedConditions.numberOfElementsToBe(valueOf("live-oven"), 0));
    assertThat(browser.findElement(By.id("version")).getText()).matches("\\d+");
  }

  @Test
  void putForm_storesTheValue() {
    browser.findElement(By.id("put-key")).sendKeys("live-pears");
    browser.findElement(By.id("put-value")).sendKeys("[1, \"two\"]");
    browser.findElement(By.id("put-button")).click();

    until(PATIENCE, ExpectedConditions.textToBe(By.id("put-result"), "stored live-pears"));
    web.get()
        .uri("/state/live-pears")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .json("[1, \"two\"]");
    until(SECOND, ExpectedConditions.textToBe(valueOf("live-pears"), "[1,\"two\"]"));
  }

  @Test
  void putForm_badJson_showsTheProblem() {
    browser.findElement(By.id("put-key")).sendKeys("live-bad");
    browser.findElement(By.id("put-value")).sendKeys("{oops");
    browser.findElement(By.id("put-button")).click();

    until(PATIENCE, ExpectedConditions.attributeContains(By.id("put-result"), "class", "error"));
    assertThat(browser.findElement(By.id("put-result")).getText()).isNotBlank();
  }

  @Test
  void whenButton_waitsUntilTheValueIsWritten() {
    put("live-door", "\"closed\"");
    browser.findElement(By.id("when-key")).sendKeys("live-door");
    browser.findElement(By.id("when-value")).sendKeys("\"open\"");
    browser.findElement(By.id("when-button")).click();
    until(
        PATIENCE,
        ExpectedConditions.textToBe(By.id("when-result"), "waiting for live-door = \"open\" …"));

    put("live-door", "\"open\"");
    until(
        PATIENCE,
        ExpectedConditions.textMatches(
            By.id("when-result"),
            java.util.regex.Pattern.compile("fired at version \\d+: live-door = \"open\"")));
  }

  @Test
  void mapRun_progressReaches100_resultsInOrder() {
    WebElement count = browser.findElement(By.id("map-count"));
    count.clear();
    count.sendKeys("60");
    browser.findElement(By.id("map-button")).click();

    until(PATIENCE, ExpectedConditions.textToBe(By.id("map-percent"), "100 %"));
    until(
        PATIENCE,
        ExpectedConditions.textMatches(
            By.id("map-status"), java.util.regex.Pattern.compile("done: 60 squares in \\d+ ms")));
    assertThat(browser.findElement(By.id("map-progress")).getDomProperty("value")).isEqualTo("60");
    List<String> squares =
        browser.findElements(By.cssSelector("#map-results li")).stream()
            .map(WebElement::getText)
            .toList();
    assertThat(squares)
        .containsExactlyElementsOf(
            IntStream.rangeClosed(1, 60).mapToObj(i -> String.valueOf((long) i * i)).toList());
  }
}
