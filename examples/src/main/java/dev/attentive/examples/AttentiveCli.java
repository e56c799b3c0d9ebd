package dev.attentive.examples;

import dev.attentive.eval.cli.EvaluateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code attentive} command: {@code java -jar attentive.jar <command> ...}.
 */
@Command(name = "attentive", mixinStandardHelpOptions = true, version = "attentive 0.1.0-SNAPSHOT",
        description = "Two-tower retrieval recommendation with attention, in the JVM.",
        subcommands = {DemoCommand.class, EvaluateCommand.class, RecommendCommand.class, PluginsCommand.class})
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
