package io.hermesnet.server.cli;

import io.netty.util.Version;
import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The {@code -V} text: the hermes-server version (from the {@code pom.properties} Maven puts in the
 * jar; "development build" when run from {@code target/classes}), the Netty version and the Java runtime.
 */
public final class VersionProvider implements IVersionProvider {
    private static final String POM_PROPERTIES = "/META-INF/maven/io.hermesnet/hermes-server/pom.properties";

    @Override
    public String[] getVersion() {
        Version netty = Version.identify(VersionProvider.class.getClassLoader()).get("netty-common");
        return new String[] {
                "hermes-server " + ownVersion(),
                "Netty " + (netty == null ? "unknown" : netty.artifactVersion()),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }

    /** The hermes-server version, or {@code (development build)} when not run from the jar. */
    static String ownVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return "(development build)";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "(unknown version)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
