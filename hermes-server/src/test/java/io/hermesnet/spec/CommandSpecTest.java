package io.hermesnet.spec;

import io.hermesnet.testkit.AcrossTopologies;
import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/protocol.md §2 client commands {@code /nick}, {@code /who}, {@code /rank} and unknown verbs, over real sockets (rows with more than one client also on three cluster nodes). */
@Timeout(10)
class CommandSpecTest {
    @RegisterExtension
    static final HermesServerExtension server = HermesServerExtension.withDefaults();

    @AcrossTopologies
    void nickAnswersNameAndTellsTheOthersRename() {
        List<LineClient> abc = Clients.join(server, 3);
        abc.get(0).send("/nick Alice");
        abc.get(0).expectLine("NAME Alice");
        abc.get(1).expectLine("RENAME 1 client1 Alice");
        abc.get(2).expectLine("RENAME 1 client1 Alice");
        abc.get(0).send("hi");
        abc.get(1).expectLine("MSG 1 Alice hi");
        Clients.expectNoMore(abc.get(0), abc.get(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/nick", "/nick ", "/nick two words", "/nick h\u00e9llo", "/nick a.b", "/nick a/b",
            "/nick 123456789012345678901234567890123", "/nick client7", "/nick CLIENT12", "/nick client1"})
    void invalidOrReservedNamesAreBadArgs(String line) {
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send(line);
        ab.get(0).await("ERROR BAD_ARGS .+");
        Clients.expectNoMore(ab.get(0), ab.get(1));
    }

    @Test
    void theLongestNameAndEveryAllowedCharacterAreAccepted() {
        LineClient a = server.join();
        a.send("/nick Az09_-" + "x".repeat(26));
        a.awaitLine("NAME Az09_-" + "x".repeat(26));
        a.send("/nick client");
        a.awaitLine("NAME client");
        a.send("/nick client1x");
        a.awaitLine("NAME client1x");
    }

    @AcrossTopologies
    void aNameInUseInAnyCaseIsTaken() {
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send("/nick Alice");
        ab.get(0).expectLine("NAME Alice");
        ab.get(1).expectLine("RENAME 1 client1 Alice");
        ab.get(1).send("/nick aLiCe");
        ab.get(1).await("ERROR NAME_TAKEN .+");
        ab.get(0).expectNoMore();
        // the holder may change the case of its own name
        ab.get(0).send("/nick ALICE");
        ab.get(0).expectLine("NAME ALICE");
        ab.get(1).expectLine("RENAME 1 Alice ALICE");
    }

    @AcrossTopologies
    void aNameFreedByALeaverCanBeTaken() {
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send("/nick Alice");
        ab.get(0).expectLine("NAME Alice");
        ab.get(0).send("/quit");
        ab.get(0).awaitClosed();
        ab.get(1).await("LEAVE 1 Alice logout");
        ab.get(1).send("/nick alice");
        ab.get(1).await("NAME alice");
    }

    @AcrossTopologies
    void whoListsEveryClientInRankOrderThenEndWho() {
        List<LineClient> abc = Clients.join(server, 3);
        LineClient a = abc.get(0);
        abc.get(1).send("/nick Bob");
        abc.get(1).expectLine("NAME Bob");
        Clients.settle(a, abc.get(2));
        a.send("/who");
        a.expectLine("WHO 1 client1 0 - " + a.localAddress());
        a.expectLine("WHO 2 Bob 1 - " + abc.get(1).localAddress());
        a.expectLine("WHO 3 client3 2 - " + abc.get(2).localAddress());
        a.expectLine("END WHO 3");
        a.expectNoMore();
        abc.get(2).expectNoMore(); // /who is answered to the asker only
    }

    @AcrossTopologies
    void rankAnswersTheClientsRank() {
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send("/rank");
        ab.get(0).expectLine("RANK 0");
        ab.get(1).send("/rank");
        ab.get(1).expectLine("RANK 1");
        Clients.expectNoMore(ab.get(0), ab.get(1));
    }

    @AcrossTopologies
    void anUnknownVerbIsAnsweredWithUnknownCommandNamingIt() {
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send("/dance wildly");
        ab.get(0).expectNext("ERROR UNKNOWN_COMMAND /?dance\\b.*");
        ab.get(0).send("/");
        ab.get(0).expectNext("ERROR UNKNOWN_COMMAND .*");
        ab.get(1).expectNoMore(); // not relayed as chat
    }

    @AcrossTopologies
    void verbsAreCaseInsensitive() {
        List<LineClient> ab = Clients.join(server, 2);
        LineClient a = ab.get(0);
        a.send("/NICK Carol");
        a.expectLine("NAME Carol");
        a.send("/Rank");
        a.expectLine("RANK 0");
        a.send("/WhO");
        a.expectNext("WHO 1 Carol 0 - .*");
        a.expectNext("WHO 2 client2 1 - .*");
        a.expectLine("END WHO 2");
        a.send("/QuIt");
        a.expectLine("BYE Goodbye");
        a.awaitClosed();
    }

    @Test
    void telnetNegotiationIsAnsweredAndCtrlCLogsOut() throws Exception {
        // docs/protocol.md §2.2: what telnet sends, byte for byte: DO/WILL offers, then Ctrl-C (IP, DO TIMING-MARK).
        // A raw socket: the answers are not UTF-8 lines, which LineClient would rightly refuse.
        LineClient a = server.join();
        try (java.net.Socket t = new java.net.Socket("127.0.0.1", server.port())) {
            t.setSoTimeout(5000); // bounds each read: a missing answer fails the test instead of hanging it
            java.io.InputStream in = t.getInputStream();
            java.io.OutputStream out = t.getOutputStream();
            java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
            out.write(new byte[] {(byte) 255, (byte) 253, 1, (byte) 255, (byte) 251, 31});
            out.flush();
            readUntil(in, seen, new byte[] {(byte) 255, (byte) 252, 1, (byte) 255, (byte) 254, 31});
            out.write(new byte[] {(byte) 255, (byte) 244, (byte) 255, (byte) 253, 6}); // no line end, as telnet sends it
            out.flush();
            for (int b; (b = in.read()) >= 0; ) {
                seen.write(b);
            }
            String all = seen.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
            int mark = all.indexOf("\u00ff\u00fc\u0006");
            assertTrue(mark > 0 && all.endsWith("BYE Goodbye\r\n") && mark < all.lastIndexOf("BYE Goodbye"),
                    "WONT TIMING-MARK, then BYE as the last line: " + all);
        }
        a.awaitLine("LEAVE 2 client2 logout");
    }

    /** Reads {@code in} into {@code seen} until it ends with {@code tail}. */
    private static void readUntil(java.io.InputStream in, java.io.ByteArrayOutputStream seen, byte[] tail) throws Exception {
        while (true) {
            int b = in.read();
            assertTrue(b >= 0, "closed before " + java.util.HexFormat.of().formatHex(tail));
            seen.write(b);
            byte[] now = seen.toByteArray();
            if (now.length >= tail.length
                    && java.util.Arrays.equals(now, now.length - tail.length, now.length, tail, 0, tail.length)) {
                return;
            }
        }
    }
}
