package io.ecsbluegreen.text;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Escapes control characters in every log message before a handler writes it ({@link Escapes#printable}):
 * messages carry file names, spec values, source errors and HTTP details that anyone able to write a file
 * or send a request controls, and a raw ESC or newline there would recolour a terminal or forge a log
 * line. Installed on the console (and file) handler as {@value #NAME} in application.properties. The
 * message is formatted here once and kept as plain text, so escaping the parameters cannot be undone by
 * the format.
 */
@LoggingFilter(name = EscapingLogFilter.NAME)
public final class EscapingLogFilter implements Filter {
    /** The name application.properties refers to. */
    public static final String NAME = "escape-control-characters";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String formatted = ext.getFormattedMessage();
            String escaped = Escapes.printable(formatted);
            if (formatted != null && (escaped != formatted || ext.getParameters() != null)) {
                ext.setMessage(escaped, ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            }
        } else if (record.getMessage() != null) {
            String formatted = new SimpleFormatter().formatMessage(record);
            record.setMessage(Escapes.printable(formatted));
            record.setParameters(null);
        }
        return true;
    }
}
