package dev.attentive.attention;

import dev.attentive.api.Attention;

/** The argument checks of the plugins' forward and backward passes, with errors that say the fix. */
final class PassChecks {
    private PassChecks() {
    }

    /** Checks the arguments of {@link Attention#forward}. */
    static void checkForward(Attention a, String name, float[] fields, float[] mask, int batch) {
        if (batch < 0) {
            throw new IllegalArgumentException(name + ": batch must be >= 0, got " + batch);
        }
        long need = (long) batch * a.fieldCount() * a.dim();
        if (fields == null || fields.length < need) {
            throw new IllegalArgumentException(name + ": fields must hold batch * fieldCount * dim = " + batch + " * "
                    + a.fieldCount() + " * " + a.dim() + " = " + need + " values, got "
                    + (fields == null ? "null" : fields.length));
        }
        if (mask != null && mask.length < (long) batch * a.fieldCount()) {
            throw new IllegalArgumentException(name + ": mask must hold batch * fieldCount = "
                    + (long) batch * a.fieldCount() + " values (or be null), got " + mask.length);
        }
    }

    /** Checks the array arguments of {@link Attention#backward}. */
    static void checkBackward(Attention a, String name, int batch, float[] gradOutput, float[] gradFields) {
        long out = (long) batch * a.outputDim();
        if (gradOutput == null || gradOutput.length < out) {
            throw new IllegalArgumentException(name + ": gradOutput must hold batch * outputDim = " + out
                    + " values, got " + (gradOutput == null ? "null" : gradOutput.length));
        }
        long in = (long) batch * a.fieldCount() * a.dim();
        if (gradFields == null || gradFields.length < in) {
            throw new IllegalArgumentException(name + ": gradFields must hold batch * fieldCount * dim = " + in
                    + " values, got " + (gradFields == null ? "null" : gradFields.length));
        }
    }

    /** The error for a pass that another attention made. */
    static IllegalArgumentException foreignPass(String name, Attention.Pass pass) {
        return new IllegalArgumentException(name + ": backward was given a pass made by another attention ("
                + (pass == null ? "null" : pass.getClass().getName()) + "); pass the Pass returned by this "
                + "instance's forward");
    }
}
