package dev.attentive.examples;

import dev.attentive.model.ModelFormatException;
import dev.attentive.onnx.OnnxExport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Exports a saved two-tower model's user and item towers as ONNX graphs with their feature encoding,
 * and a {@code manifest.json} that says how raw feature values become the graphs' inputs (see
 * {@link OnnxExport}). The output directory is written atomically.
 */
@Command(name = "export-onnx", mixinStandardHelpOptions = true,
        description = "Export a saved two-tower model's user and item towers as ONNX graphs, with a manifest.json "
                + "of their inputs, vocabularies, output and item tower fingerprint.")
final class ExportOnnxCommand implements Callable<Integer> {
    @ParentCommand
    AttentiveCli root;

    @Option(names = "--model", required = true,
            description = "A two-tower model directory, as saved by 'recommend --save' or TwoTowerModels.save")
    Path model;

    @Option(names = "--out", required = true, description = "The directory to write; it must not exist or be empty")
    Path out;

    @Option(names = "--force", description = "Replace what a non-empty --out holds (once the new export is complete)")
    boolean force;

    @Override
    public Integer call() throws IOException {
        CliOutput output = root.output();
        output.info("Exporting " + model + " to ONNX");
        OnnxExport.Exported e;
        try {
            e = OnnxExport.export(model, out, force);
        } catch (ModelFormatException ex) {
            // A missing, corrupt or foreign model directory is bad input (exit 2), not an internal failure.
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
        output.result("user tower: " + e.userTower());
        output.result("item tower: " + e.itemTower());
        output.result("manifest:   " + e.manifest());
        output.result("dimension " + e.dimension() + ", similarity " + e.similarity() + ", item tower fingerprint "
                + e.itemTowerFingerprint());
        return AttentiveCli.OK;
    }
}
