package io.ecsbluegreen.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what the io.ecsbluegreen.notify logger writes, at every level, with exceptions. */
final class LogCapture extends Handler implements AutoCloseable {
    private static final String CATEGORY = "io.ecsbluegreen.notify";
    private final List<String> lines = new ArrayList<>();
    private final Logger logger = Logger.getLogger(CATEGORY);
    private final Level before;
    private final Formatter formatter = new Formatter() {
        @Override
        public String format(LogRecord record) {
            return formatMessage(record);
        }
    };

    LogCapture() {
        before = logger.getLevel();
        logger.setLevel(Level.ALL);
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        String text;
        if (record instanceof org.jboss.logmanager.ExtLogRecord) {
            text = ((org.jboss.logmanager.ExtLogRecord) record).getFormattedMessage();
        } else {
            text = formatter.format(record);
        }
        if (record.getThrown() != null) text += " " + record.getThrown();
        lines.add(record.getLevel() + " " + text);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized String all() {
        return String.join("\n", lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(before);
    }
}
