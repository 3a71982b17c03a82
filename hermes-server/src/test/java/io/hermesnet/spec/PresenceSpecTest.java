package io.hermesnet.spec;

import io.hermesnet.testkit.AcrossTopologies;
import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/protocol.md §2 {@code CLIENTS}, {@code JOIN}, {@code LEAVE} and §3.3 Presence, over real sockets (rows with more than one client also on three cluster nodes). */
@Timeout(10)
class PresenceSpecTest {
    @RegisterExtension
    static final HermesServerExtension server = HermesServerExtension.withDefaults();

    @AcrossTopologies
    void clientsGoesToEveryoneAndJoinOnlyToTheOthers() {
        LineClient a = server.join();
        a.expectLine("CLIENTS 1");
        LineClient b = server.join();
        b.expectLine("CLIENTS 2");
        a.expectLine("JOIN 2 client2");
        a.expectLine("CLIENTS 2");
        LineClient c = server.join();
        c.expectLine("CLIENTS 3");
        for (LineClient other : List.of(a, b)) {
            other.expectLine("JOIN 3 client3");
            other.expectLine("CLIENTS 3");
        }
        Clients.expectNoMore(a, b, c); // exactly once each; never a JOIN about oneself
    }

    @AcrossTopologies
    void logoutIsAnnouncedOnceWithReasonLogout() {
        List<LineClient> abc = Clients.join(server, 3);
        LineClient a = abc.get(0);
        LineClient b = abc.get(1);
        LineClient c = abc.get(2);
        b.send("/logout");
        assertEquals(List.of("BYE Goodbye"), b.awaitClosed(), "no LEAVE about itself");
        for (LineClient other : List.of(a, c)) {
            other.expectLine("LEAVE 2 client2 logout");
            other.expectLine("CLIENTS 2");
        }
        c.expectLine("RANK 1");
        Clients.expectNoMore(a, c); // the close that follows the logout is not a second leave
    }

    @AcrossTopologies
    void eofIsAnnouncedOnceWithReasonClosed() {
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(1).close();
        LineClient a = ab.get(0);
        a.expectLine("LEAVE 2 client2 closed");
        a.expectLine("CLIENTS 1");
        a.expectNoMore();
    }

    @AcrossTopologies
    void aResetIsAnnouncedOnceWithReasonClosed() {
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).abort();
        LineClient b = ab.get(1);
        b.expectLine("LEAVE 1 client1 closed");
        b.expectLine("CLIENTS 1");
        b.expectLine("RANK 0");
        b.expectNoMore();
    }

    @AcrossTopologies
    void aHalfCloseIsALeaveToo() {
        List<LineClient> ab = Clients.join(server, 2);
        LineClient b = ab.get(1);
        b.shutdownOutput();
        b.awaitClosed();
        LineClient a = ab.get(0);
        a.expectLine("LEAVE 2 client2 closed");
        a.expectLine("CLIENTS 1");
        a.expectNoMore();
    }

    @AcrossTopologies
    void aHalfClosedClientGetsTheAnswersToEverythingItSentBeforeItsEnd() {
        // docs/protocol.md §2.3: printf '/who\nhello\n/rank\n' | nc -N HOST PORT
        List<LineClient> ab = Clients.join(server, 2);
        LineClient b = ab.get(1);
        b.sendRaw("/who\nhello from b\n/rank\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        b.shutdownOutput();
        List<String> lines = b.awaitClosed();
        int end = lines.indexOf("END WHO 2");
        assertTrue(end > 0 && lines.get(end - 1).startsWith("WHO 2 client2 1 - "), lines.toString());
        assertEquals("RANK 1", lines.get(lines.size() - 1), lines.toString()); // the last answer, then the close
        LineClient a = ab.get(0);
        a.expectLine("MSG 2 client2 hello from b");
        a.expectLine("LEAVE 2 client2 closed");
        a.expectLine("CLIENTS 1");
        a.expectNoMore();
    }

    @AcrossTopologies
    void everyLeaveOfManyIsAnnouncedExactlyOnce() {
        List<LineClient> all = Clients.join(server, 5);
        LineClient watcher = all.get(0);
        all.get(1).close();
        all.get(2).send("/quit");
        all.get(3).abort();
        all.get(4).send("exit");
        List<String> seen = new java.util.ArrayList<>();
        while (!seen.contains("CLIENTS 1")) {
            seen.add(watcher.next());
        }
        seen.addAll(watcher.sync());
        for (int id = 2; id <= 5; id++) {
            String prefix = "LEAVE " + id + " client" + id + " ";
            assertEquals(1, seen.stream().filter(l -> l.startsWith(prefix)).count(), "one LEAVE for " + id + ": " + seen);
        }
        assertEquals(4, seen.stream().filter(l -> l.startsWith("CLIENTS ")).count(), seen.toString());
        assertEquals(List.of("LEAVE 3 client3 logout", "LEAVE 5 client5 logout"),
                seen.stream().filter(l -> l.endsWith(" logout")).sorted().toList());
    }
}
