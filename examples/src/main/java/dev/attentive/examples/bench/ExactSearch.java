package dev.attentive.examples.bench;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.PriorityQueue;
import org.apache.lucene.util.VectorUtil;

/** The benchmark's ground truth and its comparison with a result. Stateless. */
final class ExactSearch {
    /** The lucene-hnsw index's id field (binary doc values), part of its on-disk format. */
    private static final String ID_FIELD = "id";

    private ExactSearch() {
    }

    private record Hit(int row, float score) {
    }

    /**
     * Exact top k by dot product, best first, one {@link VectorUtil#dotProduct} per row; on equal
     * scores the lower row wins. {@code bucket < 0}: no filter, else only rows of that bucket.
     */
    static int[] topK(float[][] vectors, float[] query, int k, int[] bucketOf, int bucket) {
        PriorityQueue<Hit> top = new PriorityQueue<>(k) {
            @Override
            protected boolean lessThan(Hit a, Hit b) {
                return a.score() < b.score() || (a.score() == b.score() && a.row() > b.row());
            }
        };
        for (int r = 0; r < vectors.length; r++) {
            if (bucket >= 0 && bucketOf[r] != bucket) {
                continue;
            }
            float s = VectorUtil.dotProduct(query, vectors[r]);
            // rows come in increasing order, so an equal score never displaces the current worst
            if (top.size() < k || s > top.top().score()) {
                top.insertWithOverflow(new Hit(r, s));
            }
        }
        int[] out = new int[top.size()];
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = top.pop().row();
        }
        return out;
    }

    /** How many of {@code got} are in {@code want}. */
    static int overlap(int[] got, int[] want) {
        int n = 0;
        for (int g : got) {
            for (int w : want) {
                if (g == w) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    /** The item ids (the benchmark's are row numbers) of Lucene's hits. */
    static int[] ids(IndexSearcher searcher, TopDocs top) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        int[] ids = new int[top.scoreDocs.length];
        for (int i = 0; i < ids.length; i++) {
            ScoreDoc sd = top.scoreDocs[i];
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sd.doc, leaves));
            BinaryDocValues dv = leaf.reader().getBinaryDocValues(ID_FIELD);
            dv.advanceExact(sd.doc - leaf.docBase);
            ids[i] = Integer.parseInt(dv.binaryValue().utf8ToString());
        }
        return ids;
    }
}
