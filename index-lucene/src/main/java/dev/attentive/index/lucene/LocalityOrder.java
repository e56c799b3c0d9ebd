package dev.attentive.index.lucene;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.lucene.util.VectorUtil;

/**
 * Orders a bulk catalogue so that similar vectors get neighbouring document ids. The HNSW graph and
 * the flat vector file are laid out in document order, and a search visits vectors close to its
 * query: with similar items stored together, the pages and cache lines a search touches are few and
 * shared (the same idea as Lucene's BP reordering of vector segments). The order is two levels of
 * spherical k-means (about 1,000 items per leaf), trained on samples; it changes only where items
 * are stored, never what a search returns.
 *
 * <p>Deterministic for a given input (fixed seed). Not thread safe; allocates O(n) ints.
 */
final class LocalityOrder {
    private static final int LEAF_SIZE = 1024;
    private static final int SAMPLE_PER_CENTROID = 32;
    private static final int ITERATIONS = 6;

    private LocalityOrder() {
    }

    /**
     * The permutation: {@code order[i]} is the index of the vector stored at position i.
     *
     * @param vectors the vectors, all of one dimension; not modified
     * @return a permutation of {@code 0..vectors.length-1}
     */
    static int[] of(float[][] vectors) {
        int n = vectors.length;
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        int leaves = Math.max(1, n / LEAF_SIZE);
        if (leaves == 1) {
            return all;
        }
        int k1 = (int) Math.ceil(Math.sqrt(leaves));
        int k2 = (int) Math.ceil((double) leaves / k1);
        SplittableRandom random = new SplittableRandom(0x5EED);
        int[] out = new int[n];
        int written = 0;
        for (int[] group : split(vectors, all, k1, random)) {
            for (int[] leaf : split(vectors, group, k2, random)) {
                System.arraycopy(leaf, 0, out, written, leaf.length);
                written += leaf.length;
            }
        }
        return out;
    }

    /** Splits the members into at most k groups by nearest centroid (by dot product), in centroid order. */
    private static int[][] split(float[][] vectors, int[] members, int k, SplittableRandom random) {
        if (k <= 1 || members.length <= k) {
            return new int[][] {members};
        }
        int dim = vectors[members[0]].length;
        float[][] centroids = new float[k][];
        for (int c = 0; c < k; c++) {
            centroids[c] = vectors[members[random.nextInt(members.length)]].clone();
        }
        int[] sample = new int[Math.min(members.length, k * SAMPLE_PER_CENTROID)];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = members[sample.length == members.length ? i : random.nextInt(members.length)];
        }
        double[][] sums = new double[k][dim];
        int[] counts = new int[k];
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            for (double[] s : sums) {
                Arrays.fill(s, 0);
            }
            Arrays.fill(counts, 0);
            for (int m : sample) {
                int c = nearest(centroids, vectors[m]);
                counts[c]++;
                float[] v = vectors[m];
                for (int d = 0; d < dim; d++) {
                    sums[c][d] += v[d];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    centroids[c] = vectors[sample[random.nextInt(sample.length)]].clone(); // restart an empty one
                    continue;
                }
                double norm = 0;
                for (int d = 0; d < dim; d++) {
                    norm += sums[c][d] * sums[c][d];
                }
                double inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
                for (int d = 0; d < dim; d++) {
                    centroids[c][d] = (float) (sums[c][d] * inv);
                }
            }
        }
        int[] assignment = new int[members.length];
        int[] sizes = new int[k];
        for (int i = 0; i < members.length; i++) {
            assignment[i] = nearest(centroids, vectors[members[i]]);
            sizes[assignment[i]]++;
        }
        int[][] groups = new int[k][];
        for (int c = 0; c < k; c++) {
            groups[c] = new int[sizes[c]];
        }
        int[] fill = new int[k];
        for (int i = 0; i < members.length; i++) {
            int c = assignment[i];
            groups[c][fill[c]++] = members[i];
        }
        return Arrays.stream(groups).filter(g -> g.length > 0).toArray(int[][]::new);
    }

    private static int nearest(float[][] centroids, float[] v) {
        int best = 0;
        float bestScore = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < centroids.length; c++) {
            float s = VectorUtil.dotProduct(centroids[c], v);
            if (s > bestScore) {
                bestScore = s;
                best = c;
            }
        }
        return best;
    }
}
