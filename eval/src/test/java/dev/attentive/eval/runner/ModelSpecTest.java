package dev.attentive.eval.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
    @Test
    void modelSpecsParseWithOverridesAndGrids() {
        var specs = ModelSpec.parseList("pop, bpr[dim=32,reg=0.01/0.1] ,two-tower[attention=mean]");
        assertThat(specs).extracting(ModelSpec::name).containsExactly("pop", "bpr", "two-tower");
        assertThat(specs.get(1).settings()).containsExactly(Map.entry("dim", "32"), Map.entry("reg", "0.01/0.1"));
        assertThat(specs.get(1).grid(Map.of("reg", "5", "lr", "1/2"))).hasSize(4);
        assertThat(specs.get(1).label()).isEqualTo("bpr[dim=32,reg=0.01/0.1]");
        assertThatThrownBy(() -> ModelSpec.parseList("bpr[dim=32")).hasMessageContaining("Unclosed '['");
        assertThatThrownBy(() -> ModelSpec.parseList("ease,bpr[dim=32], bpr[dim=32]"))
                .hasMessageContaining("'bpr[dim=32]' is listed twice");
        assertThat(ModelSpec.parseList("bpr[dim=32],bpr[dim=16]")).hasSize(2);
        assertThatThrownBy(() -> ModelSpec.parseList("bpr[dim]")).hasMessageContaining("must be written key=value");
    }

    @Test
    void aValueKeepsTheCommasInsideItsOwnBrackets() {
        var specs = ModelSpec.parseList("two-tower[retriever=lucene-hnsw[fanout=50,maxConn=32],dim=32],pop");
        assertThat(specs).extracting(ModelSpec::name).containsExactly("two-tower", "pop");
        assertThat(specs.get(0).settings()).containsExactly(
                Map.entry("retriever", "lucene-hnsw[fanout=50,maxConn=32]"), Map.entry("dim", "32"));
    }
}
