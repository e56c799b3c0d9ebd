package dev.attentive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class AttentiveCliTest {

    @Test
    void pluginsListsTheProvidersOfEveryModuleOnTheClassPath() {
        StringWriter out = new StringWriter();
        var cli = AttentiveCli.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("plugins")).isZero();
        assertThat(out.toString())
                .contains("retrievers (")
                .contains("  exact ")
                .contains("  mean ");
    }
}
