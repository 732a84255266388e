package io.lenetspark.failure;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every list of the exit codes that users read names the codes of {@link ExitCode}, in order, each
 * once, each with its {@link ExitCode#meaning()}: the README's "Exit codes" table, and the cron and
 * Airflow examples in submit/.
 */
class ExitCodeDocsTest {

    private static final Path README = Path.of("README.md");
    private static final Path CRON = Path.of("submit", "cron.example");
    private static final Path AIRFLOW = Path.of("submit", "airflow_lenet_dag.py");

    /** A code as one list gives it: its number and what the list says of it. */
    record Listed(int code, String text) {
    }

    @Test
    void readmeTableListsEveryCodeWithItsMeaning() throws IOException {
        requireEveryCode(README + ", \"Exit codes\"", readmeTable(Files.readString(README)), all());
    }

    @Test
    void cronExampleListsEveryCodeWithItsMeaning() throws IOException {
        requireEveryCode(CRON.toString(), oneCodePerLine(Files.readString(CRON)), all());
    }

    @Test
    void cronFailureLineNamesEveryFailureWithItsMeaning() throws IOException {
        List<ExitCode> failures = all().stream().filter(code -> code != ExitCode.SUCCESS).toList();
        requireEveryCode(CRON + ", the line mailed on failure", failureLine(Files.readString(CRON)), failures);
    }

    @Test
    void airflowExampleListsEveryCodeWithItsMeaning() throws IOException {
        requireEveryCode(AIRFLOW.toString(), oneCodePerLine(Files.readString(AIRFLOW)), all());
    }

    /** The rows {@code | code | meaning |} of the section "## Exit codes". */
    static List<Listed> readmeTable(String readme) {
        int start = readme.indexOf("\n## Exit codes\n");
        assertTrue(start >= 0, "README.md has a section \"## Exit codes\"");
        int end = readme.indexOf("\n#", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        return listed(Pattern.compile("(?m)^\\| *(\\d+) *\\| *(.+?) *\\|$").matcher(section));
    }

    /** The lines {@code N  meaning} right under the line that says "Exit codes", comment marks aside. */
    static List<Listed> oneCodePerLine(String text) {
        List<String> lines = text.lines().toList();
        int heading = 0;
        while (heading < lines.size() && !lines.get(heading).contains("Exit codes")) {
            heading++;
        }
        assertTrue(heading < lines.size(), "a line says \"Exit codes\"");
        Pattern entry = Pattern.compile("^[#\\s]*?\\s(\\d+) {2,}(.+)$");
        List<Listed> listed = new ArrayList<>();
        for (String line : lines.subList(heading + 1, lines.size())) {
            Matcher code = entry.matcher(line);
            if (!code.matches()) {
                break;
            }
            listed.add(new Listed(Integer.parseInt(code.group(1)), code.group(2)));
        }
        return listed;
    }

    /** The crontab line's {@code (1: ..., 2: ..., ...)} after "failed with exit $code". */
    static List<Listed> failureLine(String cron) {
        Matcher line = Pattern.compile("failed with exit \\$code \\((.+?)\\);").matcher(cron);
        assertTrue(line.find(), "the crontab line says \"failed with exit $code (...)\"");
        return listed(Pattern.compile("(\\d+): (.+?)(?=, \\d+: |$)").matcher(line.group(1)));
    }

    private static List<Listed> listed(Matcher entries) {
        List<Listed> listed = new ArrayList<>();
        while (entries.find()) {
            listed.add(new Listed(Integer.parseInt(entries.group(1)), entries.group(2)));
        }
        return listed;
    }

    private static List<ExitCode> all() {
        return Arrays.asList(ExitCode.values());
    }

    private static void requireEveryCode(String where, List<Listed> listed, List<ExitCode> expected) {
        assertEquals(expected.stream().map(ExitCode::code).toList(), listed.stream().map(Listed::code).toList(),
                where + ": the codes listed, in order, as ExitCode has them");
        for (int i = 0; i < expected.size(); i++) {
            ExitCode code = expected.get(i);
            String text = listed.get(i).text();
            assertTrue(text.toLowerCase(Locale.ROOT).contains(code.meaning()), where + ": code " + code.code()
                    + " reads \"" + text + "\", which does not say \"" + code.meaning() + "\" (ExitCode." + code + ")");
        }
    }
}
