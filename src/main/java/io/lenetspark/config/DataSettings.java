package io.lenetspark.config;

/**
 * Where the training job reads MNIST.
 *
 * @param train              Parquet data set of the training split (any Hadoop URI)
 * @param test               Parquet data set of the test split
 * @param validationFraction fraction of {@code train} held out for validation
 * @param partitions         Spark partitions of the training minibatches; 0 means one per worker
 */
public record DataSettings(String train, String test, double validationFraction, int partitions) {

    static DataSettings read(SettingsReader reader) {
        return new DataSettings(
                reader.location("lenet.data.train"),
                reader.location("lenet.data.test"),
                reader.fraction("lenet.data.validation-fraction"),
                reader.intAtLeast("lenet.data.partitions", 0));
    }
}
