package io.coxswain.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the console's browser test classes kept out of ConsoleBrowserTest share (set up as it is): a gateway of
 * their own on fresh topics and headless Chromium, skipped where Debian's chromium and chromium-driver are not
 * installed. Test classes run one after another, so the static fields serve each in turn.
 */
abstract class ConsoleBrowserHarness {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    static GatewayHarness h;
    static WebDriver browser;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "no " + CHROMIUM + " or " + CHROMEDRIVER);
        h = GatewayHarness.start(GatewayHarness.freshTopics());
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toString()).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=" + Files.createTempDirectory("coxswain-chromium"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build(), options);
    }

    /** The browser is quit even when closing the gateway fails; either may be missing when the set-up stopped early. */
    @AfterAll
    static void stop() {
        try {
            if (h != null) {
                h.close();
            }
        } finally {
            if (browser != null) {
                browser.quit();
            }
            h = null;
            browser = null;
        }
    }

    static WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    static void accepted(String command) {
        GatewayHarness.Reply r = h.post("/v1/commands?wait=true", command);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    static WebElement visible(String css) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    /** Signs in with the test token and opens {@code cluster}'s view, once it follows the cluster live. */
    static void openCluster(String cluster) {
        browser.get(h.url() + "/");
        visible("#token").sendKeys(GatewayHarness.TOKEN);
        browser.findElement(By.cssSelector("#sign-in-form button")).click();
        waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-cluster='" + cluster + "']"))).click();
        waiting().until(ExpectedConditions.textToBe(By.id("c-live"), "(live)"));
    }
}
