/**
 * Attentive's ONNX export: the user and item towers of a saved two-tower model as two ONNX graphs,
 * with their feature encoding inside, and a manifest that says how raw feature values become the
 * graphs' inputs. An optional artifact: a host that does not export never loads it.
 */
module dev.attentive.onnx {
    requires transitive dev.attentive.api;
    requires dev.attentive.model;
    requires dev.attentive.attention;
    requires org.tribuo.util.onnx;
    requires com.google.protobuf;
    requires tools.jackson.databind;

    exports dev.attentive.onnx;
}
