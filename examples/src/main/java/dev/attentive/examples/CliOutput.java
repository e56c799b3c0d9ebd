package dev.attentive.examples;

import java.io.Console;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Where one run of the command line writes, and how much: results on standard output always, the
 * narration of a run (what was loaded, filtered, split) on standard output unless {@code --quiet},
 * errors and log lines on standard error, and progress bars on standard error only when it is a
 * terminal and the run is not quiet.
 *
 * <p>Every write takes one lock and first wipes a progress bar that is on screen, so a result line
 * never lands on the same terminal line as a bar; the bar is redrawn at its next tick. Thread safe:
 * bars are drawn from the progress bar library's own thread, epochs may be reported from training
 * threads.
 */
final class CliOutput {
    /** How much a run prints besides its results. */
    enum Verbosity {
        /** Results and errors only. */
        QUIET,
        /** Results, narration, progress bars, warnings. */
        NORMAL,
        /** Also DEBUG logs and stack traces. */
        VERBOSE
    }

    /**
     * For tests: {@code TRUE} draws progress bars whatever standard error is, {@code FALSE} never;
     * null (the default) asks the operating system whether standard error is a terminal.
     */
    static volatile Boolean terminalOverride;

    /** Bars are cut to the terminal's width, this one when it cannot be found. */
    private static final int DEFAULT_WIDTH = 80;

    private final PrintWriter out;
    private final PrintWriter err;
    private final Verbosity verbosity;
    private final boolean bars;
    private final int width;
    private final Object lock = new Object();
    /** Characters of a bar now on the terminal line (0: none). Guarded by {@link #lock}. */
    private int barChars;

    CliOutput(PrintWriter out, PrintWriter err, Verbosity verbosity, boolean terminal) {
        this.out = out;
        this.err = err;
        this.verbosity = verbosity;
        this.bars = terminal && verbosity != Verbosity.QUIET;
        this.width = bars ? width() : DEFAULT_WIDTH;
    }

    /** An output for a run of a command line with these writers, drawing bars when standard error is a terminal. */
    static CliOutput of(PrintWriter out, PrintWriter err, Verbosity verbosity) {
        Boolean override = terminalOverride;
        return new CliOutput(out, err, verbosity, override != null ? override : stderrIsTerminal());
    }

    Verbosity verbosity() {
        return verbosity;
    }

    boolean quiet() {
        return verbosity == Verbosity.QUIET;
    }

    boolean verbose() {
        return verbosity == Verbosity.VERBOSE;
    }

    /** A result line: printed whatever the verbosity. */
    void result(String line) {
        write(out, line);
    }

    /** A formatted result line ({@link Locale#ROOT}). */
    void resultf(String format, Object... args) {
        result(String.format(Locale.ROOT, format, args));
    }

    /** A narration line: printed unless quiet. */
    void info(String line) {
        if (!quiet()) {
            write(out, line);
        }
    }

    /** A formatted narration line ({@link Locale#ROOT}). */
    void infof(String format, Object... args) {
        if (!quiet()) {
            info(String.format(Locale.ROOT, format, args));
        }
    }

    /** A line on standard error (errors, log records): printed whatever the verbosity. */
    void error(String line) {
        write(err, line);
    }

    /** A stack trace on standard error. */
    void stackTrace(Throwable t) {
        synchronized (lock) {
            wipeBar();
            t.printStackTrace(err);
            err.flush();
        }
    }

    /**
     * A stream whose lines are narration ({@link #info}), for code that logs to a {@link PrintStream}.
     *
     * @return the stream; closing it flushes a last unterminated line
     */
    PrintStream infoStream() {
        return new PrintStream(new OutputStream() {
            private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

            @Override
            public void write(int b) {
                if (b == '\n') {
                    flushLine();
                } else {
                    line.write(b);
                }
            }

            @Override
            public void close() {
                if (line.size() > 0) {
                    flushLine();
                }
            }

            private void flushLine() {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                info(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
            }
        }, true, StandardCharsets.UTF_8);
    }

    /**
     * A progress bar on standard error, or one that draws nothing when bars are off.
     *
     * @param task what is in progress, e.g. {@code two-tower seed 2020}
     * @param max the steps to completion, or -1 when unknown (the bar then shows elapsed time only)
     * @param unit what a step is, e.g. {@code epochs}
     * @return the bar; close it when the step ends (it then leaves the screen)
     */
    Progress progress(String task, long max, String unit) {
        if (!bars) {
            return Progress.NONE;
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).clearDisplayOnFinish()
                .setMaxRenderedLength(width - 1).setConsumer(new Consumer()).build();
        return new Progress() {
            @Override
            public void step() {
                bar.step();
            }

            @Override
            public void stepTo(long n) {
                bar.stepTo(n);
            }

            @Override
            public void message(String text) {
                bar.setExtraMessage(text);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }

    private void write(PrintWriter target, String line) {
        synchronized (lock) {
            wipeBar();
            target.println(line);
            target.flush();
        }
    }

    /** Clears the bar's terminal line so that the next write starts at its first column. Holds {@link #lock}. */
    private void wipeBar() {
        if (barChars > 0) {
            err.print("\r" + " ".repeat(barChars) + "\r");
            err.flush();
            barChars = 0;
        }
    }

    /** Draws the library's rendered bars on {@link #err}, one terminal line, under {@link #lock}. */
    private final class Consumer implements ProgressBarConsumer {
        @Override
        public int getMaxRenderedLength() {
            return width - 1;
        }

        @Override
        public void accept(String rendered) {
            synchronized (lock) {
                String line = rendered.length() > width - 1 ? rendered.substring(0, width - 1) : rendered;
                // Pads over what a longer previous rendering left on the line.
                err.print("\r" + line + " ".repeat(Math.max(0, barChars - line.length())));
                err.flush();
                barChars = Math.max(line.length(), 1);
            }
        }

        @Override
        public void clear() {
            synchronized (lock) {
                wipeBar();
            }
        }

        @Override
        public void close() {
            synchronized (lock) {
                err.flush();
            }
        }
    }

    /** A progress bar of a long step; {@link #NONE} draws nothing. Not thread safe beyond what the bar library gives. */
    interface Progress extends AutoCloseable {
        /** A bar that draws nothing. */
        Progress NONE = new Progress() {
        };

        /** One step done. */
        default void step() {
        }

        /**
         * Steps done so far, e.g. the epoch just reported (a model may report an epoch more than once).
         *
         * @param n the steps done
         */
        default void stepTo(long n) {
        }

        /**
         * Text after the bar, e.g. the last epoch's loss.
         *
         * @param text the text
         */
        default void message(String text) {
        }

        /** The step ended: the bar leaves the screen. */
        @Override
        default void close() {
        }
    }

    /**
     * The terminal's width: {@code COLUMNS} when the shell exports it, else what {@code stty size}
     * says of the controlling terminal (Unix), else 80.
     */
    private static int width() {
        String columns = System.getenv("COLUMNS");
        if (columns != null) {
            try {
                int w = Integer.parseInt(columns.trim());
                return w >= 20 ? w : DEFAULT_WIDTH;
            } catch (NumberFormatException e) {
                return DEFAULT_WIDTH;
            }
        }
        java.io.File tty = new java.io.File("/dev/tty");
        if (!tty.exists()) {
            return DEFAULT_WIDTH;
        }
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(tty)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String[] size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
            if (stty.waitFor(2, java.util.concurrent.TimeUnit.SECONDS) && stty.exitValue() == 0 && size.length == 2) {
                int w = Integer.parseInt(size[1]);
                return w >= 20 ? w : DEFAULT_WIDTH;
            }
        } catch (IOException | NumberFormatException e) {
            // No usable terminal: the default width.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_WIDTH;
    }

    /**
     * Whether standard error is a terminal. On Linux, where file descriptor 2 points; elsewhere
     * {@link System#console()} (which looks at standard input and output, the best the JDK offers),
     * with JDK 22's {@code Console.isTerminal()} where it exists.
     */
    static boolean stderrIsTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        if (Files.exists(fd)) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // before JDK 22, System.console() is null unless attached to a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
