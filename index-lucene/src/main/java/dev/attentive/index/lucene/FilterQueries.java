package dev.attentive.index.lucene;

import dev.attentive.api.ItemFilter;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Translates {@link ItemFilter}s into Lucene queries over the fields {@link ItemDocuments} writes,
 * with exactly the semantics of {@link ItemFilter#matches}: a missing field never matches a
 * comparison, a multi-valued field matches when any value does, {@code Not} keeps items without the
 * field. Categorical and numeric values live in separate field namespaces, so a categorical
 * comparison never matches a numeric value and vice versa, as in the reference. Stateless.
 */
final class FilterQueries {
    private FilterQueries() {
    }

    static Query toQuery(ItemFilter filter) {
        return switch (filter) {
            case ItemFilter.All all -> MatchAllDocsQuery.INSTANCE;
            case ItemFilter.Equals eq -> new TermQuery(new Term(ItemDocuments.categoricalField(eq.field()), eq.value()));
            case ItemFilter.In in -> {
                if (in.values().isEmpty()) {
                    yield new MatchNoDocsQuery("empty In on " + in.field());
                }
                List<BytesRef> terms = new ArrayList<>(in.values().size());
                in.values().forEach(v -> terms.add(new BytesRef(v)));
                yield new TermInSetQuery(ItemDocuments.categoricalField(in.field()), terms);
            }
            case ItemFilter.Range range -> DoubleField.newRangeQuery(ItemDocuments.numericField(range.field()),
                    ItemDocuments.canonical(range.min()), ItemDocuments.canonical(range.max()));
            case ItemFilter.Not not -> new BooleanQuery.Builder()
                    .add(MatchAllDocsQuery.INSTANCE, BooleanClause.Occur.FILTER)
                    .add(toQuery(not.filter()), BooleanClause.Occur.MUST_NOT)
                    .build();
            case ItemFilter.And and -> {
                if (and.filters().isEmpty()) {
                    yield MatchAllDocsQuery.INSTANCE;
                }
                var b = new BooleanQuery.Builder();
                and.filters().forEach(f -> b.add(toQuery(f), BooleanClause.Occur.FILTER));
                yield b.build();
            }
            case ItemFilter.Or or -> {
                if (or.filters().isEmpty()) {
                    yield new MatchNoDocsQuery("empty Or");
                }
                var b = new BooleanQuery.Builder();
                or.filters().forEach(f -> b.add(toQuery(f), BooleanClause.Occur.SHOULD));
                b.setMinimumNumberShouldMatch(1);
                yield b.build();
            }
        };
    }
}
