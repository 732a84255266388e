package io.lenetspark.scoring;

/** The predicted digit of a row of class probabilities. */
final class Digits {

    private Digits() {
    }

    /** The index of the largest value; the first one on a tie. */
    static int argmax(float[] probabilities) {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return best;
    }
}
