package io.hermesnet.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.hermesnet.hub.ClientConnection;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelOutboundInvoker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shape of hermes-core that docs/design.md "Packages" draws, checked on the compiled classes: the
 * packages depend one way (no cycles), and a line reaches a client only through its
 * {@link ClientConnection}.
 */
class ArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.hermesnet");
    }

    @Test
    void theImportSeesHermesCore() {
        assertTrue(core.containPackage("io.hermesnet.hub") && core.containPackage("io.hermesnet.server"),
                "the rules below would pass on nothing");
    }

    @Test
    void packagesDependOneWay() {
        ArchRule rule = slices().matching("io.hermesnet.(*)..").should().beFreeOfCycles();
        rule.check(core);
    }

    @Test
    void theProtocolModelDependsOnNothingElseOfHermesNet() {
        noClasses().that().resideInAPackage("io.hermesnet.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hermesnet.codec..", "io.hermesnet.hub..",
                        "io.hermesnet.handler..", "io.hermesnet.server..", "io.hermesnet.state..",
                        "io.hermesnet.telemetry..", "io.hermesnet.client..", "io.hermesnet.tls..")
                .check(core);
    }

    @Test
    void theInternalsAreLeavesThatNoPublicSignatureExposes() {
        noClasses().that().resideInAPackage("io.hermesnet.internal..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hermesnet.hub..", "io.hermesnet.handler..",
                        "io.hermesnet.server..", "io.hermesnet.state..", "io.hermesnet.codec..", "io.hermesnet.websocket..")
                .check(core);
        noMethods().that().areDeclaredInClassesThat().resideOutsideOfPackage("io.hermesnet.internal..")
                .and().arePublic()
                .should().haveRawReturnType(resideInAPackage("io.hermesnet.internal.."))
                .check(core);
    }

    @Test
    void onlyTheClientConnectionWritesLinesToAServerChannel() {
        // outbound stages (coalescer, backpressure, byte counting, telnet and TLS framing) pass writes on
        // below the connection; no handler or hub class writes a line past it
        noClasses().that().resideInAnyPackage("io.hermesnet.handler..", "io.hermesnet.hub..")
                .and(not(equivalentTo(ClientConnection.class)))
                .and(not(assignableTo(ChannelOutboundHandler.class)))
                .should().callMethodWhere(DescribedPredicate.describe("a write to a channel",
                        call -> call.getTarget().getOwner().isAssignableTo(ChannelOutboundInvoker.class)
                                && (call.getTarget().getName().equals("write")
                                || call.getTarget().getName().equals("writeAndFlush"))))
                .as("only ClientConnection writes lines to a client channel (docs/design.md \"One way out per client\")")
                .check(core);
    }
}
