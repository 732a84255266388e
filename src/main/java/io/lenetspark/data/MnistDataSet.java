package io.lenetspark.data;

import io.lenetspark.InvalidInputException;

/** A Parquet data set the training job reads, named in every message about it. */
record MnistDataSet(String split, String path) {

    /** A rejection naming the split, the path, {@code problem} and the fix. */
    InvalidInputException reject(String problem, Throwable cause) {
        return new InvalidInputException("MNIST " + split + " data " + path + " " + problem
                + ". Write it with PrepareMnist and point lenet.data." + split + " at the data set it wrote.", cause);
    }

    InvalidInputException reject(String problem) {
        return reject(problem, null);
    }
}
