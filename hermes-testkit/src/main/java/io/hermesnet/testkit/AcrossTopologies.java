package io.hermesnet.testkit;

import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a socket test once per {@link Topology}: {@code [SINGLE]} and {@code [CLUSTER3]}. Use it instead
 * of {@code @Test} on a test that uses a {@link HermesServerExtension}; the extension starts the current
 * topology's servers on first use. Keep it for rows with more than one client: one client sees the same
 * on one node as on one server.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final HermesServerExtension server = HermesServerExtension.withDefaults(); // static: one Redis per class
 *
 * @AcrossTopologies
 * void chat() {
 *     LineClient a = server.join();   // node 0 in CLUSTER3
 *     LineClient b = server.join();   // node 1
 *     a.send("hello");
 *     b.await("MSG 1 client1 hello");
 *     a.expectNoMore();               // after the cluster barrier (Topology)
 * }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(TopologyInvocations.class)
public @interface AcrossTopologies {
}
