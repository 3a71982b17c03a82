package io.hermesnet.testkit;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

import java.util.List;
import java.util.stream.Stream;

/**
 * The invocations of an {@link AcrossTopologies} test: one per {@link Topology}, each putting its topology
 * in the test's store, where {@link HermesServerExtension} reads it when it starts the servers.
 */
final class TopologyInvocations implements TestTemplateInvocationContextProvider {
    static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Topology.class);

    /** The topology of the test of {@code context}: the invocation's, {@link Topology#SINGLE} for a plain test. */
    static Topology of(ExtensionContext context) {
        Topology t = context == null ? null : context.getStore(NAMESPACE).get(Topology.class, Topology.class);
        return t == null ? Topology.SINGLE : t;
    }

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return AnnotationSupport.isAnnotated(context.getTestMethod(), AcrossTopologies.class);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        return Stream.of(Topology.values()).map(TopologyInvocations::invocation);
    }

    private static TestTemplateInvocationContext invocation(Topology topology) {
        return new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return "[" + topology + "]";
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of((BeforeEachCallback) c -> c.getStore(NAMESPACE).put(Topology.class, topology));
            }
        };
    }
}
