package io.lenetspark.scoring;

import io.lenetspark.model.BatchedRows;
import io.lenetspark.model.Digits;
import io.lenetspark.model.ImageFeatures;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Scores one partition a minibatch at a time, lazily, and returns each row with two more values:
 * the predicted digit and the ten class probabilities.
 */
final class ScorePartition implements FlatMapFunction<Iterator<Row>, Row> {

    private static final long serialVersionUID = 1L;

    private final TrainedModel model;
    private final int imageField;
    private final int batchSize;
    private final LongAccumulator scored;

    /**
     * @param imageField the position of the 784-byte image in each row
     * @param scored     counts the images scored
     */
    ScorePartition(TrainedModel model, int imageField, int batchSize, LongAccumulator scored) {
        this.model = model;
        this.imageField = imageField;
        this.batchSize = batchSize;
        this.scored = scored;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return rows;
        }
        MultiLayerNetwork network = model.borrow();
        TaskContext.get().addTaskCompletionListener((TaskCompletionListener) task -> model.giveBack(network));
        return BatchedRows.map(rows, batchSize, batch -> scoreBatch(network, batch));
    }

    private List<Row> scoreBatch(MultiLayerNetwork network, List<Row> batch) {
        List<byte[]> images = batch.stream().map(row -> (byte[]) row.get(imageField)).toList();
        INDArray output = network.output(ImageFeatures.of(images), false);
        List<Row> scoredRows = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Row row = batch.get(i);
            float[] probabilities = output.getRow(i).toFloatVector();
            Object[] values = new Object[row.size() + 2];
            for (int field = 0; field < row.size(); field++) {
                values[field] = row.get(field);
            }
            values[values.length - 2] = Digits.argmax(probabilities);
            values[values.length - 1] = probabilities;
            scoredRows.add(RowFactory.create(values));
        }
        scored.add(batch.size());
        return scoredRows;
    }
}
