/**
 * Attentive's one entry point for host applications: {@link dev.attentive.runtime.Attentive} builds a
 * thread-safe {@link dev.attentive.runtime.ServingRecommender} from code or from a JSON/YAML config
 * file — training data or a saved model, the model and retriever by name, a persistent index
 * directory with a journaled living catalogue, early stopping on a held-out share — and swaps models
 * while it serves.
 */
module dev.attentive.runtime {
    requires transitive dev.attentive.api;
    requires dev.attentive.model;
    requires dev.attentive.eval;
    requires tools.jackson.core;
    requires tools.jackson.databind;
    requires tools.jackson.dataformat.yaml;

    exports dev.attentive.runtime;

    // The config file's records are package-private; Jackson binds them reflectively.
    opens dev.attentive.runtime to tools.jackson.databind;
}
