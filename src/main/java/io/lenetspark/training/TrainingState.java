package io.lenetspark.training;


import java.util.List;

/**
 * Where training stands after an epoch: what each epoch measured and what the driver's policies
 * remember. With the network's parameters and updater state it is all a resumed run needs to make
 * the same decisions as an uninterrupted one; the data order of each epoch follows from the seed.
 *
 * @param epochs        the completed epochs, in order
 * @param plateau       the reduce-on-plateau policy's state, holding the next epoch's learning rate
 * @param earlyStopping the early-stopping policy's state
 * @param stopRequested whether early stopping ended training after the last epoch
 */
public record TrainingState(List<EpochMetrics> epochs, ReduceLrOnPlateau.State plateau,
                            EarlyStopping.State earlyStopping, boolean stopRequested) {

    public TrainingState {
        epochs = List.copyOf(epochs);
    }

    /** Before the first epoch. */
    public static TrainingState initial(double learningRate) {
        return new TrainingState(List.of(), new ReduceLrOnPlateau.State(learningRate, Double.NEGATIVE_INFINITY, 0, 0),
                new EarlyStopping.State(Double.NEGATIVE_INFINITY, 0, 0), false);
    }

    public int completedEpochs() {
        return epochs.size();
    }
}
