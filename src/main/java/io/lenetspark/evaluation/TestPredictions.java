package io.lenetspark.evaluation;

import io.lenetspark.data.MnistSchema;
import io.lenetspark.util.SparkJobGroup;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The test split with the network's prediction for every image, written as Parquet so that a
 * notebook can query the mistakes and show their digits.
 */
public final class TestPredictions {

    public static final String PREDICTED = "predicted";
    public static final String PROBABILITIES = "probabilities";

    /** One row per test image; {@code probabilities[k]} is the probability of digit k. */
    public static final StructType SCHEMA = new StructType()
            .add(MnistSchema.ID, DataTypes.LongType, false)
            .add(MnistSchema.LABEL, DataTypes.IntegerType, false)
            .add(PREDICTED, DataTypes.IntegerType, false)
            .add(PROBABILITIES, DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add(MnistSchema.IMAGE, DataTypes.BinaryType, false);

    private TestPredictions() {
    }

    /**
     * Predicts every row of {@code test} on the executors and writes the result to {@code target}.
     * Spark's writer replaces a partial result an interrupted run left there.
     */
    public static void write(SparkSession spark, MultiLayerNetwork network, Dataset<Row> test, int partitions,
                             int batchSize, String target) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        NetworkBroadcast broadcast = NetworkBroadcast.of(sc, network);
        try (SparkJobGroup group = SparkJobGroup.start(sc.sc(), "predict", "PREDICT test")) {
            JavaRDD<Row> predicted = test.select(MnistSchema.ID, MnistSchema.LABEL, MnistSchema.IMAGE)
                    .repartition(partitions)
                    .javaRDD()
                    .mapPartitions(new PredictPartition(broadcast, batchSize));
            spark.createDataFrame(predicted, SCHEMA).write().mode(SaveMode.Overwrite).parquet(target);
        } finally {
            broadcast.destroy();
        }
    }
}
