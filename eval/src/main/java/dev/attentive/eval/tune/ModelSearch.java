package dev.attentive.eval.tune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The search of one model: its space, every trial in order, and the setting chosen on validation.
 *
 * @param label the model spec as written (the key of the model in results)
 * @param name the provider name
 * @param space the searched dimensions as text (setting name to {@link Parameter#describe()})
 * @param fixed the settings the spec fixed, which every trial shares
 * @param trials every trial, in order
 * @param chosen the settings of the best trial on validation NDCG@10 (the first best on ties)
 * @param chosenTrial the index of that trial
 * @param seconds wall-clock seconds of the whole search
 * @param stoppedBy why the search stopped: {@code trials}, {@code seconds} or {@code exhausted} (every
 *     distinct setting of a finite space was tried)
 */
public record ModelSearch(String label, String name, Map<String, String> space, Map<String, String> fixed,
        List<Trial> trials, Map<String, String> chosen, int chosenTrial, double seconds, String stoppedBy) {
    /** Copies. */
    public ModelSearch {
        space = Collections.unmodifiableMap(new LinkedHashMap<>(space));
        fixed = Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
        trials = List.copyOf(trials);
        chosen = Collections.unmodifiableMap(new LinkedHashMap<>(chosen));
    }

    /**
     * The validation NDCG@10 of the chosen trial.
     *
     * @return the score
     */
    public double chosenValidNdcg10() {
        return trials.get(chosenTrial).validNdcg10();
    }
}
