package dev.attentive.model.train;

import dev.attentive.api.Dataset;
import dev.attentive.api.Interaction;
import dev.attentive.api.Parameter;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.EpochStats;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.kernels.ParallelFor;
import dev.attentive.kernels.Vectors;
import dev.attentive.model.TwoTowerModelProvider;
import dev.attentive.model.features.FieldEncoder;
import dev.attentive.model.nn.FullSoftmaxLoss;
import dev.attentive.model.nn.InBatchSoftmaxLoss;
import dev.attentive.model.nn.Optimizer;
import dev.attentive.model.nn.Side;
import dev.attentive.model.nn.SparseGrad;
import dev.attentive.model.nn.TwoTowerModel;
import dev.attentive.model.serve.TwoTowerRecommender;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training loop: shuffled mini-batches, both towers' forward and backward passes run side by
 * side and the loss row-parallel (so results do not depend on the thread count), the optimiser
 * step, NaN/Inf detection, validation after every epoch with early stopping on the best epoch.
 *
 * <p>Logging ({@link System.Logger} {@code dev.attentive.model.train.Trainer}): one DEBUG line per
 * epoch and one INFO summary when training ends (epochs run, best epoch and its validation when
 * there was validation, time, throughput). Each epoch also goes to {@link TrainingContext#progress()}.
 */
public final class Trainer {
    private static final System.Logger LOG = System.getLogger(Trainer.class.getName());
    /** Set while a training runs as a part of another (see {@link #asPartOf}): its summary is DEBUG. */
    private static final ThreadLocal<String> NESTED = new ThreadLocal<>();
    /** The parts a history attention other than mean is split into (see {@link Side#prepare}). */
    private static final int HISTORY_PARTS = 2;

    private final Dataset train;
    private final TwoTowerModelProvider.Config config;
    private final TrainingContext context;

    /**
     * A training run.
     *
     * @param train the training data
     * @param config the validated config
     * @param context seed, threads, validation and progress
     */
    public Trainer(Dataset train, TwoTowerModelProvider.Config config, TrainingContext context) {
        this.train = train;
        this.config = config;
        this.context = context;
    }

    /**
     * Runs a training that is one part of a larger one (such as the retrieval fits of the two-stage
     * model) on this thread: the trainings it starts log their summary at DEBUG, prefixed with
     * {@code part}, so that the larger training's own summary is the one INFO line.
     *
     * @param part names the part, e.g. {@code "two-stage retrieval (full fit)"}
     * @param training the training
     * @param <T> what it returns
     * @return what the training returned
     */
    public static <T> T asPartOf(String part, java.util.function.Supplier<T> training) {
        String outer = NESTED.get();
        NESTED.set(part);
        try {
            return training.get();
        } finally {
            if (outer == null) {
                NESTED.remove();
            } else {
                NESTED.set(outer);
            }
        }
    }

    /**
     * The one INFO line of a training: epochs run, best epoch and its validation (omitted when
     * nothing was validated), early stop, time and throughput.
     */
    static String summary(int epochsRun, int epochs, int bestEpoch, double bestValidation, int stoppedAfterPatience,
            double seconds, double interactionsPerSecond) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "two-tower: trained %d%s epochs in %.1f s "
                + "(%,.0f interactions/s)", epochsRun, epochsRun < epochs ? " of " + epochs : "", seconds,
                interactionsPerSecond));
        if (bestEpoch > 0) {
            sb.append(String.format(Locale.ROOT, ", best epoch %d with validation %.4f", bestEpoch, bestValidation));
        }
        if (stoppedAfterPatience > 0) {
            sb.append(String.format(Locale.ROOT, ", stopped early after %d epochs without improvement",
                    stoppedAfterPatience));
        }
        return sb.toString();
    }

    /**
     * Trains, on the calling thread and at most two workers.
     *
     * @return the model of the best validated epoch (the last epoch without validation)
     * @throws IllegalStateException when training diverges, saying which setting to lower
     */
    public Recommender run() {
        long started = System.nanoTime();
        TwoTowerModel model = TwoTowerModel.build(train, config, context.seed());
        List<Interaction> interactions = train.interactions();
        int n = interactions.size();
        int[] userOf = new int[n];
        int[] itemOf = new int[n];
        int[] historyEnd = new int[n];
        prepare(model, interactions, userOf, itemOf, historyEnd);

        FieldEncoder.Encoded[] perUser = new FieldEncoder.Encoded[model.users.length];
        FieldEncoder.Encoded[] perInteraction = config.context() ? new FieldEncoder.Encoded[n] : null;
        for (int u = 0; u < model.users.length; u++) {
            perUser[u] = model.encodeUser(u, model.userFeatures[u], Interaction.NO_TIMESTAMP, "user " + model.users[u]);
        }
        if (perInteraction != null) {
            for (int i = 0; i < n; i++) {
                int u = userOf[i];
                perInteraction[i] = model.encodeUser(u, model.userFeatures[u], interactions.get(i).timestamp(),
                        "user " + model.users[u]);
            }
        }
        FieldEncoder.Encoded[] perUserWithoutId = null;
        if (config.userIdDropout() > 0 && perInteraction == null) {
            perUserWithoutId = new FieldEncoder.Encoded[model.users.length];
            for (int u = 0; u < model.users.length; u++) {
                perUserWithoutId[u] = model.encodeUser(-1, model.userFeatures[u], Interaction.NO_TIMESTAMP,
                        "user " + model.users[u]);
            }
        }
        int[][] staticHistory = null;
        if (model.user.historyAttention != null && config.historyMode() != TwoTowerModelProvider.HistoryMode.CAUSAL) {
            staticHistory = new int[model.users.length][];
            for (int u = 0; u < model.users.length; u++) {
                staticHistory[u] = model.historyRows(model.userItems[u], model.userItems[u].length);
            }
        }
        FieldEncoder.Encoded[] perItem = new FieldEncoder.Encoded[model.items.length];
        for (int c = 0; c < perItem.length; c++) {
            perItem[c] = model.encodeItem(c);
        }
        int trainedItems = 0;
        long total = 0;
        for (long count : model.itemCounts) {
            if (count > 0) {
                trainedItems++;
            }
            total += count;
        }
        int[] negativePool = new int[trainedItems];
        double[] q = new double[model.items.length];
        for (int c = 0, k = 0; c < model.items.length; c++) {
            if (model.itemCounts[c] > 0) {
                negativePool[k++] = c;
            }
            q[c] = (double) model.itemCounts[c] / total;
        }

        Optimizer optimizer = new Optimizer(config.optimiser(), (float) config.lr(), (float) config.weightDecay());
        List<Parameter> all = model.parameters();
        all.forEach(optimizer::register);
        Side.Grads userGrads = model.user.new Grads();
        Side.Grads itemGrads = model.item.new Grads();
        float[] logScaleGrad = new float[1];

        int batchSize = Math.min(config.batch(), n);
        int m = config.negatives();
        // softmax=full: the item tower runs over every catalogue item and row r's target is column candidates[r].
        boolean full = config.softmax() == TwoTowerModelProvider.Softmax.FULL;
        double bestValidation = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        List<float[]> best = null;
        int epochsRun = 0;
        long trainedTotal = 0;
        double trainingSeconds = 0;
        boolean stoppedEarly = false;
        WeightAverage average = config.weightAverage() > 0 ? new WeightAverage(all, config.weightAverage()) : null;
        SplittableRandom shuffler = new SplittableRandom(context.seed());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        try (ParallelFor workers = new ParallelFor(Math.min(2, context.threads()), "attentive-train")) {
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                for (int i = n - 1; i > 0; i--) {
                    int j = shuffler.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                double lossSum = 0;
                int trainedRows = 0;
                for (int start = 0; start + 1 < n; start += batchSize) {
                    int b = Math.min(batchSize, n - start);
                    if (b < 2) {
                        break;
                    }
                    FieldEncoder.Encoded[] userRows = new FieldEncoder.Encoded[b];
                    int[][] histories = model.user.historyAttention != null ? new int[b][] : null;
                    FieldEncoder.Encoded[] itemRows = full ? perItem : new FieldEncoder.Encoded[b + m];
                    int[] candidates = new int[b + m];
                    for (int r = 0; r < b; r++) {
                        int x = order[start + r];
                        userRows[r] = perInteraction != null ? perInteraction[x] : perUser[userOf[x]];
                        if (histories != null) {
                            histories[r] = staticHistory != null ? staticHistory[userOf[x]]
                                    : model.historyRows(model.userItems[userOf[x]], historyEnd[x]);
                        }
                        candidates[r] = itemOf[x];
                        if (!full) {
                            itemRows[r] = perItem[itemOf[x]];
                        }
                    }
                    SplittableRandom stepRandom = new SplittableRandom(context.seed() * 31 + optimizer.step());
                    if (config.userIdDropout() > 0) {
                        hideUserIds(model, userRows, order, start, userOf, interactions, perUserWithoutId,
                                config.userIdDropout(), context.seed() * 31 + optimizer.step());
                    }
                    if (histories != null) {
                        TrainingHistories.adjust(histories, candidates, model.itemIdRow, config,
                                context.seed() * 31 + optimizer.step());
                    }
                    for (int r = 0; r < m; r++) {
                        int c = negativePool[stepRandom.nextInt(negativePool.length)];
                        candidates[b + r] = c;
                        itemRows[b + r] = perItem[c];
                    }
                    float[] correction = null;
                    if (config.logQ() && !full) {
                        double logQWeight = config.logQWeight();
                        correction = new float[b + m];
                        double uniform = m == 0 ? 0 : (double) m / ((double) b * negativePool.length);
                        for (int j = 0; j < b + m; j++) {
                            correction[j] = (float) (logQWeight * Math.log(q[candidates[j]] + uniform));
                        }
                    }
                    SplittableRandom userRandom = stepRandom.split();
                    SplittableRandom itemRandom = stepRandom.split();
                    Side.Pass[] passes = new Side.Pass[2];
                    // A history attention other than mean (the user side's heaviest part) runs on two
                    // fixed halves of the distinct rows, one per worker, before the rest of both
                    // towers; the halves, not the threads, fix the draws and sums.
                    Side.Pass prepared = model.user.prepare(userRows, histories, true, HISTORY_PARTS);
                    int parts = Side.historyParts(prepared);
                    SplittableRandom[] historyRandom = new SplittableRandom[parts];
                    for (int k = 0; k < parts; k++) {
                        historyRandom[k] = userRandom.split();
                    }
                    workers.forEach(parts, k -> model.user.forwardHistory(prepared, k, historyRandom[k]));
                    workers.all(() -> passes[0] = model.user.finishForward(prepared, userRandom),
                            () -> passes[1] = model.item.forward(itemRows, null, true, itemRandom));
                    float scale = (float) Math.exp(model.logScale.values()[0]);
                    InBatchSoftmaxLoss.Result loss = full
                            ? FullSoftmaxLoss.compute(passes[0].embeddings, b, passes[1].embeddings, perItem.length,
                                    config.dim(), candidates, scale, workers)
                            : InBatchSoftmaxLoss.compute(passes[0].embeddings, b, passes[1].embeddings, b + m,
                                    config.dim(), candidates, correction, scale, workers);
                    int step = optimizer.step() + 1;
                    if (!Double.isFinite(loss.loss)) {
                        throw new IllegalStateException("Training diverged at step " + step + " (epoch " + epoch
                                + "): the loss is " + loss.loss + ". No model was produced; lower lr (now "
                                + config.lr() + ") or set clipNorm");
                    }
                    lossSum += loss.loss * b;
                    trainedRows += b;
                    userGrads.zero();
                    itemGrads.zero();
                    workers.all(() -> model.user.backwardTop(passes[0], loss.gradUsers, userGrads),
                            () -> model.item.backward(passes[1], loss.gradCandidates, itemGrads));
                    workers.forEach(parts, k -> model.user.backwardHistory(passes[0], k,
                            k == 0 ? userGrads.dense : userGrads.historyPart));
                    model.user.finishBackward(passes[0], userGrads);
                    if (userGrads.history != null) {
                        itemGrads.tables[0].addAll(userGrads.history);
                    }
                    logScaleGrad[0] = config.learnTemperature() ? (float) loss.gradLogScale : 0f;
                    if (config.clipNorm() > 0) {
                        clip(model, userGrads, itemGrads, logScaleGrad, config.clipNorm());
                    }
                    optimizer.nextStep();
                    workers.all(() -> update(optimizer, model.user, userGrads),
                            () -> {
                                update(optimizer, model.item, itemGrads);
                                if (config.learnTemperature()) {
                                    optimizer.updateDense(model.logScale, logScaleGrad);
                                }
                            });
                    if (average != null) {
                        average.update(workers);
                    }
                }
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                for (Parameter p : all) {
                    if (!Vectors.allFinite(p.values(), p.size())) {
                        throw new IllegalStateException("Training diverged at step " + optimizer.step() + " (epoch "
                                + epoch + "): parameter " + p.name() + " is not finite. No model was produced; "
                                + "lower lr (now " + config.lr() + ") or set clipNorm");
                    }
                }
                if (average != null) {
                    average.swap(); // validate (and keep, when best) the averaged weights
                }
                double validation;
                try (TwoTowerRecommender snapshot = new TwoTowerRecommender(model)) {
                    validation = context.validation().applyAsDouble(snapshot);
                }
                double loss = lossSum / Math.max(1, trainedRows);
                double throughput = trainedRows / seconds;
                epochsRun = epoch;
                trainedTotal += trainedRows;
                trainingSeconds += seconds;
                int shown = epoch;
                LOG.log(System.Logger.Level.DEBUG, () -> String.format(Locale.ROOT,
                        "two-tower epoch %d/%d: loss %.4f, %.0f interactions/s%s", shown, config.epochs(), loss,
                        throughput, Double.isNaN(validation) ? "" : String.format(Locale.ROOT, ", validation %.4f",
                                validation)));
                context.progress().accept(new EpochStats(epoch, loss, throughput, validation));
                if (Double.isNaN(validation)) {
                    if (average != null) {
                        average.swap();
                    }
                    continue;
                }
                if (validation > bestValidation) {
                    bestValidation = validation;
                    bestEpoch = epoch;
                    best = new ArrayList<>();
                    for (Parameter p : all) {
                        best.add(p.values().clone());
                    }
                } else if (epoch - bestEpoch >= config.patience()) {
                    stoppedEarly = true;
                    break;
                }
                if (average != null) {
                    average.swap(); // back to the trained weights for the next epoch
                }
            }
        }
        if (best == null && average != null) {
            average.swap(); // no validation: the model is the last epoch's average
        }
        if (best != null) {
            for (int i = 0; i < all.size(); i++) {
                System.arraycopy(best.get(i), 0, all.get(i).values(), 0, all.get(i).size());
            }
        }
        double totalSeconds = (System.nanoTime() - started) / 1e9;
        String summary = summary(epochsRun, config.epochs(), best != null ? bestEpoch : 0, bestValidation,
                stoppedEarly ? config.patience() : 0, totalSeconds, trainedTotal / Math.max(trainingSeconds, 1e-9));
        LOG.log(NESTED.get() != null ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
                () -> (NESTED.get() != null ? NESTED.get() + ", " : "") + summary);
        model.provenance.put("trainedAt", java.time.Instant.now().toString());
        model.provenance.put("trainingSeconds", String.valueOf(totalSeconds));
        model.provenance.put("bestEpoch", String.valueOf(bestEpoch));
        return new TwoTowerRecommender(model);
    }

    /** Mixed into the step's seed so that hiding user ids draws a stream of its own. */
    private static final long USER_ID_STREAM = 0xBB67AE8584CAA73BL;

    /**
     * Replaces, with probability {@code p} per row, a batch row's user encoding by the same user's
     * encoding without the id ({@code userIdDropout}); one object per user when there is no context,
     * so the user side still attends one user's rows once.
     */
    static void hideUserIds(TwoTowerModel model, FieldEncoder.Encoded[] userRows, int[] order, int start,
            int[] userOf, List<Interaction> interactions, FieldEncoder.Encoded[] perUserWithoutId, double p,
            long stepSeed) {
        SplittableRandom random = new SplittableRandom(stepSeed ^ USER_ID_STREAM);
        for (int r = 0; r < userRows.length; r++) {
            if (random.nextDouble() >= p) {
                continue;
            }
            int x = order[start + r];
            int u = userOf[x];
            userRows[r] = perUserWithoutId != null ? perUserWithoutId[u] : model.encodeUser(-1, model.userFeatures[u],
                    interactions.get(x).timestamp(), "user " + model.users[u]);
        }
    }

    private static void update(Optimizer optimizer, Side side, Side.Grads grads) {
        for (int t = 0; t < side.tables.length; t++) {
            optimizer.updateSparse(side.tables[t], grads.tables[t]);
        }
        for (Parameter p : side.denseParameters()) {
            optimizer.updateDense(p, grads.dense.of(p));
        }
    }

    private static void clip(TwoTowerModel model, Side.Grads user, Side.Grads item, float[] logScale, double max) {
        double sq = logScale[0] * (double) logScale[0];
        for (Side.Grads g : List.of(user, item)) {
            for (SparseGrad t : g.tables) {
                sq += t.squaredNorm();
            }
        }
        for (Parameter p : model.user.denseParameters()) {
            sq += squared(user.dense.of(p));
        }
        for (Parameter p : model.item.denseParameters()) {
            sq += squared(item.dense.of(p));
        }
        double norm = Math.sqrt(sq);
        if (norm <= max) {
            return;
        }
        float factor = (float) (max / norm);
        for (Side.Grads g : List.of(user, item)) {
            for (SparseGrad t : g.tables) {
                t.scale(factor);
            }
        }
        for (Parameter p : model.user.denseParameters()) {
            scale(user.dense.of(p), factor);
        }
        for (Parameter p : model.item.denseParameters()) {
            scale(item.dense.of(p), factor);
        }
        logScale[0] *= factor;
    }

    private static double squared(float[] g) {
        double s = 0;
        for (float v : g) {
            s += (double) v * v;
        }
        return s;
    }

    private static void scale(float[] g, float factor) {
        for (int i = 0; i < g.length; i++) {
            g[i] *= factor;
        }
    }

    /**
     * Fills user and catalogue indices and, per interaction, how many of the user's time-ordered
     * training items come strictly before it (its history ends there; with equal timestamps none of
     * them is history, without timestamps the input order is the time order).
     */
    private static void prepare(TwoTowerModel model, List<Interaction> interactions, int[] userOf, int[] itemOf,
            int[] historyEnd) {
        int n = interactions.size();
        Map<Integer, List<Integer>> byUser = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Interaction in = interactions.get(i);
            userOf[i] = model.userIndex.get(in.user());
            itemOf[i] = model.itemIndex.get(in.item());
            byUser.computeIfAbsent(userOf[i], k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> list : byUser.values()) {
            list.sort(Comparator.comparingLong(i -> interactions.get(i).hasTimestamp()
                    ? interactions.get(i).timestamp() : Long.MIN_VALUE));
            int first = 0;
            for (int p = 0; p < list.size(); p++) {
                Interaction in = interactions.get(list.get(p));
                if (!in.hasTimestamp()) {
                    historyEnd[list.get(p)] = p;
                    continue;
                }
                if (p > 0 && interactions.get(list.get(p - 1)).timestamp() != in.timestamp()) {
                    first = p;
                }
                historyEnd[list.get(p)] = first;
            }
        }
    }
}
