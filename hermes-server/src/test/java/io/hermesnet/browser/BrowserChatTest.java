package io.hermesnet.browser;

import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import io.hermesnet.websocket.WebSocketSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat page (docs/protocol.md §6.3) in a real browser: Debian's headless Chromium driven by Selenium
 * through Debian's chromedriver (no download: both paths are given, and SE_OFFLINE is set). Two browser
 * users and one TCP user share a room of three with turns; the page shows the turn, messages with their
 * senders, the member list with ranks, answers an EXEC, and shows a line of HTML as text. The page of one
 * user is saved as {@code target/browser-alice.png} (docs/browser.png is a copy).
 *
 * <p>{@code .ci/run} installs {@code chromium} and {@code chromium-driver} when they are missing.
 */
@Timeout(90)
class BrowserChatTest {
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String CHROMIUM = "/usr/bin/chromium";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String XSS = "<img src=x onerror=alert(document.cookie)> does this show as text?";

    @RegisterExtension
    final HermesServerExtension server = HermesServerExtension.builder()
            .config(c -> c.tickInterval(Duration.ZERO).presenceDelay(Duration.ZERO).roomSize(3).turns(true))
            .build();

    private final List<WebDriver> drivers = new ArrayList<>();

    @AfterEach
    void quit() {
        drivers.forEach(WebDriver::quit);
    }

    /** The element's text as the DOM holds it (textContent), shown or scrolled away. */
    static String dom(WebElement e) {
        return e.getDomProperty("textContent");
    }

    /** A browser user: one headless Chromium session. */
    private final class User {
        final WebDriver driver;
        final WebDriverWait wait;

        User(int width, int height) {
            assertTrue(new File(CHROMEDRIVER).canExecute() && new File(CHROMIUM).canExecute(),
                    "needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver; .ci/run does)");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER))
                    .usingAnyFreePort()
                    .build();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--disable-extensions", "--no-first-run", "--lang=en-US", "--window-size=" + width + "," + height);
            driver = new ChromeDriver(service, options);
            drivers.add(driver);
            wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
        }

        void open(String pathAndQuery) {
            driver.get("http://127.0.0.1:" + server.httpAddress().getPort() + pathAndQuery);
        }

        String text(String id) {
            return dom(driver.findElement(By.id(id)));
        }

        void awaitText(String id, String expected) {
            wait.withMessage(() -> "#" + id + " never showed '" + expected + "', but '" + text(id) + "'")
                    .until(d -> text(id).contains(expected));
        }

        void say(String line) {
            WebElement input = driver.findElement(By.id("input"));
            input.sendKeys(line);
            input.sendKeys(Keys.ENTER);
        }

        /** Waits for a message whose sender and text are exactly these; returns it. */
        WebElement awaitMessage(String sender, String text) {
            return wait.withMessage(() -> "no message from " + sender + ": " + text + " in " + messages())
                    .until(d -> d.findElements(By.cssSelector("#messages .msg")).stream()
                            .filter(m -> !m.findElements(By.className("sender")).isEmpty())
                            .filter(m -> dom(m.findElement(By.className("sender"))).equals(sender))
                            .filter(m -> dom(m.findElement(By.className("text"))).equals(text))
                            .findFirst().orElse(null));
        }

        void awaitSystemLine(String fragment) {
            wait.withMessage(() -> "no line with '" + fragment + "' in " + messages())
                    .until(d -> messages().stream().anyMatch(t -> t.contains(fragment)));
        }

        List<String> messages() {
            return driver.findElements(By.cssSelector("#messages .msg")).stream().map(BrowserChatTest::dom).toList();
        }

        List<String> members() {
            return driver.findElements(By.cssSelector("#members li")).stream().map(BrowserChatTest::dom).toList();
        }

        Path screenshot(String name) throws IOException {
            Path to = Path.of("target", name);
            Files.createDirectories(to.getParent());
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            return Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void twoBrowserUsersAndATcpUserChatInARoomWithTurns() throws IOException {
        server.webSocket(WebSocketSettings.DEFAULT);
        server.server(); // started before the browsers load the page

        User alice = new User(1100, 720);
        alice.open("/?name=alice"); // the name from the URL
        alice.awaitText("me", "alice · rank 0");
        alice.awaitText("room", "waiting for members");

        User bob = new User(420, 760); // phone width
        bob.open("/");
        WebElement name = bob.driver.findElement(By.id("name"));
        name.sendKeys("bob"); // the name from the form
        name.sendKeys(Keys.ENTER);
        bob.awaitText("me", "bob · rank 1");

        LineClient carol = server.join();
        carol.await("TURN READ");
        carol.send("/nick carol");
        carol.await("NAME carol");

        alice.awaitText("turn", "your turn to write");
        bob.awaitText("turn", "waiting for your turn");
        alice.awaitText("room", "alice, bob, carol");
        alice.wait.withMessage(() -> "members: " + alice.members())
                .until(d -> alice.members().equals(List.of("#0alice (you)", "#1bob", "#2carol")));

        alice.say("Hi both! Lunch today?");
        bob.awaitMessage("alice", "Hi both! Lunch today?");
        carol.await("MSG \\d+ alice Hi both! Lunch today\\?");
        bob.awaitText("turn", "your turn to write");

        bob.say(XSS);
        alice.awaitMessage("bob", XSS);
        carol.await("MSG \\d+ bob " + java.util.regex.Pattern.quote(XSS));
        for (User u : List.of(alice, bob)) {
            assertEquals(0, u.driver.findElements(By.cssSelector("#messages img, body img")).size(),
                    "the line was rendered as HTML");
        }

        carol.send("It shows as text. 12:30 at the usual place?");
        alice.awaitMessage("carol", "It shows as text. 12:30 at the usual place?");
        bob.awaitMessage("carol", "It shows as text. 12:30 at the usual place?");
        alice.awaitText("turn", "your turn to write");

        alice.say("/msg carol I'll book a table");
        carol.await("DM \\d+ alice I'll book a table");
        alice.say("/exec 1 whoami");
        alice.awaitSystemLine("bob answered exec");
        assertTrue(alice.messages().stream().anyMatch(t -> t.matches(".*bob answered exec \\d+: bob")), alice.messages().toString());
        bob.awaitSystemLine("alice (rank 0) ran \"whoami\" here: bob");

        alice.say("Great, see you there!");
        bob.awaitMessage("alice", "Great, see you there!");
        carol.await("MSG \\d+ alice Great, see you there!");

        Path shot = alice.screenshot("browser-alice.png");
        bob.screenshot("browser-bob-phone.png");
        assertTrue(Files.size(shot) > 10_000, "a screenshot of the page");
    }
}
