package dev.attentive.examples;

import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code attentive} command: {@code java -jar attentive.jar <command> ...}. The one command line
 * of the project; the evaluation harness's {@code evaluate}, {@code tune}, {@code profile} and
 * {@code fetch} are its subcommands.
 *
 * <p>Output: results on standard output; narration (what was loaded, filtered, split) on standard
 * output unless {@code --quiet}; progress bars for long steps on standard error when it is a terminal
 * and the run is not quiet; warnings and errors on standard error, one line each. {@code --verbose}
 * adds Attentive's DEBUG logs and stack traces. The libraries log through {@link System.Logger};
 * for the length of a run the command line shows those records as such lines (see
 * {@link CliLogging}).
 *
 * <p>Exit status: 0 on success; 2 on bad usage or bad input (an unknown option or model, a malformed
 * data file, a missing file or folder), with one line {@code error: <message>} on standard error and
 * no stack trace; 1 on an internal failure, with one line that says to rerun with {@code --verbose}
 * for the stack trace.
 */
@Command(name = "attentive", mixinStandardHelpOptions = true, version = "attentive 0.2.0-SNAPSHOT",
        description = "Two-tower retrieval recommendation with attention, in the JVM.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:success", "1:internal failure (rerun with --verbose for the stack trace)",
                "2:bad usage or bad input (one line on standard error says why)"},
        subcommands = {DemoCommand.class, EvaluateCommand.class, TuneCommand.class, ProfileCommand.class, FetchCommand.class,
                RecommendCommand.class, BenchIndexCommand.class, PluginsCommand.class,
                ServeCommand.class, ExportOnnxCommand.class})
public final class AttentiveCli implements Runnable {
    /** Exit status of a run that succeeded. */
    static final int OK = 0;
    /** Exit status of an internal failure. */
    static final int INTERNAL_FAILURE = 1;
    /** Exit status of bad usage or bad input. */
    static final int BAD_INPUT = 2;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Print only results and errors: no narration, no progress bars, no warnings")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Also print Attentive's DEBUG logs (per-epoch training detail) and stack traces")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** This run's output, set when the run starts. */
    private CliOutput output;

    /** Creates the command (for picocli). */
    public AttentiveCli() {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line in this JVM, with plots drawn headless.
     *
     * @param args the arguments, e.g. {@code evaluate --dataset ml-100k --models pop,ease}
     * @return the exit status: 0 on success, 2 on bad usage or bad input (one line
     *     {@code error: <message>} on standard error says why), 1 on an internal failure
     */
    public static int run(String... args) {
        System.setProperty("java.awt.headless", "true");
        return commandLine().execute(args);
    }

    /**
     * The command line with every subcommand, for embedding and tests; its exit statuses are those of
     * {@link #run(String...)}. It writes to the command line's {@link CommandLine#getOut() out} and
     * {@link CommandLine#getErr() err} writers, so a caller captures a run by setting them. For the
     * length of a run it routes java.util.logging to its standard error, and restores it afterwards.
     *
     * @return a new command line
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new AttentiveCli());
        cli.setParameterExceptionHandler(AttentiveCli::badUsage);
        cli.setExecutionExceptionHandler(AttentiveCli::failed);
        cli.setExecutionStrategy(AttentiveCli::execute);
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** This run's output; outside a run (a command constructed directly), the JVM's standard streams. */
    CliOutput output() {
        if (output == null) {
            output = CliOutput.of(new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                    CliOutput.Verbosity.NORMAL);
        }
        return output;
    }

    private static int execute(ParseResult parseResult) {
        CommandLine cli = parseResult.commandSpec().commandLine();
        AttentiveCli root = (AttentiveCli) cli.getCommand();
        if (root.quiet && root.verbose) {
            throw new ParameterException(cli, "--quiet and --verbose cannot be used together");
        }
        CliOutput.Verbosity verbosity = root.quiet ? CliOutput.Verbosity.QUIET
                : root.verbose ? CliOutput.Verbosity.VERBOSE : CliOutput.Verbosity.NORMAL;
        root.output = CliOutput.of(cli.getOut(), cli.getErr(), verbosity);
        CliLogging logging = CliLogging.install(root.output);
        try {
            return new CommandLine.RunLast().execute(parseResult);
        } finally {
            logging.close();
        }
    }

    /** Bad usage: one line, with picocli's suggestion when it has one, and where the help is. */
    private static int badUsage(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        String suggestion = "";
        if (e instanceof UnmatchedArgumentException u) {
            List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) {
                suggestion = "; did you mean " + String.join(" or ", suggestions) + "?";
            }
        }
        PrintWriter err = cli.getErr();
        err.println("error: " + oneLine(e.getMessage()) + suggestion + " (see '"
                + cli.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return BAD_INPUT;
    }

    /** A command failed: bad input is one line and status 2; anything else is an internal failure. */
    private static int failed(Exception e, CommandLine cli, ParseResult parseResult) {
        CommandLine top = cli;
        while (top.getParent() != null) {
            top = top.getParent();
        }
        CliOutput output = ((AttentiveCli) top.getCommand()).output();
        String badInput = badInputMessage(e);
        if (badInput != null) {
            output.error("error: " + badInput);
            if (output.verbose()) {
                output.stackTrace(e);
            }
            return BAD_INPUT;
        }
        output.error("error: internal failure: " + oneLine(e.toString())
                + (output.verbose() ? "" : " (rerun with --verbose for the stack trace)"));
        if (output.verbose()) {
            output.stackTrace(e);
        }
        return INTERNAL_FAILURE;
    }

    /**
     * The one-line message of an exception that means bad input, or null for an internal failure.
     * Bad input: an {@link IllegalArgumentException} (which includes the config and data format
     * exceptions), and a file that is missing, not a directory, not allowed or already there.
     */
    static String badInputMessage(Throwable e) {
        if (e instanceof IllegalArgumentException) {
            return oneLine(String.valueOf(e.getMessage()));
        }
        Throwable io = e instanceof UncheckedIOException ? e.getCause() : e;
        String file = fileProblem(io);
        if (file == null) {
            return null;
        }
        return oneLine(e instanceof UncheckedIOException && e.getMessage() != null
                && !e.getMessage().equals(String.valueOf(io)) ? e.getMessage() + ": " + file : file);
    }

    /** What went wrong with which file, or null when the exception is not about a file. */
    private static String fileProblem(Throwable io) {
        if (io instanceof FileSystemException f) {
            String what = f instanceof NoSuchFileException ? "no such file or directory"
                    : f instanceof AccessDeniedException ? "permission denied"
                    : f instanceof NotDirectoryException ? "not a directory"
                    : f instanceof FileAlreadyExistsException ? "already exists"
                    : f.getReason() != null ? f.getReason() : "cannot be used";
            return f.getFile() + ": " + what + (f.getOtherFile() != null ? " (" + f.getOtherFile() + ")" : "");
        }
        if (io instanceof FileNotFoundException f) {
            return f.getMessage();
        }
        return null;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
