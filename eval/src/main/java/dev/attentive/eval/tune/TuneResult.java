package dev.attentive.eval.tune;

import dev.attentive.eval.runner.ExperimentResult;
import dev.attentive.eval.runner.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The outcome of a {@link Tuner}: every model's search and, once scored, the chosen settings' test
 * results. Immutable.
 *
 * @param dataset the dataset's name
 * @param protocol the protocol's name
 * @param tuneSeeds the seeds whose validation parts scored the trials
 * @param searchSeed the seed of the random search
 * @param budget the budget every model had
 * @param startedFromDefaults whether trial 0 of every search ran the model's defaults
 * @param searches per model label, its search
 * @param test the chosen settings scored on the test seeds, or null when not (yet) scored
 */
public record TuneResult(String dataset, String protocol, List<Long> tuneSeeds, long searchSeed, Budget budget,
        boolean startedFromDefaults, Map<String, ModelSearch> searches, ExperimentResult test) {
    /** Copies. */
    public TuneResult {
        tuneSeeds = List.copyOf(tuneSeeds);
        searches = Collections.unmodifiableMap(new LinkedHashMap<>(searches));
    }

    /**
     * The chosen settings as model specs, under the labels that were tuned, ready for an
     * {@link dev.attentive.eval.runner.Experiment}.
     *
     * @return one spec per model, in order
     */
    public List<ModelSpec> chosenSpecs() {
        return searches.values().stream().map(s -> new ModelSpec(s.label(), s.name(), s.chosen())).toList();
    }

    /**
     * This result with test results.
     *
     * @param test the chosen settings scored on test
     * @return a new result
     */
    public TuneResult withTest(ExperimentResult test) {
        return new TuneResult(dataset, protocol, tuneSeeds, searchSeed, budget, startedFromDefaults, searches, test);
    }

    /**
     * The {@code results.json} document: when scored on test, everything {@link ExperimentResult#toJson()}
     * writes (whose {@code models.NAME.params} are the chosen settings bound to the full config), and in
     * every case {@code tuning{selection, tune_seeds, search_seed, budget{trials, seconds}, trial_zero,
     * models{NAME:{model, space, fixed, chosen, chosen_trial, valid_ndcg@10, default_valid_ndcg@10,
     * trials_run, seconds, stopped_by, trials[{trial, settings, valid_ndcg@10, seconds, best_so_far,
     * error}]}}}}. {@code default_valid_ndcg@10} is trial 0's score and appears only when trial 0 ran the
     * defaults; the {@code best_so_far} column is the search curve.
     *
     * @return indented JSON
     */
    public String toJson() {
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        ObjectNode root;
        if (test != null) {
            root = (ObjectNode) mapper.readTree(test.toJson());
        } else {
            root = mapper.createObjectNode();
            root.put("dataset", dataset);
            root.put("protocol", protocol);
        }
        ObjectNode tuning = root.putObject("tuning");
        tuning.put("selection", "validation ndcg@10, mean over the tuning seeds; test never read during the search");
        ArrayNode seeds = tuning.putArray("tune_seeds");
        tuneSeeds.forEach(seeds::add);
        tuning.put("search_seed", searchSeed);
        ObjectNode b = tuning.putObject("budget");
        b.put("trials", budget.trials());
        if (budget.seconds() > 0) {
            b.put("seconds", budget.seconds());
        } else {
            b.putNull("seconds");
        }
        tuning.put("trial_zero", startedFromDefaults ? "defaults" : "random");
        ObjectNode models = tuning.putObject("models");
        searches.forEach((label, s) -> {
            ObjectNode m = models.putObject(label);
            m.put("model", s.name());
            ObjectNode space = m.putObject("space");
            s.space().forEach(space::put);
            ObjectNode fixed = m.putObject("fixed");
            s.fixed().forEach(fixed::put);
            ObjectNode chosen = m.putObject("chosen");
            s.chosen().forEach(chosen::put);
            m.put("chosen_trial", s.chosenTrial());
            m.put("valid_ndcg@10", s.chosenValidNdcg10());
            if (startedFromDefaults && !s.trials().isEmpty()) {
                m.put("default_valid_ndcg@10", s.trials().get(0).validNdcg10());
            }
            m.put("trials_run", s.trials().size());
            m.put("seconds", s.seconds());
            m.put("stopped_by", s.stoppedBy());
            ArrayNode trials = m.putArray("trials");
            for (Trial t : s.trials()) {
                ObjectNode o = trials.addObject();
                o.put("trial", t.index());
                ObjectNode settings = o.putObject("settings");
                t.settings().forEach(settings::put);
                o.put("valid_ndcg@10", t.validNdcg10());
                o.put("seconds", t.seconds());
                o.put("best_so_far", t.bestSoFar());
                if (t.error() != null) {
                    o.put("error", t.error());
                }
            }
        });
        return mapper.writeValueAsString(root);
    }

    /**
     * Writes {@link #toJson()} to a file through a temporary sibling, so a failure never leaves a
     * half-written file; an existing file is replaced.
     *
     * @param file the file to write (conventionally {@code results.json})
     * @throws UncheckedIOException when the file cannot be written
     */
    public void writeJson(Path file) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(tmp, toJson());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write results to " + file, e);
        }
    }
}
