package dev.attentive.index.lucene;

import dev.attentive.api.FeatureValue;
import dev.attentive.api.IndexedItem;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * How an item becomes a Lucene document: the id as an indexed keyword (for update and delete by
 * term) and as binary doc values (for cheap lookup of hits), the vector, and each attribute in its
 * own namespace — categorical and multi-valued categorical values as keywords under {@code c.},
 * numbers as point plus doc values under {@code n.} — so attribute names never collide with the
 * internal fields or with each other's types — and how a live document is found by id. These field
 * names are the on-disk format (the benchmark's Lucene default path reads them too). Stateless.
 */
final class ItemDocuments {
    static final String ID = "id";
    static final String VECTOR = "vec";
    private static final String CATEGORICAL_PREFIX = "c.";
    private static final String NUMERIC_PREFIX = "n.";

    private ItemDocuments() {
    }

    static String categoricalField(String attribute) {
        return CATEGORICAL_PREFIX + attribute;
    }

    static String numericField(String attribute) {
        return NUMERIC_PREFIX + attribute;
    }

    /** -0.0 and 0.0 compare equal in the reference semantics but not as Lucene points; use 0.0 for both. */
    static double canonical(double value) {
        return value == 0.0 ? 0.0 : value;
    }

    static Term idTerm(String id) {
        return new Term(ID, id);
    }

    /** Whether a live document of the reader has this id. */
    static boolean liveDocWithId(IndexReader reader, String id) throws IOException {
        BytesRef term = new BytesRef(id);
        for (LeafReaderContext leaf : reader.leaves()) {
            Terms terms = leaf.reader().terms(ID);
            if (terms == null) {
                continue;
            }
            TermsEnum te = terms.iterator();
            if (te.seekExact(term)) {
                Bits live = leaf.reader().getLiveDocs();
                PostingsEnum postings = te.postings(null, PostingsEnum.NONE);
                for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static Document toDocument(IndexedItem item, FieldType vectorType) {
        Document doc = new Document();
        String id = item.id().value();
        doc.add(new StringField(ID, id, Field.Store.NO));
        doc.add(new BinaryDocValuesField(ID, new BytesRef(id)));
        doc.add(new KnnFloatVectorField(VECTOR, item.vector(), vectorType));
        for (Map.Entry<String, FeatureValue> e : item.attributes().values().entrySet()) {
            switch (e.getValue()) {
                case FeatureValue.Categorical c ->
                        doc.add(new StringField(categoricalField(e.getKey()), c.value(), Field.Store.NO));
                case FeatureValue.MultiCategorical m -> {
                    Set<String> seen = new HashSet<>();
                    for (String v : m.values()) {
                        if (seen.add(v)) {
                            doc.add(new StringField(categoricalField(e.getKey()), v, Field.Store.NO));
                        }
                    }
                }
                case FeatureValue.Numeric n ->
                        doc.add(new DoubleField(numericField(e.getKey()), canonical(n.value()), Field.Store.NO));
            }
        }
        return doc;
    }
}
