package dev.attentive.attention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.spi.AttentionProvider;
import dev.attentive.api.spi.ProviderRegistry;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** META-INF/services and module-info's {@code provides} must list the same providers. */
class ServiceDeclarationsTest {

    @Test
    void servicesFileAndModuleInfoAgree() throws Exception {
        Path classes = Path.of(AttentionPoolingProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> services = Files.readAllLines(
                classes.resolve("META-INF/services/" + AttentionProvider.class.getName()), StandardCharsets.UTF_8)
                .stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).sorted().toList();
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        List<String> provides = descriptor.provides().stream()
                .filter(p -> p.service().equals(AttentionProvider.class.getName()))
                .flatMap(p -> p.providers().stream()).sorted().toList();
        assertThat(provides).isEqualTo(services).hasSize(5);
    }

    @Test
    void everyPluginIsFoundByName() {
        var registry = ProviderRegistry.attention();
        for (String name : List.of(AttentionPoolingProvider.NAME, FieldSelfAttentionProvider.NAME,
                HistoryAttentionProvider.NAME, FieldGatingProvider.NAME, SelfAttentionProvider.NAME)) {
            assertThat(registry.get(name).name()).isEqualTo(name);
        }
    }
}
