package io.hermesnet.config;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HermesVersionProviderTest {

    @Command(name = "some-tool", mixinStandardHelpOptions = true, versionProvider = HermesVersionProvider.class)
    static final class SomeTool implements Runnable {
        @Override
        public void run() {
        }
    }

    @Test
    void theVersionIsTheBuildsProjectVersion() {
        String expected = System.getProperty("hermes.expectedVersion");
        assertTrue(expected != null && !expected.isEmpty(), "surefire sets hermes.expectedVersion");
        assertEquals(expected, HermesVersionProvider.version());
    }

    @Test
    void dashVNamesTheCommandTheVersionNettyAndJava() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new SomeTool());
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute("-V"));
        List<String> lines = out.toString().lines().toList();
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("some-tool " + System.getProperty("hermes.expectedVersion"), lines.get(0));
        assertTrue(lines.get(1).startsWith("Netty 4.2."), lines.get(1));
        assertTrue(lines.get(2).startsWith("Java " + System.getProperty("java.version") + " ("), lines.get(2));
    }
}
