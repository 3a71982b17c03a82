package io.hermesnet.server.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM options hermes-server's launcher ({@code src/main/bin/hermes-server}, packaged as
 * {@code bin/hermes-server}) gives the server, as an operator reading {@code ps} would see them: the JVM
 * is a stand-in script ({@code JAVA=...}) that answers the launcher's probe as a JDK with or without
 * native heap trimming would and prints the command line it was started with.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
@Timeout(60)
class ServerLauncherScriptTest {
    private static final Path LAUNCHER = Path.of("src/main/bin/hermes-server");

    /** A stand-in java: the probe {@code -XX:TrimNativeHeapInterval=... -version} exits {@code probeExit}. */
    private static Path fakeJava(Path dir, int probeExit) throws IOException {
        Path java = dir.resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                case "$*" in
                    *-XX:TrimNativeHeapInterval=*-version*) exit %d ;;
                esac
                echo "ARGS $*"
                """.formatted(probeExit), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    private static List<String> jvmArgs(Path java, String javaOpts) throws Exception {
        assertTrue(Files.isRegularFile(LAUNCHER), "no launcher at " + LAUNCHER.toAbsolutePath());
        ProcessBuilder pb = new ProcessBuilder("sh", LAUNCHER.toString(), "--port", "9000").redirectErrorStream(true);
        pb.environment().put("JAVA", java.toString());
        pb.environment().remove("JAVA_OPTS");
        if (javaOpts != null) {
            pb.environment().put("JAVA_OPTS", javaOpts);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher did not finish");
        assertEquals(0, p.exitValue(), out);
        String args = out.lines().filter(l -> l.startsWith("ARGS ")).findFirst().orElseThrow(() -> new AssertionError(out));
        return Arrays.asList(args.substring("ARGS ".length()).split(" "));
    }

    @Test
    void aJvmThatTrimsItsNativeHeapIsToldToEveryFiveSeconds(@TempDir Path dir) throws Exception {
        List<String> args = jvmArgs(fakeJava(dir, 0), null);
        assertTrue(args.contains("-XX:TrimNativeHeapInterval=5000"), args.toString());
        assertTrue(args.indexOf("-XX:TrimNativeHeapInterval=5000") < args.indexOf("io.hermesnet.server.cli.HermesServerMain"));
        assertEquals(List.of("--port", "9000"), args.subList(args.size() - 2, args.size()));
    }

    @Test
    void aJvmWithoutTheOptionStartsWithoutIt(@TempDir Path dir) throws Exception {
        List<String> args = jvmArgs(fakeJava(dir, 1), null);
        assertFalse(args.stream().anyMatch(a -> a.startsWith("-XX:TrimNativeHeapInterval")), args.toString());
        assertTrue(args.contains("io.hermesnet.server.cli.HermesServerMain"), args.toString());
    }

    @Test
    void anIntervalInJavaOptsIsTheOnlyOne(@TempDir Path dir) throws Exception {
        List<String> args = jvmArgs(fakeJava(dir, 0), "-XX:TrimNativeHeapInterval=0");
        assertEquals(List.of("-XX:TrimNativeHeapInterval=0"),
                args.stream().filter(a -> a.startsWith("-XX:TrimNativeHeapInterval")).toList());
    }
}
