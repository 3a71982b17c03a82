package io.hermesnet.spec;

import io.hermesnet.testkit.AcrossTopologies;
import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/protocol.md §2 {@code MSG}, {@code ECHO} and §3.4 Chat relay, over real sockets, on one server and on three cluster nodes. */
@Timeout(10)
class ChatSpecTest {
    @RegisterExtension
    static final HermesServerExtension server = HermesServerExtension.withDefaults();

    @AcrossTopologies
    void aChatLineGoesToEveryoneButTheSender() {
        List<LineClient> abc = Clients.join(server, 3);
        abc.get(0).send("hello world");
        abc.get(1).expectLine("MSG 1 client1 hello world");
        abc.get(2).expectLine("MSG 1 client1 hello world");
        abc.get(0).expectNoMore();
        abc.get(2).send("gr\u00fc\u00dfe \u2603 \ud83d\ude00");
        abc.get(0).expectLine("MSG 3 client3 gr\u00fc\u00dfe \u2603 \ud83d\ude00");
        abc.get(1).expectLine("MSG 3 client3 gr\u00fc\u00dfe \u2603 \ud83d\ude00");
        abc.get(2).expectNoMore();
    }

    @AcrossTopologies
    void withEchoTheSenderGetsItsOwnLineBack() {
        server.configure(c -> c.echo(true));
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send("ping");
        ab.get(0).expectLine("ECHO ping");
        ab.get(1).expectLine("MSG 1 client1 ping");
        Clients.expectNoMore(ab.get(0), ab.get(1));
    }

    @AcrossTopologies
    void withoutEchoNoEcho() {
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send("ping");
        ab.get(1).await("MSG 1 client1 ping");
        ab.get(0).expectNoMore();
    }

    @AcrossTopologies
    void controlCharactersAreStrippedButTabIsKept() {
        server.configure(c -> c.echo(true));
        List<LineClient> ab = Clients.join(server, 2);
        // ESC (C0), BEL (C0), DEL, U+0085 and U+009B (C1, as UTF-8 C2 85 / C2 9B), TAB kept, é kept
        ab.get(0).send("a\u001b[2Jb\u0007\tc\u007fd\u0085e\u009b31mf\u00e9");
        String clean = "a[2Jb\tcde31mf\u00e9";
        ab.get(1).expectLine("MSG 1 client1 " + clean);
        ab.get(0).expectLine("ECHO " + clean);
    }

    @AcrossTopologies
    void aLineLeftEmptyAfterStrippingIsIgnored() {
        server.configure(c -> c.echo(true));
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send("\u001b\u0007\u0085");
        ab.get(0).send("");
        ab.get(0).sendRaw("\r\n".getBytes(StandardCharsets.US_ASCII));
        ab.get(0).expectNoMore(); // no ECHO, no error
        ab.get(1).expectNoMore(); // no MSG
        ab.get(0).send("after");
        ab.get(1).expectLine("MSG 1 client1 after");
    }
}
