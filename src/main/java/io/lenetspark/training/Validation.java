package io.lenetspark.training;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Scores the network on the validation data after each epoch's training pass. The caller decides
 * how (the job evaluates on Spark); training needs only the two figures its policies and metrics use.
 */
@FunctionalInterface
public interface Validation {

    /**
     * @param loss     mean cross-entropy per example
     * @param accuracy fraction classified correctly
     */
    record Score(double loss, double accuracy) {
    }

    Score score(MultiLayerNetwork network);
}
