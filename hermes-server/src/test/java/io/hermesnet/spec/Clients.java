package io.hermesnet.spec;

import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;

import java.util.ArrayList;
import java.util.List;

/** Small helpers shared by the protocol socket tests. */
final class Clients {
    private Clients() {
    }

    /** Joins {@code n} clients one after the other (each has read its WELCOME), then {@link #settle}s them. */
    static List<LineClient> join(HermesServerExtension server, int n) {
        List<LineClient> clients = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            clients.add(server.join());
        }
        settle(clients);
        return clients;
    }

    /** Drops every line the clients have been sent so far (JOIN, CLIENTS, ROOM, …): see {@link LineClient#sync()}. */
    static void settle(List<LineClient> clients) {
        for (LineClient c : clients) {
            c.sync();
        }
    }

    /** {@link #settle(List)} for a few clients. */
    static void settle(LineClient... clients) {
        settle(List.of(clients));
    }

    /** Asserts that none of {@code clients} has been sent anything since it was last read or synced. */
    static void expectNoMore(LineClient... clients) {
        for (LineClient c : clients) {
            c.expectNoMore();
        }
    }
}
