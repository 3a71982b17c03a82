package io.hermesnet.spec;

import io.hermesnet.testkit.AcrossTopologies;
import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

/** docs/protocol.md §2.5 {@code /msg} with {@code DM} and {@code ERROR NO_SUCH_NAME}, and {@code /help}, over real sockets (rows with more than one client also on three cluster nodes). */
@Timeout(10)
class MsgHelpSpecTest {
    @RegisterExtension
    static final HermesServerExtension server = HermesServerExtension.withDefaults();

    @AcrossTopologies
    void aPrivateLineGoesToItsTargetOnly() {
        List<LineClient> abc = Clients.join(server, 3);
        abc.get(2).send("/nick Carol");
        abc.get(2).expectNext("NAME Carol");
        abc.get(0).awaitLine("RENAME 3 client3 Carol");
        abc.get(1).awaitLine("RENAME 3 client3 Carol");
        abc.get(0).send("/msg carol just for you");
        abc.get(2).expectLine("DM 1 client1 just for you");
        abc.get(0).send("/msg nobody hello");
        abc.get(0).expectNext("ERROR NO_SUCH_NAME no client named nobody");
        abc.get(0).send("/msg client1 me");
        abc.get(0).expectNext("ERROR BAD_ARGS .+");
        Clients.expectNoMore(abc.get(0), abc.get(1), abc.get(2));
    }

    @Test
    void helpListsTheCommands() {
        LineClient a = Clients.join(server, 1).get(0);
        a.send("/help");
        a.expectNext("HELP /nick .+");
        a.awaitLine("END HELP 10");
        a.expectNoMore();
    }
}
