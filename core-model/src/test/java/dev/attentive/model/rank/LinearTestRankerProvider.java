package dev.attentive.model.rank;

import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.api.Ranker;
import dev.attentive.api.RankerBatch;
import dev.attentive.api.spi.RankerProvider;
import dev.attentive.api.spi.RankerShape;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A test-only ranker ({@code test-linear}): a weight per source score plus a bias per item, uniform
 * history weights; one setting, {@code initialWeight}. core-model cannot depend on {@code attentive-attention} (whose tests use
 * core-model), so its pipeline tests rank with this one; the attention rankers run the same
 * pipeline in the examples module's tests.
 */
public final class LinearTestRankerProvider implements RankerProvider<LinearTestRankerProvider.Config> {
    /** The name. */
    public static final String NAME = "test-linear";

    /**
     * The one setting.
     *
     * @param initialWeight the initial weight of every source score (default 1)
     */
    public record Config(double initialWeight) {
    }

    /** For ServiceLoader. */
    public LinearTestRankerProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config(1);
    }

    @Override
    public Ranker create(Config config, RankerShape shape, long seed) {
        Parameter wide = new Parameter("wide.weight", new int[] {Math.max(1, shape.sourceCount())},
                filled(Math.max(1, shape.sourceCount()), (float) config.initialWeight()));
        Parameter bias = new Parameter("item.bias", new int[] {shape.itemCount()}, new float[shape.itemCount()]);
        return new Ranker() {
            @Override
            public RankerShape shape() {
                return shape;
            }

            @Override
            public List<Parameter> parameters() {
                return List.of(wide, bias);
            }

            @Override
            public Pass forward(RankerBatch batch, boolean training, RandomGenerator random) {
                int s = shape.sourceCount();
                float[] scores = new float[batch.items().length];
                int h = batch.historyLength();
                float[] weights = new float[scores.length * h];
                for (int slot = 0; slot < scores.length; slot++) {
                    int item = batch.items()[slot];
                    if (item < 0) {
                        continue;
                    }
                    float v = bias.values()[item];
                    for (int j = 0; j < s; j++) {
                        v += wide.values()[j] * batch.sourceScores()[slot * s + j];
                    }
                    scores[slot] = v;
                    int b = slot / batch.listSize();
                    int present = 0;
                    for (int t = 0; t < h; t++) {
                        present += batch.history()[b * h + t] >= 0 ? 1 : 0;
                    }
                    for (int t = 0; t < h; t++) {
                        weights[slot * h + t] = batch.history()[b * h + t] >= 0 ? 1f / present : 0f;
                    }
                }
                return new Pass() {
                    @Override
                    public RankerBatch batch() {
                        return batch;
                    }

                    @Override
                    public float[] scores() {
                        return scores;
                    }

                    @Override
                    public float[] historyWeights() {
                        return weights;
                    }
                };
            }

            @Override
            public void backward(Pass pass, float[] gradScores, Gradients gradients) {
                RankerBatch batch = pass.batch();
                int s = shape.sourceCount();
                for (int slot = 0; slot < gradScores.length; slot++) {
                    int item = batch.items()[slot];
                    if (item < 0) {
                        continue;
                    }
                    gradients.of(bias)[item] += gradScores[slot];
                    for (int j = 0; j < s; j++) {
                        gradients.of(wide)[j] += gradScores[slot] * batch.sourceScores()[slot * s + j];
                    }
                }
            }
        };
    }

    private static float[] filled(int n, float v) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, v);
        return out;
    }
}
