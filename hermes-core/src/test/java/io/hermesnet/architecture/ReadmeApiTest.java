package io.hermesnet.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Embedding hermes-core" section names only public classes of hermes-core's public packages:
 * what it tells an embedder to use exists, is public, and is where the section says.
 */
class ReadmeApiTest {
    private static final List<String> PUBLIC_PACKAGES = List.of("io.hermesnet.server", "io.hermesnet.hub",
            "io.hermesnet.handler", "io.hermesnet.codec", "io.hermesnet.protocol", "io.hermesnet.state",
            "io.hermesnet.telemetry", "io.hermesnet.client", "io.hermesnet.tls", "io.hermesnet.config");

    private static String embeddingSection() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("## Embedding hermes-core");
        assertTrue(start >= 0, "README has an embedding section");
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    @Test
    void everyHermesClassTheEmbeddingSectionNamesIsPublicApi() throws IOException {
        String section = embeddingSection();
        Set<String> named = new TreeSet<>();
        Matcher m = Pattern.compile("\\b(Hermes[A-Z]\\w*|ClientConnection|ClientCommand|ServerEvent\\w*|Transport|Session|StateLog)\\b")
                .matcher(section);
        while (m.find()) {
            named.add(m.group(1));
        }
        named.remove("HermesNet"); // the product's name
        named.remove("HermesServerExtension"); // hermes-testkit's, which the section points to for tests
        assertTrue(named.size() >= 6, "the section names the classes an embedder uses: " + named);
        List<String> missing = new ArrayList<>();
        for (String simple : named) {
            Class<?> found = null;
            for (String pkg : PUBLIC_PACKAGES) {
                try {
                    found = Class.forName(pkg + "." + simple);
                    break;
                } catch (ClassNotFoundException e) {
                    // try the next package
                }
            }
            if (found == null || !Modifier.isPublic(found.getModifiers())) {
                missing.add(simple);
            }
        }
        assertEquals(List.of(), missing, "named in the README's embedding section but not public API");
    }

    @Test
    void thePackagesTheSectionListsExist() throws IOException {
        Matcher m = Pattern.compile("`(io\\.hermesnet\\.[a-z.]+)`").matcher(embeddingSection());
        List<String> unknown = new ArrayList<>();
        while (m.find()) {
            if (!PUBLIC_PACKAGES.contains(m.group(1))) {
                unknown.add(m.group(1));
            }
        }
        assertEquals(List.of(), unknown);
    }
}
