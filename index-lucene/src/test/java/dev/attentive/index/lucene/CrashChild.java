package dev.attentive.index.lucene;

import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemId;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.testkit.Seeds;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link CrashRecoveryTest}: indexes batches into the index at {@code args[0]},
 * commits after each batch and prints {@code COMMITTED <count>}, then keeps adding uncommitted
 * items until it is killed.
 */
final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) {
        int dim = 16;
        SplittableRandom random = new SplittableRandom(99);
        var retriever = TestItems.open(TestItems.config(args[0]), RetrieverSpec.of(dim));
        int batches = Integer.parseInt(args[1]);
        int n = 0;
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < 100; i++) {
                retriever.add(new IndexedItem(ItemId.of("c" + n++), Seeds.unitVector(random, dim),
                        dev.attentive.api.Features.NONE));
            }
            retriever.commit();
            System.out.println("COMMITTED " + n);
            System.out.flush();
        }
        while (true) { // uncommitted work in flight when the parent kills this JVM
            retriever.add(new IndexedItem(ItemId.of("u" + n++), Seeds.unitVector(random, dim),
                    dev.attentive.api.Features.NONE));
        }
    }
}
