package dev.attentive.examples.bench;

import dev.attentive.kernels.TopK;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.VectorUtil;

/** The benchmark's ground truth and its comparison with a result. Stateless. */
final class ExactSearch {
    /** The lucene-hnsw index's id field (binary doc values), part of its on-disk format. */
    private static final String ID_FIELD = "id";

    private ExactSearch() {
    }

    /**
     * Exact top k by dot product, best first, one {@link VectorUtil#dotProduct} per row; on equal
     * scores the lower row wins (the kernels' {@link TopK} order). {@code bucket < 0}: no filter, else
     * only rows of that bucket.
     */
    static int[] topK(float[][] vectors, float[] query, int k, int[] bucketOf, int bucket) {
        TopK top = new TopK(k);
        for (int r = 0; r < vectors.length; r++) {
            if (bucket >= 0 && bucketOf[r] != bucket) {
                continue;
            }
            top.offer(r, VectorUtil.dotProduct(query, vectors[r]));
        }
        int[] out = new int[top.size()];
        top.drainBestFirst(out, new float[out.length]);
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
