package dev.attentive.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigsTest {

    enum Activation { RELU, GELU }

    record Sample(int dim, double lr, boolean layerNorm, Activation activation, List<Integer> widths, String name) {
        Sample {
            var p = new ConfigException.Problems("sample");
            p.check(dim > 0, "dim must be positive, got " + dim);
            p.check(lr > 0, "lr must be positive, got " + lr);
            p.throwIfAny();
        }
    }

    private static final Sample DEFAULTS = new Sample(64, 0.01, false, Activation.RELU, List.of(128, 64), "x");

    @Test
    void laysSettingsOverDefaultsIgnoringCaseAndSeparators() {
        Sample s = Configs.bind("sample", DEFAULTS,
                Map.of("DIM", "32", "layer_norm", "true", "activation", "gelu", "widths", "256|128", "name", "y"));
        assertThat(s).isEqualTo(new Sample(32, 0.01, true, Activation.GELU, List.of(256, 128), "y"));
    }

    @Test
    void settingsRoundTrip() {
        assertThat(Configs.bind("sample", DEFAULTS, Configs.settings(DEFAULTS))).isEqualTo(DEFAULTS);
        assertThat(Configs.settings(DEFAULTS)).containsEntry("widths", "128,64").containsEntry("activation", "RELU");
    }

    @Test
    void reportsEveryUnknownKeyAndBadValueAtOnce() {
        assertThatThrownBy(() -> Configs.bind("sample", DEFAULTS,
                Map.of("dimm", "3", "lr", "fast", "activation", "tanh")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
                        "unknown setting 'dimm' (valid: dim, lr, layerNorm, activation, widths, name)",
                        "setting 'lr' = 'fast': expected a number of type double",
                        "setting 'activation' = 'tanh': expected one of [gelu, relu]"));
    }

    @Test
    void reportsEveryValidationProblemAtOnce() {
        assertThatThrownBy(() -> Configs.bind("sample", DEFAULTS, Map.of("dim", "0", "lr", "-1")))
                .hasMessage("Invalid config for sample: dim must be positive, got 0; lr must be positive, got -1.0");
    }
}
