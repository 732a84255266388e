package io.lenetspark.scoring;

import io.lenetspark.data.MnistSchema;
import io.lenetspark.model.Digits;
import io.lenetspark.model.ImageFeatures;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;

/**
 * SQL functions over a trained run's model, for notebooks: after one call of {@link #register},
 * {@code SELECT label, lenet_predict(image) FROM parquet.`.../test`} scores on the executors. An
 * image that is null or not of 784 bytes scores as null.
 */
public final class LeNetSqlFunctions {

    /** {@code lenet_predict(image)}: the predicted digit, an int. */
    public static final String PREDICT = "lenet_predict";
    /** {@code lenet_probabilities(image)}: the ten class probabilities, an array of floats. */
    public static final String PROBABILITIES = "lenet_probabilities";

    private LeNetSqlFunctions() {
    }

    /**
     * Registers {@value #PREDICT} and {@value #PROBABILITIES} on {@code spark} with the model of the
     * completed run at {@code runFolder} (a local path or any Hadoop URI), replacing an earlier
     * registration's.
     */
    public static void register(SparkSession spark, String runFolder) {
        TrainedRun run = TrainedRun.open(runFolder, "the run folder given to " + LeNetSqlFunctions.class.getSimpleName()
                + ".register", spark.sparkContext().hadoopConfiguration());
        TrainedModel model = TrainedModel.broadcast(JavaSparkContext.fromSparkContext(spark.sparkContext()), run, true);
        spark.udf().register(PREDICT, (UDF1<byte[], Integer>) image -> {
            float[] probabilities = score(model, image);
            return probabilities == null ? null : Digits.argmax(probabilities);
        }, DataTypes.IntegerType);
        spark.udf().register(PROBABILITIES, (UDF1<byte[], float[]>) image -> score(model, image),
                DataTypes.createArrayType(DataTypes.FloatType, false));
    }

    private static float[] score(TrainedModel model, byte[] image) {
        if (image == null || image.length != MnistSchema.IMAGE_BYTES) {
            return null;
        }
        MultiLayerNetwork network = model.borrow();
        try {
            return network.output(ImageFeatures.of(List.of(image)), false).toFloatVector();
        } finally {
            model.giveBack(network);
        }
    }
}
