package dev.attentive.examples;

import dev.attentive.eval.cli.EvaluateCommand;
import dev.attentive.eval.cli.FetchCommand;
import dev.attentive.eval.cli.ProfileCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code attentive} command: {@code java -jar attentive.jar <command> ...}.
 */
@Command(name = "attentive", mixinStandardHelpOptions = true, version = "attentive 0.1.0-SNAPSHOT",
        description = "Two-tower retrieval recommendation with attention, in the JVM.",
        subcommands = {DemoCommand.class, EvaluateCommand.class, ProfileCommand.class, FetchCommand.class,
                RecommendCommand.class, BenchIndexCommand.class, PluginsCommand.class})
public final class AttentiveCli implements Runnable {

    /** Creates the command (for picocli). */
    public AttentiveCli() {
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        // Tribuo logs two INFO lines per trained model through java.util.logging; the CLI's own output says more.
        java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with every subcommand, for embedding and tests.
     *
     * @return a new command line
     */
    public static CommandLine commandLine() {
        return new CommandLine(new AttentiveCli());
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
