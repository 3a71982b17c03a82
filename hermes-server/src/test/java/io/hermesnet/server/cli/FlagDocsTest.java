package io.hermesnet.server.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The flag tables a user reads (README.md, docs/server.md) and the defaults {@code --help} prints, held
 * against the command itself: every option is in both tables under its own value label, with the default
 * the help shows, and the help's default is the one the command applies. Adding a flag without its row,
 * or changing a default in one place only, fails here.
 */
@Timeout(30)
class FlagDocsTest {
    /** The default in an option's help text: {@code (default: 1s)} or {@code (default: 0, one per core)}. */
    private static final Pattern HELP_DEFAULT = Pattern.compile("\\(default: ([^,)]+)[,)]");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern ROOT_LEVEL = Pattern.compile("<Root level=\"(\\w+)\"");

    /** One row of a flag table: the flag, its value label ({@code ""} for a switch), the default column. */
    private record Row(String flag, String label, String defaultCell) {
    }

    private static CommandLine commandLine() {
        return HermesServerCommand.commandLine(new HermesServerCommand(new HermesServerCommandTest.FakeSignals()));
    }

    private static List<OptionSpec> documentedOptions() {
        return commandLine().getCommandSpec().options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp())
                .toList();
    }

    /** The option's description as {@code --help} renders it, variables such as {@code ${DEFAULT-VALUE}} filled in. */
    private static String helpText(CommandLine cmd, OptionSpec option) {
        CommandLine.Help help = cmd.getHelp();
        CommandLine.Help.Ansi.Text[][] rows = help.createDefaultOptionRenderer()
                .render(option, help.createDefaultParamLabelRenderer(), help.colorScheme());
        return Arrays.stream(rows).map(r -> r[r.length - 1].plainString().strip()).collect(Collectors.joining(" "));
    }

    /** The default {@code --help} prints for each option, by its longest name. */
    private static Map<String, String> helpDefaults() {
        CommandLine cmd = commandLine();
        Map<String, String> defaults = new LinkedHashMap<>();
        for (OptionSpec option : documentedOptions()) {
            String text = helpText(cmd, option);
            Matcher m = HELP_DEFAULT.matcher(text);
            assertTrue(m.find(), option.longestName() + " shows no (default: …) in --help: " + text);
            defaults.put(option.longestName(), m.group(1));
        }
        return defaults;
    }

    private static String usage() {
        StringWriter out = new StringWriter();
        CommandLine cmd = commandLine();
        cmd.setOut(new PrintWriter(out, true));
        assertEquals(0, cmd.execute("--help"));
        return out.toString().replaceAll("\\s+", " ");
    }

    @Test
    void helpShowsEveryDefaultAsTheCommandApplies() throws IOException {
        Map<String, String> shown = helpDefaults();
        String usage = usage();
        for (OptionSpec option : documentedOptions()) {
            String name = option.longestName();
            String printed = shown.get(name);
            assertTrue(usage.contains("(default: " + printed), name + ": --help does not print its default:\n" + usage);
            if (option.defaultValue() != null) {
                assertEquals(option.defaultValue(), printed, name + ": --help shows another default than it applies");
            } else if (option.type() == boolean.class) {
                assertEquals("off", printed, name + " is a switch: off unless given");
            } else {
                // no picocli default: the command decides, and the help must say what it decides
                switch (name) {
                    case "--port" -> assertEquals(Integer.toString(HermesServerCommand.DEFAULT_PORT), printed, name);
                    case "--log-level" -> assertEquals(applicationRootLevel(), printed, name);
                    case "--node-id" -> {
                        assertEquals("host-pid", printed, name);
                        assertTrue(io.hermesnet.state.LocalStateLog.defaultNodeId()
                                .endsWith("-" + ProcessHandle.current().pid()), name + ": the default is not host-pid");
                    }
                    case "--ws-origin" -> assertEquals("the page's own origin", printed,
                            name + ": without a list only the page --http-port serves may open /ws");
                    default -> assertEquals("off", printed, name + ": without a value this flag's feature is off");
                }
            }
        }
    }

    /** The root level of the application's own log4j2.xml: what the server logs at without --log-level. */
    private static String applicationRootLevel() throws IOException {
        try (InputStream in = HermesServerMain.class.getClassLoader().getResourceAsStream("log4j2.xml")) {
            assertNotNull(in, "the application's log4j2.xml is not on the class path");
            Matcher m = ROOT_LEVEL.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertTrue(m.find(), "no <Root level=…> in log4j2.xml");
            return m.group(1).toLowerCase(java.util.Locale.ROOT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"README.md, ## hermes-server flags", "docs/server.md, ## Flags"})
    void flagTableListsEveryOptionWithItsLabelAndTheHelpDefault(String doc, String heading) throws IOException {
        List<String> section = section(repositoryFile(doc), heading);
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : section) {
            if (line.startsWith("| `-")) {
                String[] cells = line.split("\\s*\\|\\s*");
                Matcher m = CODE.matcher(cells[1]);
                while (m.find()) {
                    String[] words = m.group(1).split(" ", 2);
                    if (words[0].startsWith("-")) {
                        rows.put(words[0], new Row(words[0], words.length > 1 ? words[1] : "", cells[2].replace("`", "")));
                    }
                }
            }
        }
        assertFalse(rows.isEmpty(), doc + ": no flag table under '" + heading + "'");
        assertTrue(section.stream().anyMatch(l -> l.startsWith("| `-") && l.contains("`PORT`")),
                doc + ": the positional PORT is not in the table");

        CommandLine cmd = commandLine();
        Map<String, String> defaults = helpDefaults();
        List<String> problems = new ArrayList<>();
        for (OptionSpec option : cmd.getCommandSpec().options()) {
            List<Row> listed = Arrays.stream(option.names()).map(rows::get).filter(r -> r != null).toList();
            if (listed.isEmpty()) {
                problems.add(String.join("/", option.names()) + " is not in the table");
                continue;
            }
            for (Row row : listed) {
                String label = option.type() == boolean.class || option.usageHelp() || option.versionHelp() ? "" : option.paramLabel();
                if (!row.label().equals(label)) {
                    problems.add(row.flag() + " is written '" + (row.flag() + " " + row.label()).strip()
                            + "', the command takes '" + (row.flag() + " " + label).strip() + "'");
                }
                String expected = option.usageHelp() || option.versionHelp() ? "" : defaults.get(option.longestName());
                if (!row.defaultCell().equals(expected)) {
                    problems.add(row.flag() + " default is '" + row.defaultCell() + "', --help says '" + expected + "'");
                }
            }
        }
        for (String flag : rows.keySet()) {
            if (!cmd.getCommandSpec().optionsMap().containsKey(flag)) {
                problems.add(flag + " is in the table but the command has no such flag");
            }
        }
        assertTrue(problems.isEmpty(), doc + " and the command disagree:\n  " + String.join("\n  ", problems));
    }

    /** The lines under {@code heading} up to the next heading of the same level. */
    private static List<String> section(Path file, String heading) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int start = lines.indexOf(heading);
        assertTrue(start >= 0, file + " has no heading '" + heading + "'");
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = start + 1;
        while (end < lines.size() && !lines.get(end).startsWith(level)) {
            end++;
        }
        return lines.subList(start + 1, end);
    }

    /** A file of the repository: the tests run in the module's folder, one below the root. */
    private static Path repositoryFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative)) && Files.isDirectory(dir.resolve("hermes-server"))) {
                return dir.resolve(relative);
            }
        }
        return fail("no " + relative + " above " + Path.of("").toAbsolutePath());
    }
}
