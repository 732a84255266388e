package io.lenetspark.training;

import io.lenetspark.config.TrainingSettings;

/**
 * Keras {@code ReduceLROnPlateau} for a metric that should grow (validation accuracy): when it
 * has not improved by more than {@code minDelta} for {@code patience} epochs, the learning rate
 * is multiplied by {@code factor}, then {@code cooldown} epochs pass before counting again.
 */
public final class ReduceLrOnPlateau {

    private final TrainingSettings.ReduceLrOnPlateau settings;
    private double learningRate;
    private double best = Double.NEGATIVE_INFINITY;
    private int wait;
    private int cooldownLeft;

    /** Everything the policy remembers between epochs, so that a resumed run decides as an uninterrupted one. */
    public record State(double learningRate, double best, int epochsWithoutImprovement, int cooldownLeft) {
    }

    public ReduceLrOnPlateau(TrainingSettings.ReduceLrOnPlateau settings, double initialLearningRate) {
        this.settings = settings;
        this.learningRate = initialLearningRate;
    }

    /** Continues from a saved state. */
    public ReduceLrOnPlateau(TrainingSettings.ReduceLrOnPlateau settings, State state) {
        this.settings = settings;
        this.learningRate = state.learningRate();
        this.best = state.best();
        this.wait = state.epochsWithoutImprovement();
        this.cooldownLeft = state.cooldownLeft();
    }

    public State state() {
        return new State(learningRate, best, wait, cooldownLeft);
    }

    /** The learning rate for the next epoch. */
    public double learningRate() {
        return learningRate;
    }

    /** Records an epoch's metric and returns the learning rate for the next epoch. */
    public double onEpochEnd(double metric) {
        if (cooldownLeft > 0) {
            cooldownLeft--;
            wait = 0;
        }
        if (metric > best + settings.minDelta()) {
            best = metric;
            wait = 0;
        } else if (cooldownLeft == 0) {
            wait++;
            if (wait >= settings.patience() && learningRate > settings.minLearningRate()) {
                learningRate = Math.max(learningRate * settings.factor(), settings.minLearningRate());
                cooldownLeft = settings.cooldown();
                wait = 0;
            }
        }
        return learningRate;
    }
}
