package dev.attentive.index.lucene;

import dev.attentive.api.FeatureValue;
import dev.attentive.api.IndexedItem;
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
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;

/**
 * How an item becomes a Lucene document: the id as an indexed keyword (for update and delete by
 * term) and as binary doc values (for cheap lookup of hits), the vector, and each attribute in its
 * own namespace — categorical and multi-valued categorical values as keywords under {@code c.},
 * numbers as point plus doc values under {@code n.} — so attribute names never collide with the
 * internal fields or with each other's types. Stateless.
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
