package io.lenetspark.training;

import io.lenetspark.config.TrainingSettings;

/**
 * Keras {@code EarlyStopping} for a metric that should grow: training stops once the metric has
 * not improved by more than {@code minDelta} for {@code patience} epochs in a row.
 */
public final class EarlyStopping {

    private final TrainingSettings.EarlyStopping settings;
    private double best = Double.NEGATIVE_INFINITY;
    private int bestEpoch;
    private int wait;

    /** Everything the policy remembers between epochs, so that a resumed run decides as an uninterrupted one. */
    public record State(double best, int bestEpoch, int epochsWithoutImprovement) {
    }

    public EarlyStopping(TrainingSettings.EarlyStopping settings) {
        this.settings = settings;
    }

    /** Continues from a saved state. */
    public EarlyStopping(TrainingSettings.EarlyStopping settings, State state) {
        this.settings = settings;
        this.best = state.best();
        this.bestEpoch = state.bestEpoch();
        this.wait = state.epochsWithoutImprovement();
    }

    public State state() {
        return new State(best, bestEpoch, wait);
    }

    /** Records an epoch's metric; returns true when training should stop after this epoch. */
    public boolean onEpochEnd(int epoch, double metric) {
        wait++;
        if (metric - settings.minDelta() > best) {
            best = metric;
            bestEpoch = epoch;
            wait = 0;
        }
        return wait >= settings.patience();
    }

    /** The epoch with the best metric so far (1-based; 0 before the first epoch). */
    public int bestEpoch() {
        return bestEpoch;
    }

    public double best() {
        return best;
    }
}
