package dev.attentive.eval.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A main for the evaluation commands: {@code evaluate}, {@code profile} and {@code fetch}. The
 * all-in-one jar of {@code examples} registers the same command classes as its subcommands.
 */
@Command(name = "attentive-eval", mixinStandardHelpOptions = true,
        subcommands = {EvaluateCommand.class, ProfileCommand.class, FetchCommand.class},
        description = "Attentive's evaluation harness.")
public final class EvalMain {
    /** Held strongly so that the level set in {@link #run} is not lost to garbage collection. */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    /** Creates the command holder (picocli needs a public no-argument constructor). */
    public EvalMain() {
    }

    /**
     * Runs a command line and exits with its status.
     *
     * @param args the arguments, e.g. {@code evaluate --dataset ml-100k --models pop,ease}
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs a command line.
     *
     * @param args the arguments
     * @return the exit status: 0 on success, 1 on bad input (the message says why), 2 on a usage error
     */
    public static int run(String... args) {
        System.setProperty("java.awt.headless", "true");
        // Tribuo logs two INFO lines per trained model through java.util.logging; on a command line
        // that is noise between the result rows. The library itself leaves logging configuration alone.
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
        CommandLine cli = new CommandLine(new EvalMain());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
