package io.hermesnet.server.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The repository's {@code bin/} launchers build with {@code mvn -q} on first use. Maven 3.8's jansi
 * console writes a colour reset ({@code ESC[0m}) when it shuts down, even with {@code -q}, {@code -B} and
 * {@code -Dstyle.color=never}, and even when nothing is a terminal; {@code .mvn/jvm.config} turns that
 * off ({@code -Djansi.noreset=true}) for every build started in the repository. Here: the launchers
 * build from the repository root, where that file applies, and a quiet Maven run there prints no ESC byte.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
@Timeout(120)
class LaunchersTest {

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("bin")) && Files.isRegularFile(dir.resolve(".mvn/jvm.config"))) {
                return dir;
            }
        }
        return fail("no repository root with bin/ and .mvn/jvm.config above " + Path.of("").toAbsolutePath());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hermes-server", "hermes-client", "hermes-load"})
    void launcherBuildsQuietlyFromTheRoot(String launcher) throws IOException {
        String script = Files.readString(root().resolve("bin").resolve(launcher), StandardCharsets.UTF_8);
        assertTrue(script.contains("(cd \"$ROOT\" && mvn -q "), launcher + " must build from the root, quietly:\n" + script);
    }

    @Test
    void quietMavenRunInTheRepositoryPrintsNoEscapeByte() throws Exception {
        Process mvn = new ProcessBuilder("mvn", "-q", "-o", "-N", "validate")
                .directory(root().toFile()).redirectErrorStream(true).start();
        mvn.getOutputStream().close();
        byte[] said = mvn.getInputStream().readAllBytes();
        assertTrue(mvn.waitFor(90, TimeUnit.SECONDS), "mvn did not finish");
        String text = new String(said, StandardCharsets.UTF_8);
        assertEquals(0, mvn.exitValue(), text);
        for (byte b : said) {
            assertFalse(b == 0x1b, "ESC in the output of a quiet build: " + text.replace("\u001b", "ESC"));
        }
    }
}
