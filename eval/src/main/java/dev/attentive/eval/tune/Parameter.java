package dev.attentive.eval.tune;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * One dimension of a {@link SearchSpace}: a list of choices, or an integer or real range drawn
 * uniformly or log-uniformly. Written as text in the command line and in space files:
 * {@code choice(a,b,c)}, {@code int(lo,hi)}, {@code intlog(lo,hi)}, {@code uniform(lo,hi)},
 * {@code loguniform(lo,hi)}; any text without parentheses is a fixed value. Ranges are inclusive.
 * Values are immutable and thread safe; sampling draws from the caller's {@link Random}.
 */
public sealed interface Parameter {
    /** The forms {@link #parse} accepts, for error messages. */
    String FORMS = "choice(a,b,...), int(lo,hi), intlog(lo,hi), uniform(lo,hi), loguniform(lo,hi) or a fixed value";

    /**
     * Draws one value.
     *
     * @param random the source of randomness; exactly one {@code nextDouble} or {@code nextInt} is drawn
     * @return the value as a setting string
     */
    String sample(Random random);

    /**
     * The values that reach the edges of this dimension, to check each against the model's config
     * before any training.
     *
     * @return every choice, or the low and high ends of a range
     */
    List<String> extremes();

    /**
     * How many distinct values this dimension can yield.
     *
     * @return the count, or {@link Long#MAX_VALUE} for a real range
     */
    long cardinality();

    /**
     * The text form, which {@link #parse} reads back.
     *
     * @return e.g. {@code loguniform(0.001,0.05)}
     */
    String describe();

    /**
     * A fixed list of values, drawn with equal probability.
     *
     * @param values the values, at least one, none empty or holding {@code /}, {@code (} or {@code )}
     */
    record Choice(List<String> values) implements Parameter {
        /** Validates and copies. */
        public Choice {
            if (values == null || values.isEmpty()) {
                throw new IllegalArgumentException("choice needs at least one value");
            }
            for (String v : values) {
                if (v == null || v.isBlank() || v.contains("/") || v.contains("(") || v.contains(")")) {
                    throw new IllegalArgumentException("choice values must be non-empty and hold no '/', '(' or ')', got '"
                            + v + "'");
                }
            }
            values = List.copyOf(values);
        }

        @Override
        public String sample(Random random) {
            return values.get(random.nextInt(values.size()));
        }

        @Override
        public List<String> extremes() {
            return values;
        }

        @Override
        public long cardinality() {
            return values.stream().distinct().count();
        }

        @Override
        public String describe() {
            return values.size() == 1 ? values.get(0) : "choice(" + String.join(",", values) + ")";
        }
    }

    /**
     * Integers from {@code low} to {@code high} inclusive.
     *
     * @param low the smallest value
     * @param high the largest value, at least {@code low}
     * @param log whether values are drawn log-uniformly (then {@code low} must be at least 1)
     */
    record IntRange(long low, long high, boolean log) implements Parameter {
        /** Validates. */
        public IntRange {
            if (high < low) {
                throw new IllegalArgumentException("needs low <= high, got low " + low + " and high " + high);
            }
            if (log && low < 1) {
                throw new IllegalArgumentException("intlog needs low >= 1, got " + low);
            }
        }

        @Override
        public String sample(Random random) {
            double u = random.nextDouble();
            long v = log
                    ? (long) Math.floor(Math.exp(Math.log(low) + u * (Math.log(high + 1.0) - Math.log(low))))
                    : low + (long) Math.floor(u * (high - low + 1));
            return Long.toString(Math.max(low, Math.min(high, v)));
        }

        @Override
        public List<String> extremes() {
            return List.of(Long.toString(low), Long.toString(high));
        }

        @Override
        public long cardinality() {
            return high - low + 1;
        }

        @Override
        public String describe() {
            return (log ? "intlog(" : "int(") + low + "," + high + ")";
        }
    }

    /**
     * Real numbers from {@code low} to {@code high}, drawn and then rounded to three significant digits
     * (so that settings read well and repeat exactly).
     *
     * @param low the low end
     * @param high the high end, above {@code low}
     * @param log whether values are drawn log-uniformly (then {@code low} must be positive)
     */
    record RealRange(double low, double high, boolean log) implements Parameter {
        /** Validates. */
        public RealRange {
            if (!Double.isFinite(low) || !Double.isFinite(high) || !(low < high)) {
                throw new IllegalArgumentException("needs finite low < high, got low " + low + " and high " + high);
            }
            if (log && !(low > 0)) {
                throw new IllegalArgumentException("loguniform needs low > 0, got " + low);
            }
        }

        @Override
        public String sample(Random random) {
            double u = random.nextDouble();
            double v = log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
            return format(Math.max(low, Math.min(high, v)));
        }

        @Override
        public List<String> extremes() {
            return List.of(format(low), format(high));
        }

        @Override
        public long cardinality() {
            return Long.MAX_VALUE;
        }

        @Override
        public String describe() {
            return (log ? "loguniform(" : "uniform(") + format(low) + "," + format(high) + ")";
        }

        private static String format(double v) {
            return v == 0 ? "0" : new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
        }
    }

    /**
     * Reads a dimension from its text form.
     *
     * @param key the setting's name, for messages
     * @param text e.g. {@code loguniform(1e-3,5e-2)}, {@code choice(32,64)} or a fixed value {@code 64}
     * @return the dimension
     * @throws IllegalArgumentException naming the key, the text and what was expected
     */
    static Parameter parse(String key, String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException(key + " has an empty value; expected " + FORMS);
        }
        int open = t.indexOf('(');
        if (open < 0 && t.indexOf(')') < 0) {
            try {
                return new Choice(List.of(t));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + "=" + t + ": " + e.getMessage());
            }
        }
        if (open <= 0 || !t.endsWith(")")) {
            throw new IllegalArgumentException(key + "=" + t + " is not understood; expected " + FORMS);
        }
        String kind = t.substring(0, open).trim().toLowerCase(Locale.ROOT);
        List<String> args = new ArrayList<>();
        for (String a : t.substring(open + 1, t.length() - 1).split(",", -1)) {
            args.add(a.trim());
        }
        try {
            return switch (kind) {
                case "choice" -> new Choice(args);
                case "int", "intlog" -> {
                    requireTwo(kind, args);
                    yield new IntRange(parseLong(args.get(0)), parseLong(args.get(1)), kind.equals("intlog"));
                }
                case "uniform", "loguniform" -> {
                    requireTwo(kind, args);
                    yield new RealRange(parseDouble(args.get(0)), parseDouble(args.get(1)), kind.equals("loguniform"));
                }
                default -> throw new IllegalArgumentException("unknown form '" + kind + "'; expected " + FORMS);
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + "=" + t + ": " + e.getMessage());
        }
    }

    private static void requireTwo(String kind, List<String> args) {
        if (args.size() != 2) {
            throw new IllegalArgumentException(kind + " needs two numbers (lo,hi), got " + args.size() + " arguments");
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not an integer");
        }
    }

    private static double parseDouble(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a number");
        }
    }
}
