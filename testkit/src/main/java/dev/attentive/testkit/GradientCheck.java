package dev.attentive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.DoubleSupplier;

/**
 * Finite-difference gradient checks. The loss is computed in double from the component's float
 * outputs; the derivative is taken by central differences with step {@code eps} on one float value
 * at a time, and compared with the analytic gradient by the relative error
 * {@code |analytic - numeric| / max(|analytic| + |numeric|, floor)}.
 *
 * @since 0.1.0
 */
public final class GradientCheck {
    /** The relative error allowed by default (the foundation issue's bound). */
    public static final double DEFAULT_TOLERANCE = 1e-3;

    private GradientCheck() {
    }

    /**
     * Checks the analytic gradient of {@code loss} with respect to every entry of {@code values}.
     *
     * @param what what is being checked, for messages
     * @param values the values perturbed in place (restored afterwards)
     * @param analytic the analytic gradient, same length
     * @param loss recomputes the loss from the current values
     * @param eps the finite-difference step
     * @param tolerance the largest allowed relative error
     * @param floor the denominator floor that keeps near-zero gradients from failing on noise
     * @return the largest relative error seen
     */
    public static double check(String what, float[] values, float[] analytic, DoubleSupplier loss,
            double eps, double tolerance, double floor) {
        double worst = 0;
        for (int i = 0; i < values.length; i++) {
            float saved = values[i];
            values[i] = (float) (saved + eps);
            double up = loss.getAsDouble();
            values[i] = (float) (saved - eps);
            double down = loss.getAsDouble();
            values[i] = saved;
            double h = ((double) (float) (saved + eps) - (float) (saved - eps));
            double numeric = (up - down) / h;
            double error = Math.abs(analytic[i] - numeric) / Math.max(Math.abs(analytic[i]) + Math.abs(numeric), floor);
            worst = Math.max(worst, error);
            assertThat(error)
                    .as("%s[%d]: analytic %s vs numeric %s (relative error %s)", what, i, analytic[i], numeric, error)
                    .isLessThanOrEqualTo(tolerance);
        }
        return worst;
    }

    /**
     * The probe loss {@code sum(output[i] * probe[i])}, in double. Its gradient with respect to the
     * output is the probe itself.
     *
     * @param output the component output
     * @param probe fixed random coefficients
     * @return the loss
     */
    public static double probe(float[] output, float[] probe) {
        double sum = 0;
        for (int i = 0; i < output.length; i++) {
            sum += (double) output[i] * probe[i];
        }
        return sum;
    }
}
