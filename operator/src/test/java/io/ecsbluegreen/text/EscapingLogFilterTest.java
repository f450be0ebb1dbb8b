package io.ecsbluegreen.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class EscapingLogFilterTest {
    final EscapingLogFilter filter = new EscapingLogFilter();

    @Test
    void aPrintfMessageWithBellEscapeAndNewlineInItsParametersIsWrittenEscaped() {
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, "source %s: %s", ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[] {"dir:/srv", "bad\u0007\u001b[2J.yaml\nINFO forged line"});

        assertThat(filter.isLoggable(record)).isTrue();

        assertThat(record.getFormattedMessage()).isEqualTo("source dir:/srv: bad\\x07\\x1B[2J.yaml\\nINFO forged line");
    }

    @Test
    void aMessageFormatRecordAndAPlainJulRecordAreEscapedToo() {
        ExtLogRecord ext = new ExtLogRecord(Level.INFO, "file {0}", ExtLogRecord.FormatStyle.MESSAGE_FORMAT, "test");
        ext.setParameters(new Object[] {"\u202Eevil"});
        LogRecord jul = new LogRecord(Level.INFO, "value {0}");
        jul.setParameters(new Object[] {"\u001b]0;title\u0007"});

        filter.isLoggable(ext);
        filter.isLoggable(jul);

        assertThat(ext.getFormattedMessage()).isEqualTo("file \\u202Eevil");
        assertThat(jul.getMessage()).isEqualTo("value \\x1B]0;title\\x07");
        assertThat(jul.getParameters()).isNull();
    }

    @Test
    void escapingTwiceChangesNothingMore() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "a\u0007", ExtLogRecord.FormatStyle.NO_FORMAT, "test");
        filter.isLoggable(record);
        filter.isLoggable(record); // a record passes every handler's filter
        assertThat(record.getFormattedMessage()).isEqualTo("a\\x07");
    }

    @Test
    void theConsoleAndFileHandlersUseTheFilter() throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(Path.of("src/main/resources/application.properties"))));
        assertThat(properties.getProperty("quarkus.log.console.filter")).isEqualTo(EscapingLogFilter.NAME);
        assertThat(properties.getProperty("quarkus.log.file.filter")).isEqualTo(EscapingLogFilter.NAME);
    }
}
