package dev.attentive.examples;

import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code attentive} command: {@code java -jar attentive.jar <command> ...}. The one command line
 * of the project; the evaluation harness's {@code evaluate}, {@code tune}, {@code profile} and {@code fetch} are
 * its subcommands.
 */
@Command(name = "attentive", mixinStandardHelpOptions = true, version = "attentive 0.2.0-SNAPSHOT",
        description = "Two-tower retrieval recommendation with attention, in the JVM.",
        subcommands = {DemoCommand.class, EvaluateCommand.class, TuneCommand.class, ProfileCommand.class, FetchCommand.class,
                RecommendCommand.class, BenchIndexCommand.class, PluginsCommand.class,
                ServeCommand.class})
public final class AttentiveCli implements Runnable {
    /** Held strongly so that the level set in {@link #run(String...)} is not lost to garbage collection. */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

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
     * Runs the command line in this JVM: plots are drawn headless, and Tribuo's per-model INFO lines
     * (java.util.logging) are silenced because the commands' own output says more.
     *
     * @param args the arguments, e.g. {@code evaluate --dataset ml-100k --models pop,ease}
     * @return the exit status: 0 on success, 1 on bad input (a one-line message on standard error
     *     says why), 2 on a usage error
     */
    public static int run(String... args) {
        System.setProperty("java.awt.headless", "true");
        TRIBUO_LOG.setLevel(Level.WARNING);
        return commandLine().execute(args);
    }

    /**
     * The command line with every subcommand, for embedding and tests. Bad input that a command
     * reports as an {@link IllegalArgumentException} is printed as {@code error: <message>} with exit
     * status 1 instead of a stack trace.
     *
     * @return a new command line
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new AttentiveCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
