/**
 * Runnable examples and the {@code attentive} command line, with the evaluation harness's commands,
 * reports and plots.
 */
module dev.attentive.examples {
    requires dev.attentive.api;
    requires dev.attentive.eval;
    requires dev.attentive.kernels;
    requires dev.attentive.model;
    requires dev.attentive.index.lucene;
    requires dev.attentive.index.opensearch; // bench-index --retriever opensearch, by name through the registry
    requires dev.attentive.guice;
    requires dev.attentive.onnx; // export-onnx
    requires dev.attentive.runtime; // the service example serves a ServingRecommender
    requires com.google.guice; // the service example's wiring
    requires jdk.httpserver; // the service example's HTTP server
    requires tools.jackson.databind; // the service example's JSON
    requires org.apache.lucene.core; // bench-index's Lucene default path peer
    requires info.picocli;
    requires org.knowm.xchart;
    requires me.tongfei.progressbar;
    requires java.desktop;
    requires java.logging;
    requires java.management; // bench-index's per-thread CPU time

    opens dev.attentive.examples to info.picocli;
    // Guice calls the service module's @Provides methods reflectively.
    opens dev.attentive.examples.service to com.google.guice;
}
