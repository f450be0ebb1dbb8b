package io.ecsbluegreen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** `bluegreen help` reads as a table: every command at one indent, every description at one column. */
class HelpTextTest {
    private static final String COMMAND_INDENT = "  ";
    private static final int DESCRIPTION_COLUMN = 20;

    @Test
    void everyCommandStartsAtOneIndentAndEveryDescriptionAtOneColumn() {
        List<String> lines = Main.USAGE.lines().toList();
        int start = lines.indexOf("commands:") + 1;
        int end = lines.subList(start, lines.size()).indexOf("") + start;
        List<String> table = lines.subList(start, end);
        assertThat(table).hasSizeGreaterThan(10);
        for (String line : table) {
            assertThat(line).as("help line out of the table").matches(
                    // a description alone (continued, or under a long command): at the column
                    " {" + DESCRIPTION_COLUMN + "}\\S.*"
                    // a command alone: at the indent, no description after it
                    + "|" + COMMAND_INDENT + "\\S(?!.*  ).*"
                    // a command and its description, which starts at the column
                    + "|" + COMMAND_INDENT + "\\S[^ ]*(?: [^ ]+)* {2,}(?<=^.{" + DESCRIPTION_COLUMN + "})\\S.*");
        }
    }

    @Test
    void theHelpNamesEveryCommandTheCliAnswers() {
        for (String command : List.of("demo", "run", "status", "promote", "abort", "retry", "sources", "plan", "validate",
                "simulate", "schema", "help")) {
            assertThat(Main.USAGE).as(command).containsPattern("(?m)^  " + command + "\\b");
        }
    }
}
