package dev.attentive.model.train;

import dev.attentive.model.TwoTowerModelProvider;
import java.util.SplittableRandom;

/**
 * What a training row's history holds beyond the user's recent items: {@code static-minus-target}
 * leaves out the row's own item, {@code historyDropout} leaves out each item with a probability
 * drawn anew at every step. Both act on training only; serving sees the user's recent items.
 *
 * <p>A row whose history is unchanged keeps its array (the same object for one user's rows), so the
 * user side still attends it once per batch; a changed history is a new array.
 */
final class TrainingHistories {
    /** Mixed into the step's seed so that dropout draws a stream of its own (the step's negatives are unchanged). */
    private static final long DROPOUT_STREAM = 0x6A09E667F3BCC909L;

    private TrainingHistories() {
    }

    /**
     * Adjusts a batch's histories in place.
     *
     * @param histories per row, the item-id-table rows of the recent items (replaced where changed)
     * @param candidates per row, the catalogue index of the row's positive item (at least as many as rows)
     * @param itemIdRow catalogue index to item-id-table row
     * @param config the training config
     * @param stepSeed the step's seed (dropout's draws depend on it only)
     */
    static void adjust(int[][] histories, int[] candidates, int[] itemIdRow, TwoTowerModelProvider.Config config,
            long stepSeed) {
        if (config.historyMode() == TwoTowerModelProvider.HistoryMode.STATIC_MINUS_TARGET) {
            for (int r = 0; r < histories.length; r++) {
                histories[r] = without(histories[r], itemIdRow[candidates[r]]);
            }
        }
        double p = config.historyDropout();
        if (p > 0) {
            SplittableRandom random = new SplittableRandom(stepSeed ^ DROPOUT_STREAM);
            for (int r = 0; r < histories.length; r++) {
                histories[r] = dropped(histories[r], p, random);
            }
        }
    }

    /**
     * The history without every occurrence of one row, in order; the same array when the row is
     * absent (or is 0, the out-of-vocabulary row, which histories never hold).
     */
    static int[] without(int[] history, int row) {
        int count = 0;
        for (int h : history) {
            if (h == row) {
                count++;
            }
        }
        if (count == 0 || row == 0) {
            return history;
        }
        int[] out = new int[history.length - count];
        int k = 0;
        for (int h : history) {
            if (h != row) {
                out[k++] = h;
            }
        }
        return out;
    }

    /** The history with each item kept with probability {@code 1 - p}, in order (one draw per item). */
    static int[] dropped(int[] history, double p, SplittableRandom random) {
        int[] out = new int[history.length];
        int k = 0;
        for (int h : history) {
            if (random.nextDouble() >= p) {
                out[k++] = h;
            }
        }
        return k == history.length ? history : java.util.Arrays.copyOf(out, k);
    }
}
