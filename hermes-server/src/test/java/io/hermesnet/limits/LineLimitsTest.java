package io.hermesnet.limits;

import io.hermesnet.server.HermesServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/protocol.md §3.11 line length, invalid UTF-8 and telnet IAC over real sockets. */
class LineLimitsTest {

    @Test
    @Timeout(20)
    void anOverLongLineGetsExactlyOneErrorAndTheConnectionStaysUsable() throws Exception {
        try (HermesServer server = TestServers.start(TestServers.config().maxLineBytes(64).build());
             RawClient a = RawClient.join(server.localAddress().getPort());
             RawClient b = RawClient.join(server.localAddress().getPort())) {
            a.send("x".repeat(100) + "\n");
            // a 10 KB line in small pieces, as a slow typist or a fragmenting network would send it
            for (int i = 0; i < 100; i++) {
                a.send("y".repeat(100));
            }
            a.send("\n/rank\n");

            List<String> seen = a.until("RANK 0"::equals, RawClient.WAIT);
            assertEquals(2, seen.stream().filter(l -> l.startsWith("ERROR LINE_TOO_LONG ")).count(),
                    "one ERROR per over-long line: " + seen);

            a.send("z".repeat(64) + "\r\n"); // exactly the limit is fine
            b.await("MSG " + a.id + " " + a.name + " " + "z".repeat(64));
        }
    }

    @Test
    @Timeout(40)
    void aHundredMegabyteLineWithoutNewlineLeavesTheServerServingOthers() throws Exception {
        try (HermesServer server = TestServers.start(TestServers.config().build());
             RawClient flooder = RawClient.join(server.localAddress().getPort());
             RawClient b = RawClient.join(server.localAddress().getPort());
             RawClient c = RawClient.join(server.localAddress().getPort())) {
            long total = 100L * 1024 * 1024;
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = flooder.socket.getOutputStream();
                    for (long sent = 0; sent < total; sent += chunk.length) {
                        out.write(chunk);
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });

            int rounds = 0;
            do { // chat goes on while the stream is discarded
                b.send("ping " + rounds + "\n");
                c.await("MSG " + b.id + " " + b.name + " ping " + rounds);
                rounds++;
            } while (!stream.isDone() && rounds < 10_000);
            stream.get(30, TimeUnit.SECONDS);

            flooder.send("\n/rank\n");
            List<String> seen = flooder.until(l -> l.startsWith("RANK "), RawClient.WAIT);
            assertEquals(1, seen.stream().filter(l -> l.startsWith("ERROR LINE_TOO_LONG ")).count(),
                    "exactly one ERROR for the 100 MB line: " + seen);
            flooder.send("still here\n");
            b.await("MSG " + flooder.id + " " + flooder.name + " still here");
        }
    }

    @Test
    @Timeout(20)
    void invalidUtf8IsRefusedAndNotRelayed() throws Exception {
        try (HermesServer server = TestServers.start(TestServers.config().build());
             RawClient a = RawClient.join(server.localAddress().getPort());
             RawClient b = RawClient.join(server.localAddress().getPort())) {
            a.sendBytes(new byte[] {'b', 'a', 'd', (byte) 0xc3, 0x28, '\n'});
            a.sendBytes(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80, '\n'}); // an encoded surrogate
            a.send("good\n");

            a.await(l -> l.startsWith("ERROR BAD_ENCODING "), RawClient.WAIT);
            a.await(l -> l.startsWith("ERROR BAD_ENCODING "), RawClient.WAIT);
            String first = b.await(l -> l.startsWith("MSG "), RawClient.WAIT);
            assertEquals("MSG " + a.id + " " + a.name + " good", first, "nothing of the bad lines reached b");
        }
    }

    @Test
    @Timeout(20)
    void telnetIacSequencesAndControlCharactersNeverReachOthers() throws Exception {
        try (HermesServer server = TestServers.start(TestServers.config().build());
             RawClient a = RawClient.join(server.localAddress().getPort());
             RawClient b = RawClient.join(server.localAddress().getPort())) {
            byte[] willEcho = {(byte) 0xff, (byte) 0xfb, 0x01};
            byte[] subneg = {(byte) 0xff, (byte) 0xfa, 0x18, 0x00, 'x', 't', (byte) 0xff, (byte) 0xf0};
            byte[] areYouThere = {(byte) 0xff, (byte) 0xf6};
            a.sendBytes(concat("he".getBytes(StandardCharsets.UTF_8), willEcho, "l".getBytes(StandardCharsets.UTF_8),
                    subneg, "lo".getBytes(StandardCharsets.UTF_8), areYouThere, "\r\n".getBytes(StandardCharsets.UTF_8)));
            a.send("a\u001b[2Jb\u0007c\u0085d\u007fe\tf\n");

            b.await("MSG " + a.id + " " + a.name + " hello");
            b.await("MSG " + a.id + " " + a.name + " a[2Jbcde\tf");
            assertTrue(b.lines.isEmpty(), "nothing else was relayed: " + b.lines);
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
