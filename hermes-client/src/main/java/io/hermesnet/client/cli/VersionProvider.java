package io.hermesnet.client.cli;

import io.netty.util.Version;
import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code -V}: this client's version (from the build), Netty's and Java's. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        Version netty = Version.identify(VersionProvider.class.getClassLoader()).get("netty-transport");
        return new String[] {
                "hermes-client " + p.getProperty("version", "unknown"),
                "Netty " + (netty != null ? netty.artifactVersion() : "unknown") + ", Java " + System.getProperty("java.version")
        };
    }
}
