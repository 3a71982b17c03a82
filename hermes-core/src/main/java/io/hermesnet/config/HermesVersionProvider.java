package io.hermesnet.config;

import io.netty.util.Version;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The {@code -V} text of every HermesNet command ({@code hermes-server}, {@code hermes-client},
 * {@code hermes-load}): three lines,
 * <pre>
 * hermes-server 0.1.0
 * Netty 4.2.18.Final
 * Java 17.0.12 (OpenJDK 64-Bit Server VM)
 * </pre>
 * The first names the command picocli runs (its {@code @Command(name)}) and the HermesNet version, which
 * is one for all modules: it comes from {@code io/hermesnet/config/version.properties}, filtered by the
 * hermes-core build, so it is right in a jar and in {@code target/classes} alike.
 *
 * <p>Use as {@code @Command(versionProvider = HermesVersionProvider.class)}. picocli is an optional
 * dependency of hermes-core: only the commands, which have it, load this class. picocli creates one
 * instance per command and injects the {@link CommandSpec}; {@link #getVersion} runs on the caller's thread.
 */
public final class HermesVersionProvider implements IVersionProvider {
    private static final String VERSION_RESOURCE = "version.properties";

    @Spec
    private CommandSpec spec;

    /** The HermesNet version, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} if the resource is missing. */
    public static String version() {
        try (InputStream in = HermesVersionProvider.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        Version netty = Version.identify(HermesVersionProvider.class.getClassLoader()).get("netty-common");
        String command = spec == null ? "hermes" : spec.root().name();
        return new String[] {
                command + " " + version(),
                "Netty " + (netty == null ? "unknown" : netty.artifactVersion()),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
