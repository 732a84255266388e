package io.lenetspark.config;

/**
 * What LeNetPredict scores, with which run's model, and where it writes the result. The three
 * locations have no default: LeNetPredict asks for each one it lacks.
 *
 * @param run       a completed run folder, whose {@code model.zip} scores the images
 * @param input     Parquet data set with an {@code image} column of 784 bytes; other columns pass through
 * @param output    where the input's rows go with their {@code prediction} and {@code probabilities}
 * @param batchSize images per forward pass on an executor
 * @param onBadRow  what a row with a null image or one not of 784 bytes does: refuse the input, or be left out
 */
public record PredictSettings(String run, String input, String output, int batchSize, DataSettings.OnBadRow onBadRow) {

    static PredictSettings read(SettingsReader reader) {
        return new PredictSettings(
                reader.optionalLocation("lenet.predict.run"),
                reader.optionalLocation("lenet.predict.input"),
                reader.optionalLocation("lenet.predict.output"),
                reader.intAtLeast("lenet.predict.batch-size", 1),
                reader.oneOf("lenet.predict.on-bad-row", DataSettings.OnBadRow.class));
    }
}
