package io.coxswain.gateway;

import io.coxswain.sandbox.kafka.SharedKafka;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium, as {@link ConsoleBrowserTest} works it: sign in, follow a
 * cluster, fill a form's fields by id, preview or send it, and wait (up to 30 s) for what the page then
 * shows. One browser for the test JVM ({@link ConsoleBrowserHarness}); Debian's chromium and chromium-driver ({@code .ci/run}
 * installs them).
 */
final class ConsolePage implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String NOT_INSTALLED = "no " + CHROMIUM + " or " + CHROMEDRIVER
            + ": apt-get install chromium chromium-driver to run the console's browser test";

    private final WebDriver browser;
    private final Path profile;

    private ConsolePage(WebDriver browser, Path profile) {
        this.browser = browser;
        this.profile = profile;
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /**
     * A headless Chromium of its own profile, driven through chromedriver. Without a back-forward cache: a
     * console page left for another page would be kept there with its watch's connection open, and a few
     * of those take every connection Chromium opens to the gateway, so that the next requests wait.
     */
    static ConsolePage open() throws IOException {
        Path profile = Files.createTempDirectory("coxswain-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toString()).addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-features=BackForwardCache", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new ConsolePage(new ChromeDriver(service, options), profile);
    }

    /**
     * Whether the browser still answers: a Chromium that crashed (out of memory, killed) takes its session with it, and
     * every later class of the fork sharing it would fail on its first step, far from the cause.
     */
    boolean alive() {
        try {
            browser.getWindowHandles();
            return true;
        } catch (WebDriverException e) {
            return false;
        }
    }

    /**
     * The console at {@code gatewayUrl}, signed out. The session's token is forgotten on a page of the gateway
     * that runs no console script: cleared on the console itself, it could be stored again by the sign-in
     * that loading the page started with it, when that sign-in's answer came after the clearing.
     */
    void freshTab(String gatewayUrl) {
        browser.get(gatewayUrl + "/v1/whoami");
        script("sessionStorage.clear()");
        browser.get(gatewayUrl + "/");
    }

    /** A blank page: no console left following a cluster (its watch open, its list loaded every 5 s) while nothing works it. */
    void blank() {
        browser.get("about:blank");
    }

    String currentUrl() {
        return browser.getCurrentUrl();
    }

    /** Runs {@code javascript} in the page, {@code args} (elements among them) as its {@code arguments}. */
    Object script(String javascript, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(javascript, args);
    }

    /**
     * Waits for {@code condition}, asking again when an element it found has been replaced meanwhile. Asked every 50 ms
     * rather than WebDriverWait's 500: a page answers in tens of milliseconds, and the browser tests await a few hundred
     * times, each of which waited up to half a second for the next look.
     */
    <T> T await(ExpectedCondition<T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(50)).ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    /** Waits until the element {@code id} shows exactly {@code text}. */
    ConsolePage awaitText(String id, String text) {
        await(ExpectedConditions.textToBe(By.id(id), text));
        return this;
    }

    /** Waits until the element {@code id} shows {@code text} among the rest. */
    ConsolePage awaitContains(String id, String text) {
        await(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
        return this;
    }

    void signIn(String token) {
        WebElement field = await(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.clear();
        field.sendKeys(token);
        click("#sign-in-form button");
    }

    /**
     * Clicks {@code cluster}'s row in the list, as soon as it can be clicked. The list is filled again every 5 s, at each
     * change of its filter and at each state of the cluster followed, so the row found may be replaced before the click lands:
     * then it is found and clicked again.
     */
    void open(String cluster) {
        ExpectedCondition<WebElement> row = ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-cluster='" + cluster + "']"));
        await(d -> {
            WebElement found = row.apply(d);
            if (found == null) {
                return null;
            }
            found.click();
            return true;
        });
    }

    /** Opens {@code cluster}'s page and waits until it follows the cluster live. */
    void follow(String cluster) {
        open(cluster);
        awaitText("c-id", cluster);
        awaitText("c-live", "(live)");
    }

    WebElement element(String id) {
        return find(By.id(id));
    }

    /** The first element {@code by} finds, such as a table's row by its data attribute. */
    WebElement find(By by) {
        return browser.findElement(by);
    }

    String text(String id) {
        return element(id).getText();
    }

    /** The field {@code id} cleared, then {@code value} typed in it. */
    ConsolePage type(String id, String value) {
        WebElement e = element(id);
        e.clear();
        e.sendKeys(value);
        return this;
    }

    Select select(String id) {
        return new Select(element(id));
    }

    ConsolePage click(String css) {
        find(By.cssSelector(css)).click();
        return this;
    }

    /** The History table's row of {@code commandId}. */
    static By historyRow(String commandId) {
        return By.cssSelector("#history tr[data-command='" + commandId + "']");
    }

    /**
     * Follows the command link {@code link} (CSS) finds, once there, which must name {@code commandId}; waits until the History
     * table's row of that command is the one highlighted, and returns that row's text. The page fills its tables again with
     * each version it is sent, so an element found may be replaced before it is used: then it is found again.
     */
    String followCommand(String link, String commandId) {
        await(d -> {
            WebElement a = d.findElement(By.cssSelector(link));
            if (!commandId.equals(a.getAttribute("data-command"))) {
                throw new AssertionError(link + " names command " + a.getAttribute("data-command") + ", not " + commandId);
            }
            a.click();
            return true;
        });
        return await(d -> {
            WebElement row = d.findElement(historyRow(commandId));
            return row.getAttribute("class").contains("selected") && d.findElements(By.cssSelector("#history tr.selected")).size() == 1
                    ? row.getText() : null;
        });
    }

    /** Sends the form {@code form} (its submit button). */
    ConsolePage submit(String form) {
        click("#" + form + " button[type=submit]");
        return this;
    }

    /** Asks what the form {@code form} would do, without sending it (its preview button). */
    ConsolePage preview(String form) {
        click("#" + form + " button.preview");
        return this;
    }

    @Override
    public void close() {
        try {
            browser.quit();
        } finally {
            SharedKafka.deleteQuietly(profile); // Chromium's profile: tens of megabytes per browser, in the temp directory
        }
    }
}
