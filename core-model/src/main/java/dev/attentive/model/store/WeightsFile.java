package dev.attentive.model.store;

import dev.attentive.api.Parameter;
import dev.attentive.model.ModelFormatException;
import dev.attentive.model.TwoTowerModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code weights.bin}: every parameter tensor by its qualified name, little-endian, in the layout
 * documented at {@link TwoTowerModels#WEIGHTS_MAGIC}. Stateless.
 */
final class WeightsFile {
    static final String NAME = "weights.bin";
    private static final int WEIGHTS_LAYOUT = 1;

    private WeightsFile() {
    }

    static byte[] write(Map<String, Parameter> params) {
        // One buffer of the exact size: a two-stage model's item regression alone is 4 n^2 bytes.
        long size = 12;
        for (var e : params.entrySet()) {
            size += 4 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 4 + 4L * e.getValue().shape().length
                    + 4L * e.getValue().size();
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("The parameters take " + size + " bytes, more than one weights file "
                    + "holds (2 GB)");
        }
        ByteBuffer b = le((int) size);
        b.put(TwoTowerModels.WEIGHTS_MAGIC.getBytes(StandardCharsets.US_ASCII)).putInt(WEIGHTS_LAYOUT)
                .putInt(params.size());
        for (var e : params.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            int[] shape = e.getValue().shape();
            float[] values = e.getValue().values();
            b.putInt(name.length).put(name).putInt(shape.length);
            for (int d : shape) {
                b.putInt(d);
            }
            b.asFloatBuffer().put(values);
            b.position(b.position() + 4 * values.length);
        }
        return b.array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }


    static void read(Path file, byte[] bytes, Map<String, Parameter> params) throws ModelFormatException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte[] magic = new byte[4];
            b.get(magic);
            if (!TwoTowerModels.WEIGHTS_MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new ModelFormatException(file, "does not start with the magic "
                        + TwoTowerModels.WEIGHTS_MAGIC + "; it is not a weights file");
            }
            int layout = b.getInt();
            if (layout != WEIGHTS_LAYOUT) {
                throw new ModelFormatException(file, "weights layout version " + layout + " is not supported "
                        + "(this library reads " + WEIGHTS_LAYOUT + ")");
            }
            int count = b.getInt();
            Map<String, Parameter> remaining = new LinkedHashMap<>(params);
            for (int t = 0; t < count; t++) {
                int nameLength = b.getInt();
                if (nameLength < 1 || nameLength > b.remaining()) {
                    throw new ModelFormatException(file, "tensor " + t + " has an invalid name length " + nameLength);
                }
                byte[] nameBytes = new byte[nameLength];
                b.get(nameBytes);
                String name = new String(nameBytes, StandardCharsets.UTF_8);
                int rank = b.getInt();
                if (rank < 1 || rank > 8) {
                    throw new ModelFormatException(file, "tensor " + name + " has an invalid rank " + rank);
                }
                int[] shape = new int[rank];
                long size = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = b.getInt();
                    size *= Math.max(0, shape[d]);
                }
                Parameter p = remaining.remove(name);
                if (p == null) {
                    throw new ModelFormatException(file, "tensor " + name + " is not a parameter of the model its "
                            + "config builds (expected one of " + params.keySet() + ")");
                }
                if (!Arrays.equals(shape, p.shape())) {
                    throw new ModelFormatException(file, "tensor " + name + " has shape " + Arrays.toString(shape)
                            + ", but the model its config and vocabularies build needs " + Arrays.toString(p.shape()));
                }
                if (size * 4 > b.remaining()) {
                    throw new java.nio.BufferUnderflowException();
                }
                b.asFloatBuffer().get(p.values(), 0, (int) size);
                b.position(b.position() + (int) size * 4);
            }
            if (!remaining.isEmpty()) {
                throw new ModelFormatException(file, "lacks tensors " + remaining.keySet());
            }
            if (b.hasRemaining()) {
                throw new ModelFormatException(file, b.remaining() + " unexpected bytes after the last tensor");
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new ModelFormatException(file, "truncated: it ends inside a tensor");
        }
    }
}
