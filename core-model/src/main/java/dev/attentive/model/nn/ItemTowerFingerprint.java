package dev.attentive.model.nn;

import dev.attentive.api.Parameter;
import dev.attentive.model.TwoTowerModelProvider;
import dev.attentive.model.features.FieldEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Computes {@link TwoTowerModel#itemTowerFingerprint()}: a SHA-256 over what turns an item into its
 * vector. Every string is hashed after its length, so that no two inputs run together; parameters
 * are hashed as big-endian float bits, in the weights file's order. Stateless.
 */
final class ItemTowerFingerprint {
    private ItemTowerFingerprint() {
    }

    static String of(TwoTowerModel model) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        TwoTowerModelProvider.Config c = model.config;
        text(md, "attentive item tower 1");
        text(md, "dim=" + c.dim() + ";attention=" + c.attention() + "[" + c.attentionSettings() + "];tower="
                + c.tower() + ";itemWidths=" + c.itemWidths() + ";activation=" + c.activation());
        for (FieldEncoder e : model.item.fields) {
            text(md, e.name + "|" + e.type + "|" + e.kind + "|" + e.hashBuckets + "|" + e.mean + "|" + e.std + "|"
                    + Arrays.toString(e.edges));
            String[] byRow = new String[e.vocabulary.size() + 1];
            e.vocabulary.forEach((value, row) -> byRow[row] = value);
            for (int r = 1; r < byRow.length; r++) {
                text(md, byRow[r]);
            }
        }
        ByteBuffer buffer = ByteBuffer.allocate(4 * 4096);
        for (var entry : model.namedParameters().entrySet()) {
            if (!entry.getKey().startsWith(model.item.prefix + ".")) {
                continue;
            }
            Parameter p = entry.getValue();
            text(md, entry.getKey() + Arrays.toString(p.shape()));
            float[] values = p.values();
            for (int i = 0; i < p.size(); i++) {
                if (!buffer.hasRemaining()) {
                    md.update(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                buffer.putFloat(values[i]);
            }
            md.update(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void text(MessageDigest md, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        md.update(bytes);
    }
}
