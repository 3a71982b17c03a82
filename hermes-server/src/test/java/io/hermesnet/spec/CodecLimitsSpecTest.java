package io.hermesnet.spec;

import io.hermesnet.testkit.AcrossTopologies;
import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/protocol.md §2 Framing and §3.11 line length and encoding limits, over real sockets (rows with more than one client also on three cluster nodes). */
@Timeout(10)
class CodecLimitsSpecTest {
    private static final int IAC = 0xFF;
    private static final int DONT = 0xFE;
    private static final int WONT = 0xFC;
    private static final int SB = 0xFA;
    private static final int SE = 0xF0;

    @RegisterExtension
    static final HermesServerExtension server = HermesServerExtension.builder()
            .config(c -> c.maxLineBytes(64))
            .build();

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) p);
            }
        }
        return out.toByteArray();
    }

    @AcrossTopologies
    void anOverLongLineGetsExactlyOneLineTooLongAndTheConnectionStaysUsable() {
        List<LineClient> ab = Clients.join(server, 2);
        LineClient a = ab.get(0);
        a.send("x".repeat(65));
        List<String> answer = a.sync();
        assertEquals(1, answer.size(), answer.toString());
        assertTrue(answer.get(0).startsWith("ERROR LINE_TOO_LONG "), answer.toString());
        ab.get(1).expectNoMore(); // nothing of it relayed
        a.send("still here");
        ab.get(1).expectLine("MSG 1 client1 still here");
    }

    @AcrossTopologies
    void theLimitExcludesTheTerminator() {
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send("a".repeat(64));
        ab.get(1).expectLine("MSG 1 client1 " + "a".repeat(64));
        ab.get(0).sendRaw(("b".repeat(64) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        ab.get(1).expectLine("MSG 1 client1 " + "b".repeat(64));
        ab.get(0).expectNoMore();
    }

    @AcrossTopologies
    void aHugeLineInManyWritesIsOneErrorWithBoundedMemory() {
        List<LineClient> ab = Clients.join(server, 2);
        LineClient a = ab.get(0);
        byte[] chunk = "z".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 64; i++) { // 4 MiB without a line feed
            a.sendRaw(chunk);
        }
        a.sendRaw("\nafter\n".getBytes(StandardCharsets.US_ASCII));
        ab.get(1).expectLine("MSG 1 client1 after");
        List<String> answer = a.sync();
        assertEquals(1, answer.size(), answer.toString());
        assertTrue(answer.get(0).startsWith("ERROR LINE_TOO_LONG "), answer.toString());
    }

    @Test
    void twoOverLongLinesAreTwoErrors() {
        LineClient a = server.join();
        Clients.settle(a);
        a.sendRaw(("x".repeat(100) + "\n" + "y".repeat(100) + "\n").getBytes(StandardCharsets.US_ASCII));
        List<String> answer = a.sync();
        assertEquals(2, answer.size(), answer.toString());
        assertTrue(answer.stream().allMatch(l -> l.startsWith("ERROR LINE_TOO_LONG ")), answer.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "c328",       // a lead byte followed by a non-continuation byte
        "80",         // a lone continuation byte
        "c080",       // an overlong encoding of NUL
        "e080af",     // an overlong 3-byte encoding
        "eda080",     // a UTF-16 surrogate (U+D800)
        "f4908080",   // above U+10FFFF
        "f5808080",   // a byte that never occurs in UTF-8
        "e282",       // a truncated sequence at the end of the line
    })
    void invalidUtf8IsBadEncodingAndNotRelayed(String hex) {
        List<LineClient> ab = Clients.join(server, 2);
        LineClient a = ab.get(0);
        byte[] bad = HexFormat.of().parseHex(hex);
        a.sendRaw(concat(bytes("hi "), bad, bytes("\n")));
        a.expectNext("ERROR BAD_ENCODING .+");
        a.expectNoMore();
        ab.get(1).expectNoMore();
        a.send("fine");
        ab.get(1).expectLine("MSG 1 client1 fine");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @AcrossTopologies
    void telnetIacSequencesAreRemovedNeverRelayed() {
        List<LineClient> ab = Clients.join(server, 2);
        LineClient a = ab.get(0);
        // refusals (DONT, WONT) need no answer, so a's lines stay plain text; the answers to DO and WILL
        // are tested with a raw socket in CommandSpecTest
        a.sendRaw(bytes(IAC, DONT, 1, "hello\n"));
        ab.get(1).expectLine("MSG 1 client1 hello");
        a.sendRaw(bytes("wo", IAC, WONT, 3, "rld", IAC, SB, 24, 0, "xterm", IAC, SE, "!\r\n"));
        ab.get(1).expectLine("MSG 1 client1 world!");
        a.sendRaw(bytes(IAC, 0xF6, "\r\n")); // IAC AYT alone: nothing left to relay
        a.sendRaw(bytes(IAC, DONT, 1, "/rank\r\n"));
        a.expectLine("RANK 0");
        Clients.expectNoMore(a, ab.get(1));
    }

    @AcrossTopologies
    void crlfAndLfAreBothLineEnds() {
        List<LineClient> ab = Clients.join(server, 2);
        LineClient a = ab.get(0);
        a.sendRaw("one\r\ntwo\nthree\r\n".getBytes(StandardCharsets.US_ASCII));
        LineClient b = ab.get(1);
        b.expectLine("MSG 1 client1 one");
        b.expectLine("MSG 1 client1 two");
        b.expectLine("MSG 1 client1 three");
        a.sendRaw("/rank\r\n".getBytes(StandardCharsets.US_ASCII)); // the CR is framing, not part of the verb
        a.expectLine("RANK 0");
        a.sendRaw("/ra".getBytes(StandardCharsets.US_ASCII)); // a line split across writes
        a.sendRaw("nk\n".getBytes(StandardCharsets.US_ASCII));
        a.expectLine("RANK 0");
    }
}
