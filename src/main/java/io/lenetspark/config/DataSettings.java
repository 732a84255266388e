package io.lenetspark.config;

/**
 * Where the training job reads MNIST.
 *
 * @param train              Parquet data set of the training split (any Hadoop URI)
 * @param test               Parquet data set of the test split
 * @param validationFraction fraction of {@code train} held out for validation
 * @param partitions         Spark partitions of the training minibatches; 0 means one per worker
 * @param onBadRow           what reading a split does with rows whose values are invalid
 */
public record DataSettings(String train, String test, double validationFraction, int partitions, OnBadRow onBadRow) {

    /** What the job does with a row that has a null id, a null or out-of-range label or a bad image. */
    public enum OnBadRow implements SettingsReader.Named {
        /** Refuse the data set: exit 2 with a message counting the bad rows and naming the first. */
        FAIL("fail"),
        /** Leave the bad rows out, count them in the log and the run folder, train on the rest. */
        SKIP("skip");

        private final String configName;

        OnBadRow(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    static DataSettings read(SettingsReader reader) {
        return new DataSettings(
                reader.location("lenet.data.train"),
                reader.location("lenet.data.test"),
                reader.fraction("lenet.data.validation-fraction"),
                reader.intAtLeast("lenet.data.partitions", 0),
                reader.oneOf("lenet.data.on-bad-row", OnBadRow.class));
    }
}
