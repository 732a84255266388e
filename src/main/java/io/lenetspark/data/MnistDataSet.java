package io.lenetspark.data;

import io.lenetspark.failure.InvalidInputException;

/** A Parquet data set the training job reads, named in every message about it. */
record MnistDataSet(String split, String path) {

    /** A rejection naming the split, the path, {@code problem} and the fix. */
    InvalidInputException reject(String problem, Throwable cause) {
        return new InvalidInputException(message(problem) + ".", cause);
    }

    InvalidInputException reject(String problem) {
        return reject(problem, null);
    }

    /**
     * A rejection for bad rows, which also names the setting that leaves them out (and, where rows
     * share an id, keeps one of them).
     */
    InvalidInputException rejectBadRows(String problem, boolean duplicateIds) {
        return new InvalidInputException(message(problem) + ", or set lenet.data.on-bad-row = skip to leave the bad "
                + "rows out" + (duplicateIds ? " and keep one row of each id." : "."));
    }

    private String message(String problem) {
        return "MNIST " + split + " data " + path + " " + problem
                + ". Write it with PrepareMnist and point lenet.data." + split + " at the data set it wrote";
    }
}
