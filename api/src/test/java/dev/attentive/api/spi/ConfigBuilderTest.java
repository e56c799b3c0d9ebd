package dev.attentive.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.Recommender;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigBuilderTest {

    enum Activation { RELU, GELU, LEAKY_RELU }

    record Sample(int dim, long seed, float dropout, double lr, boolean layerNorm, Activation activation,
            List<Integer> widths, List<String> tags, String name) {
        Sample {
            var p = new ConfigException.Problems("sample");
            p.check(dim > 0, "dim must be positive, got " + dim);
            p.check(lr > 0, "lr must be positive, got " + lr);
            p.throwIfAny();
        }
    }

    private static final Sample DEFAULTS = new Sample(64, 7L, 0.1f, 0.01, false, Activation.RELU, List.of(128, 64),
            List.of("a"), "x");

    /** A provider whose config is {@link Sample}, for {@link Provider#configBuilder()}. */
    static final class SampleProvider implements ModelProvider<Sample> {
        @Override
        public String name() {
            return "sample";
        }

        @Override
        public Sample defaultConfig() {
            return DEFAULTS;
        }

        @Override
        public Recommender train(Dataset train, Sample config, TrainingContext context) {
            throw new UnsupportedOperationException("not needed here");
        }
    }

    @Test
    void providerBuilderStartsFromDefaultsAndChangesOnlyWhatIsSet() {
        Sample s = new SampleProvider().configBuilder().set("dim", 32).set("activation", "gelu").build();
        assertThat(s).isEqualTo(new Sample(32, 7L, 0.1f, 0.01, false, Activation.GELU, List.of(128, 64), List.of("a"), "x"));
    }

    @Test
    void startsFromAnExistingConfig() {
        Sample start = new Sample(8, 1L, 0f, 0.5, true, Activation.GELU, List.of(4), List.of(), "start");
        assertThat(Configs.builder("sample", start).set("name", "next").build())
                .isEqualTo(new Sample(8, 1L, 0f, 0.5, true, Activation.GELU, List.of(4), List.of(), "next"));
    }

    @Test
    void acceptsBoxingWideningEnumsListsAndStringForms() {
        Sample s = Configs.builder("sample", DEFAULTS)
                .set("DIM", (short) 16)             // short widens to int
                .set("seed", 3)                     // int widens to long
                .set("dropout", 1)                  // int widens to float
                .set("lr", 0.5f)                    // float widens to double
                .set("layer_norm", Boolean.TRUE)
                .set("activation", Activation.LEAKY_RELU)
                .set("widths", List.of(256, "128")) // elements are checked one by one; strings are read
                .set("tags", List.of("p", "q"))
                .build();
        assertThat(s).isEqualTo(new Sample(16, 3L, 1f, 0.5, true, Activation.LEAKY_RELU, List.of(256, 128),
                List.of("p", "q"), "x"));
        Sample fromStrings = Configs.builder("sample", DEFAULTS)
                .setAll(Map.of("dim", "32", "lr", " 0.25 ", "activation", "leaky-relu", "widths", "8|4", "tags", "u,v"))
                .build();
        assertThat(fromStrings).isEqualTo(new Sample(32, 7L, 0.1f, 0.25, false, Activation.LEAKY_RELU, List.of(8, 4),
                List.of("u", "v"), "x"));
    }

    @Test
    void reportsEveryUnknownNameAndTypeMismatchAtOnceWithTheValidNames() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("dimm", 3);
        settings.put("dim", 3.5);
        settings.put("seed", 2.0f);
        settings.put("lr", "fast");
        settings.put("layerNorm", 1);
        settings.put("activation", 2);
        settings.put("widths", List.of(1, 2.5));
        settings.put("tags", "x");
        settings.put("name", null);
        settings.put("dropout", null);
        assertThatThrownBy(() -> Configs.builder("sample", DEFAULTS).setAll(settings).build())
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "unknown setting 'dimm' (valid: dim, seed, dropout, lr, layerNorm, activation, widths, tags, name)",
                        "setting 'dim' = 3.5 (Double): expected int or its string form",
                        "setting 'seed' = 2.0 (Float): expected long or its string form",
                        "setting 'lr' = 'fast': expected a number of type double",
                        "setting 'layerNorm' = 1 (Integer): expected boolean or its string form",
                        "setting 'activation' = 2 (Integer): expected a constant of Activation or one of [gelu, leaky_relu, relu]",
                        "setting 'widths' = [1, 2.5] (List): element 2.5 (Double): expected Integer or its string form",
                        "setting 'dropout' = null: expected float or its string form"));
    }

    @Test
    void theRecordsOwnValidationStillReportsEveryProblem() {
        assertThatThrownBy(() -> Configs.builder("sample", DEFAULTS).set("dim", 0).set("lr", -1).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid config for sample: dim must be positive, got 0; lr must be positive, got -1.0");
    }

    @Test
    void namesAreTheComponentsInOrderAndLaterSetsWin() {
        var builder = Configs.builder("sample", DEFAULTS);
        assertThat(builder.names()).containsExactly("dim", "seed", "dropout", "lr", "layerNorm", "activation", "widths",
                "tags", "name");
        assertThat(builder.set("dim", 2).set("dim", 4).build().dim()).isEqualTo(4);
        assertThat(builder.build()).isNotSameAs(builder.build()).isEqualTo(builder.build());
    }

    @Test
    void bindKeepsWorkingThroughTheBuilder() {
        assertThat(Configs.bind("sample", DEFAULTS, Configs.settings(DEFAULTS))).isEqualTo(DEFAULTS);
        assertThat(new SampleProvider().configure(Map.of("tags", ""))).isEqualTo(
                new Sample(64, 7L, 0.1f, 0.01, false, Activation.RELU, List.of(128, 64), List.of(), "x"));
    }
}
