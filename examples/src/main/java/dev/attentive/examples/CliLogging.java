package dev.attentive.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes log records to the command line's standard error for one run, one line each
 * ({@code warning: ...}), through {@link CliOutput} so that they never tear a progress bar.
 *
 * <p>The libraries log through {@link System.Logger}, whose default backend is java.util.logging;
 * for the run, this replaces the root logger's handlers (the JDK's console handler would print each
 * record on two lines, and a second time beside ours) and sets the levels: errors only under
 * {@code --quiet}; warnings by default (a library's INFO summary repeats what the command prints);
 * DEBUG of Attentive's own loggers under {@code --verbose}. {@link #close()} puts everything back,
 * so a host that embeds the command line keeps its logging. Where System.Logger is routed elsewhere
 * (e.g. to SLF4J by {@code slf4j-jdk-platform-logging}), that backend's configuration decides.
 */
final class CliLogging implements AutoCloseable {
    private final Logger root = Logger.getLogger("");
    /** Held strongly: java.util.logging keeps loggers weakly, and a collected logger loses its level. */
    private final Logger attentive = Logger.getLogger("dev.attentive");
    private final List<Handler> saved = new ArrayList<>();
    private final Level savedRootLevel;
    private final Level savedAttentiveLevel;
    private final Handler handler;

    private CliLogging(CliOutput output) {
        savedRootLevel = root.getLevel();
        savedAttentiveLevel = attentive.getLevel();
        for (Handler h : root.getHandlers()) {
            saved.add(h);
            root.removeHandler(h);
        }
        Level level = switch (output.verbosity()) {
            case QUIET -> Level.SEVERE;
            case NORMAL -> Level.WARNING;
            case VERBOSE -> Level.INFO;
        };
        root.setLevel(level);
        attentive.setLevel(output.verbose() ? Level.FINE : null);
        handler = new LineHandler(output);
        handler.setLevel(output.verbose() ? Level.ALL : level);
        root.addHandler(handler);
    }

    /** Installs the routing for one run; close it when the run ends. */
    static CliLogging install(CliOutput output) {
        return new CliLogging(output);
    }

    @Override
    public void close() {
        root.removeHandler(handler);
        saved.forEach(root::addHandler);
        root.setLevel(savedRootLevel);
        attentive.setLevel(savedAttentiveLevel);
    }

    /** One line per record: {@code warning: message}; under --verbose with the logger and stack traces. */
    private static final class LineHandler extends Handler {
        private final CliOutput output;
        private final Formatter messages = new Formatter() {
            @Override
            public String format(LogRecord record) {
                return formatMessage(record);
            }
        };

        LineHandler(CliOutput output) {
            this.output = output;
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String message = messages.format(record);
            Throwable thrown = record.getThrown();
            if (output.verbose()) {
                output.error(name(record.getLevel()) + " [" + record.getLoggerName() + "] " + message);
                if (thrown != null) {
                    output.stackTrace(thrown);
                }
            } else {
                output.error(name(record.getLevel()) + ": " + message + (thrown != null ? " (" + thrown + ")" : ""));
            }
        }

        private static String name(Level level) {
            int v = level.intValue();
            return v >= Level.SEVERE.intValue() ? "error" : v >= Level.WARNING.intValue() ? "warning"
                    : v >= Level.INFO.intValue() ? "info" : v >= Level.FINE.intValue() ? "debug" : "trace";
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
