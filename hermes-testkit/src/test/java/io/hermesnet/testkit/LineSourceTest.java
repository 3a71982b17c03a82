package io.hermesnet.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class LineSourceTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofMillis(200);

    @Test
    void linesOfAStreamInOrderWithCrDroppedAndAllKept() {
        byte[] text = "first\r\nsecond line\nl\u00e4st\n".getBytes(StandardCharsets.UTF_8);
        LineSource source = LineSource.start("stream", new ByteArrayInputStream(text), null);
        assertEquals("second line", source.awaitMatch("second.*", WAIT));
        assertEquals(List.of("first", "second line", "l\u00e4st"), source.awaitEnd(WAIT));
        assertEquals("first", source.awaitAnywhere("f.*", SHORT), "a line read earlier is still found");
    }

    @Test
    void aLineThatDoesNotComeFailsWithWhatWasSeen() throws Exception {
        try (PipedOutputStream out = new PipedOutputStream(); PipedInputStream in = new PipedInputStream(out)) {
            LineSource source = LineSource.start("pipe", in, null);
            out.write("ready\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            source.awaitMatch("ready", WAIT);
            AssertionError e = assertThrows(AssertionError.class, () -> source.awaitMatch("done", SHORT));
            assertTrue(e.getMessage().contains("pipe: no line matching /done/") && e.getMessage().contains("ready"),
                    e.getMessage());
            assertThrows(AssertionError.class, () -> source.awaitEnd(SHORT), "the stream is still open");
        }
    }

    @Test
    void aWriterFeedsTheSourceLineByLineAndClosingEndsIt() {
        PrintWriter[] writer = new PrintWriter[1];
        LineSource source = LineSource.ofWriter("stdout", w -> writer[0] = new PrintWriter(w, true));
        writer[0].print("listening on ");
        writer[0].println("127.0.0.1:9000");
        assertEquals("listening on 127.0.0.1:9000", source.awaitMatch("listening on .*", WAIT));
        writer[0].println("bye");
        writer[0].close();
        assertEquals(List.of("listening on 127.0.0.1:9000", "bye"), source.awaitEnd(WAIT));
    }

    @Test
    void aCapturingSourceKeepsEveryLineAndAwaitGivesTheGroups() {
        LineSource out = LineSource.capturing("out");
        PrintWriter w = out.printWriter();
        w.println("OK EXEC 7 1 bob");
        w.print("half a line");

        assertEquals("7", out.await("OK EXEC (\\d+) 1 (\\w+)", WAIT).group(1));
        assertEquals(List.of("OK EXEC 7 1 bob"), out.lines(), "complete lines only, awaited or not");
        w.println();
        w.println("RESULT 7 bob up");
        assertEquals(List.of("OK EXEC 7 1 bob", "half a line", "RESULT 7 bob up"), out.lines());
        assertThrows(AssertionError.class, () -> out.await("never", java.time.Duration.ofMillis(50)));
        assertThrows(IllegalStateException.class,
                () -> LineSource.start("stream", new ByteArrayInputStream(new byte[0]), null).printWriter());
    }
}
