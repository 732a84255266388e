package io.lenetspark.model;

/** The predicted digit of a row of class probabilities, for the test predictions and for scoring alike. */
public final class Digits {

    private Digits() {
    }

    /** The index of the largest value; the first one on a tie. */
    public static int argmax(float[] probabilities) {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return best;
    }
}
