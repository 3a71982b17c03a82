package io.hermesnet.limits;

import io.hermesnet.server.HermesServer;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static io.hermesnet.limits.TestServers.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/protocol.md §3.11 line length, invalid UTF-8 and telnet IAC over real sockets. */
class LineLimitsTest {

    @Test
    @Timeout(20)
    void anOverLongLineGetsExactlyOneErrorAndTheConnectionStaysUsable() throws Exception {
        try (HermesServer server = TestServers.start(TestServers.config().maxLineBytes(64).build());
             LineClient a = TestServers.join(server);
             LineClient b = TestServers.join(server)) {
            a.send("x".repeat(100));
            // a 10 KB line in small pieces, as a slow typist or a fragmenting network would send it
            for (int i = 0; i < 100; i++) {
                a.sendRaw("y".repeat(100).getBytes(StandardCharsets.UTF_8));
            }
            a.send("\n/rank");

            List<String> seen = a.linesUntil(Pattern.compile("RANK 0"), WAIT);
            assertEquals(2, seen.stream().filter(l -> l.startsWith("ERROR LINE_TOO_LONG ")).count(),
                    "one ERROR per over-long line: " + seen);

            a.send("z".repeat(64) + "\r"); // exactly the limit is fine
            b.awaitLine("MSG " + a.welcome().id() + " " + a.welcome().name() + " " + "z".repeat(64));
        }
    }

    @Test
    @Timeout(40)
    void aHundredMegabyteLineWithoutNewlineLeavesTheServerServingOthers() throws Exception {
        try (HermesServer server = TestServers.start(TestServers.config().build());
             LineClient flooder = TestServers.join(server);
             LineClient b = TestServers.join(server);
             LineClient c = TestServers.join(server)) {
            long total = 100L * 1024 * 1024;
            byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            CompletableFuture<Long> stream = flooder.flood(chunk, total / chunk.length, Duration.ofSeconds(30));

            String bPrefix = "MSG " + b.welcome().id() + " " + b.welcome().name() + " ping ";
            int rounds = 0;
            do { // chat goes on while the stream is discarded
                b.send("ping " + rounds);
                c.awaitLine(bPrefix + rounds);
                rounds++;
            } while (!stream.isDone() && rounds < 10_000);
            assertEquals(total, stream.get(30, TimeUnit.SECONDS), "the server read the whole 100 MB line");

            flooder.send("\n/rank");
            List<String> seen = flooder.linesUntil(Pattern.compile("RANK \\d+"), WAIT);
            assertEquals(1, seen.stream().filter(l -> l.startsWith("ERROR LINE_TOO_LONG ")).count(),
                    "exactly one ERROR for the 100 MB line: " + seen);
            flooder.send("still here");
            b.awaitLine("MSG " + flooder.welcome().id() + " " + flooder.welcome().name() + " still here");
        }
    }

    @Test
    @Timeout(20)
    void invalidUtf8IsRefusedAndNotRelayed() throws Exception {
        try (HermesServer server = TestServers.start(TestServers.config().build());
             LineClient a = TestServers.join(server);
             LineClient b = TestServers.join(server)) {
            a.sendRaw(new byte[] {'b', 'a', 'd', (byte) 0xc3, 0x28, '\n'});
            a.sendRaw(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80, '\n'}); // an encoded surrogate
            a.send("good");

            a.await("ERROR BAD_ENCODING .*", WAIT);
            a.await("ERROR BAD_ENCODING .*", WAIT);
            String first = b.await("MSG .*", WAIT).group();
            assertEquals("MSG " + a.welcome().id() + " " + a.welcome().name() + " good", first,
                    "nothing of the bad lines reached b");
        }
    }

    @Test
    @Timeout(20)
    void telnetIacSequencesAndControlCharactersNeverReachOthers() throws Exception {
        try (HermesServer server = TestServers.start(TestServers.config().build());
             LineClient a = TestServers.join(server);
             LineClient b = TestServers.join(server)) {
            byte[] willEcho = {(byte) 0xff, (byte) 0xfb, 0x01};
            byte[] subneg = {(byte) 0xff, (byte) 0xfa, 0x18, 0x00, 'x', 't', (byte) 0xff, (byte) 0xf0};
            byte[] areYouThere = {(byte) 0xff, (byte) 0xf6};
            a.sendRaw(concat("he".getBytes(StandardCharsets.UTF_8), willEcho, "l".getBytes(StandardCharsets.UTF_8),
                    subneg, "lo".getBytes(StandardCharsets.UTF_8), areYouThere, "\r\n".getBytes(StandardCharsets.UTF_8)));
            a.send("a\u001b[2Jb\u0007c\u0085d\u007fe\tf");

            String from = "MSG " + a.welcome().id() + " " + a.welcome().name() + " ";
            b.awaitLine(from + "hello");
            b.expectLine(from + "a[2Jbcde\tf");
            b.expectNoMore(); // nothing else was relayed
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
