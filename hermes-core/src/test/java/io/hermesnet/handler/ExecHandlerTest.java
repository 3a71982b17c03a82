package io.hermesnet.handler;

import io.hermesnet.hub.TestClient;
import io.hermesnet.hub.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ExecHandler}: every allowed and refused EXEC path and RESULT routing (docs/protocol.md §3.6). */
class ExecHandlerTest {
    private static final String EXEC_BAD_RANK = "ERROR BAD_ARGS rank must be a non-negative integer; usage: /exec <rank> <command>";
    private static final String EXEC_NO_COMMAND = "ERROR BAD_ARGS missing command; usage: /exec <rank> <command>";

    private final TestClients clients = new TestClients(TestClients.quietConfig().build());
    private final List<TestClient> c = clients.connect(3); // ranks 0, 1, 2

    ExecHandlerTest() {
        clients.drainAll();
    }

    @AfterEach
    void release() {
        clients.close();
    }

    private void assertNothingElse() {
        for (TestClient x : c) {
            assertEquals(List.of(), x.lines());
        }
    }

    @Test
    void higherRankMayExecOnLowerRank() {
        c.get(0).send("/exec 2 echo hi there");
        assertEquals(List.of("EXEC 1 0 client1 echo hi there"), c.get(2).lines());
        assertEquals(List.of("OK EXEC 1 2 client3"), c.get(0).lines());
        assertNothingElse();
        assertEquals(1, clients.hub().pendingExecCount());
    }

    @Test
    void bareFormIsUnderstood() {
        c.get(1).send("EXEC 2 uptime");
        assertEquals(List.of("EXEC 1 1 client2 uptime"), c.get(2).lines());
        assertEquals(List.of("OK EXEC 1 2 client3"), c.get(1).lines());
        c.get(0).send("exec 1 time");
        assertEquals(List.of("EXEC 2 0 client1 time"), c.get(1).lines());
        assertEquals(List.of("OK EXEC 2 1 client2"), c.get(0).lines());
    }

    @Test
    void resultGoesBackToTheIssuerOnlyOnce() {
        c.get(0).send("/exec 2 whoami");
        clients.drainAll();
        c.get(2).send("/result 1 I am client3");
        assertEquals(List.of("RESULT 1 client3 I am client3"), c.get(0).lines());
        assertNothingElse();
        assertEquals(0, clients.hub().pendingExecCount());
        c.get(2).send("/result 1 again");
        assertEquals(List.of("ERROR NO_SUCH_EXEC no pending EXEC 1 for you"), c.get(2).lines(), "answered ids are gone");
        assertNothingElse();
    }

    @Test
    void resultWithEmptyText() {
        c.get(0).send("/exec 1 true");
        clients.drainAll();
        c.get(1).send("/result 1");
        assertEquals(List.of("RESULT 1 client2"), c.get(0).lines());
    }

    @Test
    void resultFromAnyoneButTheTargetIsRefused() {
        c.get(0).send("/exec 2 whoami");
        clients.drainAll();
        c.get(1).send("/result 1 not mine");
        assertEquals(List.of("ERROR NO_SUCH_EXEC no pending EXEC 1 for you"), c.get(1).lines());
        c.get(0).send("/result 1 my own");
        assertEquals(List.of("ERROR NO_SUCH_EXEC no pending EXEC 1 for you"), c.get(0).lines());
        assertNothingElse();
        c.get(2).send("/result 1 real");
        assertEquals(List.of("RESULT 1 client3 real"), c.get(0).lines(), "the real answer still gets through");
    }

    @Test
    void resultForAnUnknownIdIsRefused() {
        c.get(2).send("/result 42 nobody asked");
        assertEquals(List.of("ERROR NO_SUCH_EXEC no pending EXEC 42 for you"), c.get(2).lines());
        assertNothingElse();
    }

    @Test
    void execOnOneselfIsForbidden() {
        c.get(1).send("/exec 1 echo me");
        assertEquals(List.of("ERROR FORBIDDEN rank 1 may only EXEC on ranks below it (numbers greater than 1)"), c.get(1).lines());
        assertNothingElse();
    }

    @Test
    void lowerRankMayNotExecOnHigherRank() {
        c.get(2).send("/exec 0 rm -rf /");
        assertEquals(List.of("ERROR FORBIDDEN rank 2 may only EXEC on ranks below it (numbers greater than 2)"), c.get(2).lines());
        c.get(2).send("EXEC 1 reboot");
        assertEquals(List.of("ERROR FORBIDDEN rank 2 may only EXEC on ranks below it (numbers greater than 2)"), c.get(2).lines());
        assertNothingElse();
        assertEquals(0, clients.hub().pendingExecCount());
    }

    @Test
    void noSuchRank() {
        c.get(0).send("/exec 3 echo x");
        assertEquals(List.of("ERROR NO_SUCH_RANK no client holds rank 3"), c.get(0).lines());
        c.get(0).send("/exec 2147483647 echo x");
        assertEquals(List.of("ERROR NO_SUCH_RANK no client holds rank 2147483647"), c.get(0).lines());
        c.get(0).send("/exec 99999999999 echo x"); // past any int: a well-formed rank nobody holds
        assertEquals(List.of("ERROR NO_SUCH_RANK no client holds rank 99999999999"), c.get(0).lines());
        assertNothingElse();
    }

    @Test
    void badArgsWithUsage() {
        for (String line : List.of("/exec", "/exec x ls", "/exec -1 ls", "EXEC")) {
            c.get(0).send(line);
            assertEquals(List.of(EXEC_BAD_RANK), c.get(0).lines(), line);
        }
        for (String line : List.of("/exec 1", "EXEC 2", "/exec 1 \u001b")) {
            c.get(0).send(line);
            assertEquals(List.of(EXEC_NO_COMMAND), c.get(0).lines(), line);
        }
        c.get(0).send("/result");
        assertEquals(List.of("ERROR BAD_ARGS missing execId; usage: /result <execId> <text>"), c.get(0).lines());
        c.get(0).send("/result x y"); // an id that names no pending EXEC, however spelled
        assertEquals(List.of("ERROR NO_SUCH_EXEC no pending EXEC x for you"), c.get(0).lines());
        assertNothingElse();
    }

    @Test
    void commandAndResultTextsAreSanitized() {
        c.get(0).send("/exec 1 echo \u001b[2Jgotcha\u0007");
        assertEquals(List.of("EXEC 1 0 client1 echo [2Jgotcha"), c.get(1).lines());
        clients.drainAll();
        c.get(1).send("/result 1 \u009b31mred\u001b[0m");
        assertEquals(List.of("RESULT 1 client2 31mred[0m"), c.get(0).lines());
    }

    @Test
    void execIdsIncrease() {
        c.get(0).send("/exec 1 a");
        c.get(0).send("/exec 2 b");
        c.get(1).send("/exec 2 c");
        assertEquals(List.of("OK EXEC 1 1 client2", "OK EXEC 2 2 client3"), c.get(0).lines());
        assertEquals(List.of("EXEC 1 0 client1 a", "OK EXEC 3 2 client3"), c.get(1).lines());
        assertEquals(List.of("EXEC 2 0 client1 b", "EXEC 3 1 client2 c"), c.get(2).lines());
    }

    @Test
    void promotionChangesWhoMayExec() {
        c.get(0).disconnect();
        clients.drainAll();
        c.get(1).send("/exec 1 hello"); // client2 is now rank 0, client3 rank 1
        assertEquals(List.of("EXEC 1 0 client2 hello"), c.get(2).lines());
        assertEquals(List.of("OK EXEC 1 1 client3"), c.get(1).lines());
    }

    @Test
    void anUnansweredExecEndsAtTheExecTimeoutOnTheIssuersLoop() {
        // the default --exec-timeout (60 s): the timer runs on the issuer's channel, whose clock the test moves
        c.get(0).send("/exec 2 whoami");
        clients.drainAll();
        c.get(0).advance(59, TimeUnit.SECONDS);
        assertEquals(List.of(), c.get(0).lines());
        c.get(0).advance(1, TimeUnit.SECONDS);
        assertEquals(List.of("ERROR NO_SUCH_EXEC 1 no answer"), c.get(0).lines());
        assertEquals(0, clients.hub().pendingExecCount());
        c.get(2).send("/result 1 late");
        assertEquals(List.of("ERROR NO_SUCH_EXEC no pending EXEC 1 for you"), c.get(2).lines());
        assertNothingElse();
    }

    @Test
    void anExecWhoseTargetLeavesEndsAtOnce() {
        c.get(0).send("/exec 2 whoami");
        clients.drainAll();
        c.get(2).disconnect();
        assertEquals("ERROR NO_SUCH_EXEC 1 no answer", c.get(0).lines().get(0));
        assertEquals(0, clients.hub().pendingExecCount());
    }
}
