package io.hermesnet.internal;

import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * What the JIT compiler is doing, for the start-up warm-ups of hermes-server and of a cluster node
 * (docs/server.md "Warm-up"). Not API (see the package).
 */
public final class Jit {
    private Jit() {
    }

    /**
     * Whether C2 has nothing queued and nothing in progress ({@code jcmd Compiler.queue}, asked in-process). A
     * quiet round alone is not enough: when two JVMs warm up on one core, C2 can be a queue behind, and what
     * it has not compiled yet compiles during the first flood. True when the answer cannot be read (not
     * HotSpot). Takes about a millisecond; any thread.
     */
    public static boolean c2Idle() {
        try {
            String queue = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerQueue",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            int c2 = queue.indexOf("C2 compile queue:");
            return c2 < 0 || !queue.contains("C2 CompilerThread")
                    && queue.substring(c2 + "C2 compile queue:".length()).strip().startsWith("Empty");
        } catch (JMException | RuntimeException e) {
            return true;
        }
    }
}
