package io.lenetspark.training;

/**
 * What one epoch measured, as reported in the log and the run folder.
 *
 * @param seconds         wall time of the training pass (evaluation excluded)
 * @param imagesPerSecond training examples per second of that pass
 * @param loss            mean training loss of the epoch's minibatches
 * @param learningRate    the learning rate used during the epoch
 */
public record EpochMetrics(int epoch, double seconds, double imagesPerSecond, double loss, double valLoss,
                           double valAccuracy, double learningRate) {
}
