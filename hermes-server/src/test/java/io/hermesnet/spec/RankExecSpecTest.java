package io.hermesnet.spec;

import io.hermesnet.testkit.AcrossTopologies;
import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/protocol.md §2 {@code RANK}, {@code EXEC}, {@code OK EXEC}, {@code RESULT}; §3.5 Ranks and §3.6 EXEC, over real sockets (rows with more than one client also on three cluster nodes). */
@Timeout(10)
class RankExecSpecTest {
    @RegisterExtension
    static final HermesServerExtension server = HermesServerExtension.withDefaults();

    @AcrossTopologies
    void whenRankZeroLeavesEveryoneMovesUpWithARankLine() {
        List<LineClient> abc = Clients.join(server, 3);
        abc.get(0).send("/logout");
        abc.get(0).awaitClosed();
        LineClient b = abc.get(1);
        LineClient c = abc.get(2);
        b.expectLine("LEAVE 1 client1 logout");
        b.expectLine("CLIENTS 2");
        b.expectLine("RANK 0");
        c.expectLine("LEAVE 1 client1 logout");
        c.expectLine("CLIENTS 2");
        c.expectLine("RANK 1");
        Clients.expectNoMore(b, c);
        server.client().expectLine("WELCOME 4 client4 2 Welcome to HermesNet!");
    }

    @AcrossTopologies
    void onlyClientsBelowTheLeaverMoveUp() {
        List<LineClient> all = Clients.join(server, 4);
        all.get(1).close();
        for (LineClient c : all.subList(2, 4)) {
            c.awaitLine("CLIENTS 3");
        }
        all.get(2).expectLine("RANK 1");
        all.get(3).expectLine("RANK 2");
        all.get(0).awaitLine("CLIENTS 3");
        all.get(0).expectNoMore(); // rank 0 keeps its rank: no RANK line
        all.get(3).close();
        all.get(0).awaitLine("CLIENTS 2");
        all.get(2).awaitLine("CLIENTS 2");
        Clients.expectNoMore(all.get(0), all.get(2)); // the lowest left: no one moves
        all.get(0).send("/rank");
        all.get(0).expectLine("RANK 0");
        all.get(2).send("/rank");
        all.get(2).expectLine("RANK 1");
    }

    @AcrossTopologies
    void anAllowedExecReachesTheTargetAndItsResultTheIssuer() {
        List<LineClient> abc = Clients.join(server, 3);
        LineClient a = abc.get(0);
        LineClient c = abc.get(2);
        a.send("/exec 2 echo hi");
        Matcher exec = c.expectNext("EXEC (\\d+) 0 client1 echo hi");
        String execId = exec.group(1);
        a.expectLine("OK EXEC " + execId + " 2 client3");
        abc.get(1).expectNoMore();
        c.send("/result " + execId + " hi");
        a.expectLine("RESULT " + execId + " client3 hi");
        Clients.expectNoMore(a, abc.get(1), c);
        c.send("/result " + execId + " again");
        c.expectNext("ERROR NO_SUCH_EXEC .+"); // one result per EXEC
        a.expectNoMore();
    }

    @AcrossTopologies
    void theBareExecFormOfTheOriginalClientsWorks() {
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send("EXEC 1 echo hi");
        String id = ab.get(1).expectNext("EXEC (\\d+) 0 client1 echo hi").group(1);
        ab.get(0).expectLine("OK EXEC " + id + " 1 client2");
        ab.get(0).send("exec 1 time");
        id = ab.get(1).expectNext("EXEC (\\d+) 0 client1 time").group(1);
        ab.get(0).expectLine("OK EXEC " + id + " 1 client2");
    }

    @AcrossTopologies
    void aResultFromAnyoneButTheTargetOrForAnUnknownIdIsNoSuchExec() {
        List<LineClient> abc = Clients.join(server, 3);
        LineClient a = abc.get(0);
        LineClient b = abc.get(1);
        a.send("/exec 2 whoami");
        String id = abc.get(2).expectNext("EXEC (\\d+) 0 client1 whoami").group(1);
        a.expectNext("OK EXEC " + id + " 2 client3");
        b.send("/result " + id + " forged");
        b.expectNext("ERROR NO_SUCH_EXEC .+");
        a.send("/result " + id + " forged");
        a.expectNext("ERROR NO_SUCH_EXEC .+");
        b.send("/result 999 nothing");
        b.expectNext("ERROR NO_SUCH_EXEC .+");
        b.send("/result nosuchexec42 x"); // any spelling of an id that names no pending EXEC
        b.expectNext("ERROR NO_SUCH_EXEC no pending EXEC nosuchexec42 for you");
        b.send("/result -1 x");
        b.expectNext("ERROR NO_SUCH_EXEC .+");
        Clients.expectNoMore(a, abc.get(2));
        abc.get(2).send("/result " + id + " client3");
        a.expectLine("RESULT " + id + " client3 client3");
    }

    @AcrossTopologies
    void execOnTheSameOrAHigherRankIsForbidden() {
        List<LineClient> abc = Clients.join(server, 3);
        abc.get(2).send("/exec 0 echo up");
        abc.get(2).expectNext("ERROR FORBIDDEN .+");
        abc.get(2).send("/exec 1 echo up");
        abc.get(2).expectNext("ERROR FORBIDDEN .+");
        abc.get(1).send("/exec 1 echo self");
        abc.get(1).expectNext("ERROR FORBIDDEN .+");
        abc.get(0).send("/exec 0 echo self");
        abc.get(0).expectNext("ERROR FORBIDDEN .+");
        Clients.expectNoMore(abc.get(0), abc.get(1), abc.get(2)); // no EXEC reached anyone
    }

    @AcrossTopologies
    void execOnARankNoOneHoldsIsNoSuchRank() {
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send("/exec 2 echo hi");
        ab.get(0).expectNext("ERROR NO_SUCH_RANK .+");
        ab.get(0).send("/exec 99999 echo hi");
        ab.get(0).expectNext("ERROR NO_SUCH_RANK .+");
        ab.get(0).send("/exec 2147483648 ls"); // past any int: still a well-formed rank nobody holds
        ab.get(0).expectNext("ERROR NO_SUCH_RANK no client holds rank 2147483648");
        ab.get(0).send("/exec 99999999999999999999999999 ls");
        ab.get(0).expectNext("ERROR NO_SUCH_RANK .+");
        ab.get(1).expectNoMore();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/exec", "/exec 1", "/exec 1   ", "/exec -1 echo", "/exec one echo", "/exec 1.5 echo",
            "EXEC", "EXEC x echo"})
    void aMalformedExecIsBadArgsWithAUsageHint(String line) {
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send(line);
        ab.get(0).expectNext("ERROR BAD_ARGS .*usage.*");
        ab.get(1).expectNoMore();
    }

    @AcrossTopologies
    void afterAPromotionTheNewRankCommands() {
        List<LineClient> abc = Clients.join(server, 3);
        abc.get(1).send("/exec 0 echo");
        abc.get(1).expectNext("ERROR FORBIDDEN .+");
        abc.get(0).close();
        abc.get(1).awaitLine("RANK 0");
        abc.get(2).awaitLine("RANK 1");
        abc.get(1).send("/exec 1 uptime");
        String id = abc.get(2).expectNext("EXEC (\\d+) 0 client2 uptime").group(1);
        abc.get(1).expectLine("OK EXEC " + id + " 1 client3");
    }

    @AcrossTopologies
    void execCommandAndResultTextAreSanitized() {
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send("/exec 1 echo \u001b[31mred\u0007");
        String id = ab.get(1).expectNext("EXEC (\\d+) 0 client1 echo \\[31mred").group(1);
        ab.get(0).awaitLine("OK EXEC " + id + " 1 client2");
        ab.get(1).send("/result " + id + " \u001b]0;pwned\u0007done\u009b");
        ab.get(0).expectLine("RESULT " + id + " client2 ]0;pwneddone");
    }

    @AcrossTopologies
    void pendingExecsOfALeaverAreDropped() {
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send("/exec 1 echo");
        String id = ab.get(1).expectNext("EXEC (\\d+) 0 client1 echo").group(1);
        ab.get(0).close();
        ab.get(1).awaitLine("RANK 0");
        ab.get(1).send("/result " + id + " late");
        ab.get(1).expectNext("ERROR NO_SUCH_EXEC .+");
        ab.get(1).expectNoMore(); // in a cluster, after the barrier: every node has applied the leave
        assertNoPendingExecs();
    }

    @AcrossTopologies
    void anExecWhoseTargetLeavesEndsWithNoAnswer() {
        List<LineClient> abc = Clients.join(server, 3);
        LineClient a = abc.get(0);
        a.send("/exec 2 uptime");
        String id = abc.get(2).expectNext("EXEC (\\d+) 0 client1 uptime").group(1);
        a.expectLine("OK EXEC " + id + " 2 client3");
        abc.get(2).send("/quit");
        a.expectLine("ERROR NO_SUCH_EXEC " + id + " no answer"); // before the LEAVE: nothing stays pending
        a.expectLine("LEAVE 3 client3 logout");
        a.expectLine("CLIENTS 2");
        a.expectNoMore();
        assertNoPendingExecs();
    }

    @AcrossTopologies
    void anExecNotAnsweredWithinTheExecTimeoutEndsWithNoAnswer() {
        server.configure(c -> c.execTimeout(java.time.Duration.ofMillis(300)));
        List<LineClient> ab = Clients.join(server, 2);
        LineClient a = ab.get(0);
        a.send("/exec 1 time");
        String id = ab.get(1).expectNext("EXEC (\\d+) 0 client1 time").group(1);
        a.expectLine("OK EXEC " + id + " 1 client2");
        a.expectLine("ERROR NO_SUCH_EXEC " + id + " no answer");
        ab.get(1).send("/result " + id + " too late"); // the EXEC is over: its answer is refused
        ab.get(1).expectNext("ERROR NO_SUCH_EXEC no pending EXEC " + id + " for you");
        a.expectNoMore();
        assertNoPendingExecs();
    }

    @AcrossTopologies
    void anAnsweredExecNeverTimesOut() {
        server.configure(c -> c.execTimeout(java.time.Duration.ofMillis(300)));
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send("/exec 1 time");
        String id = ab.get(1).expectNext("EXEC (\\d+) 0 client1 time").group(1);
        ab.get(0).expectLine("OK EXEC " + id + " 1 client2");
        ab.get(1).send("/result " + id + " noon");
        ab.get(0).expectLine("RESULT " + id + " client2 noon");
        ab.get(0).send("/exec 1 whoami"); // a second EXEC whose OK comes after the first one's timeout would have passed
        String second = ab.get(1).expectNext("EXEC (\\d+) 0 client1 whoami").group(1);
        ab.get(0).expectLine("OK EXEC " + second + " 1 client2");
        ab.get(0).expectLine("ERROR NO_SUCH_EXEC " + second + " no answer"); // only the unanswered one ends so
        ab.get(0).expectNoMore();
    }

    /** No EXEC pending on any server (every cluster node keeps the pending EXECs); after a barrier. */
    private static void assertNoPendingExecs() {
        for (io.hermesnet.server.HermesServer s : server.servers()) {
            assertEquals(0, s.hub().pendingExecCount(), s.localAddress().toString());
        }
    }
}
