package io.hermesnet.spec;

import io.hermesnet.testkit.AcrossTopologies;
import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/protocol.md §2 {@code WELCOME} and §3.1 Admission, over real sockets (rows with more than one client also on three cluster nodes). */
@Timeout(10)
class AdmissionSpecTest {
    @RegisterExtension
    static final HermesServerExtension server = HermesServerExtension.withDefaults();

    @AcrossTopologies
    void welcomeIsTheFirstLineWithIdNameRankAndText() {
        LineClient a = server.client();
        a.expectLine("WELCOME 1 client1 0 Welcome to HermesNet!");
        a.expectLine("CLIENTS 1");
        LineClient b = server.client();
        b.expectLine("WELCOME 2 client2 1 Welcome to HermesNet!");
        b.expectLine("CLIENTS 2");
        Clients.expectNoMore(b);
    }

    @Test
    void welcomeCarriesTheConfiguredText() {
        server.configure(c -> c.welcomeText("Hello from the pairs server"));
        server.client().expectLine("WELCOME 1 client1 0 Hello from the pairs server");
    }

    @AcrossTopologies
    void idsStartAtOneAndAreNeverReused() {
        LineClient a = server.join();
        LineClient b = server.join();
        assertEquals(1, a.welcome().id());
        assertEquals(2, b.welcome().id());
        a.send("/logout");
        a.awaitClosed();
        b.await("CLIENTS 1");
        LineClient c = server.client();
        c.expectLine("WELCOME 3 client3 1 Welcome to HermesNet!");
        b.close();
        c.await("CLIENTS 1");
        server.client().expectLine("WELCOME 4 client4 1 Welcome to HermesNet!");
    }

    @AcrossTopologies
    void theSeventhClientWithDefaultsGetsFullThenEof() {
        List<LineClient> six = Clients.join(server, 6);
        LineClient seventh = server.client();
        assertEquals(List.of("ERROR FULL server is full (6/6)"), seventh.awaitClosed());
        assertEquals(List.of("ERROR FULL server is full (6/6)"), seventh.transcript(), "no WELCOME, no tick");
        for (LineClient c : six) {
            c.expectNoMore(); // no JOIN, no CLIENTS for a refused connection
        }
    }

    @AcrossTopologies
    void aRefusedConnectionTakesNoId() {
        server.configure(c -> c.maxClients(1));
        LineClient a = server.join();
        LineClient refused = server.client();
        assertEquals(List.of("ERROR FULL server is full (1/1)"), refused.awaitClosed());
        a.send("/quit");
        a.awaitClosed();
        server.client().expectLine("WELCOME 2 client2 0 Welcome to HermesNet!");
    }

    @AcrossTopologies
    void maxPerIpRefusesTheExtraConnectionFromOneAddress() {
        server.configure(c -> c.maxPerIp(2));
        LineClient a = server.join();
        LineClient b = server.join();
        Clients.settle(a, b);
        LineClient third = server.client();
        assertEquals(List.of("ERROR FULL too many connections from 127.0.0.1"), third.awaitClosed());
        Clients.expectNoMore(a, b);
        a.send("/logout");
        a.awaitClosed();
        b.await("CLIENTS 1");
        server.client().expectLine("WELCOME 3 client3 1 Welcome to HermesNet!");
    }
}
