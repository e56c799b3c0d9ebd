package dev.attentive.examples;

import dev.attentive.api.spi.Provider;
import dev.attentive.api.spi.ProviderRegistry;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists every plugin found on the class path, by kind, with its default settings. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the plugins (models, towers, attention, retrievers) found on the class path.")
final class PluginsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        print(out, "models", ProviderRegistry.models());
        print(out, "towers", ProviderRegistry.towers());
        print(out, "attention", ProviderRegistry.attention());
        print(out, "retrievers", ProviderRegistry.retrievers());
        out.flush();
    }

    private static void print(PrintWriter out, String title, ProviderRegistry<? extends Provider<?>> registry) {
        out.printf("%s (%d)%n", title, registry.names().size());
        for (Provider<?> provider : registry.providers()) {
            out.printf("  %-22s %s%n", provider.name(), describe(provider));
        }
        List<String> problems = registry.problems();
        for (String problem : problems) {
            out.printf("  ! %s%n", problem);
        }
    }

    private static String describe(Provider<?> provider) {
        var settings = dev.attentive.api.spi.Configs.settings(provider.defaultConfig());
        return (settings.isEmpty() ? "(no settings)" : settings.toString()) + "  [" + provider.getClass().getName() + "]";
    }
}
