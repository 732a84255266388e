package io.lenetspark.evaluation;

import io.lenetspark.model.BatchedRows;
import io.lenetspark.model.Digits;
import io.lenetspark.model.RowsToMinibatches;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Predicts one partition of (id, label, image) rows with a copy of the network, a minibatch at a
 * time, and returns each row with its predicted label and class probabilities
 * ({@link TestPredictions#SCHEMA}).
 */
final class PredictPartition implements FlatMapFunction<Iterator<Row>, Row> {

    private static final int ID = 0;
    private static final int LABEL = 1;
    private static final int IMAGE = 2;

    private final NetworkBroadcast network;
    private final int batchSize;

    PredictPartition(NetworkBroadcast network, int batchSize) {
        this.network = network;
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return rows;
        }
        MultiLayerNetwork copy = network.rebuild();
        RowsToMinibatches toMinibatch = new RowsToMinibatches(batchSize, LABEL, IMAGE);
        return BatchedRows.map(rows, batchSize, batch -> predictBatch(copy, toMinibatch, batch));
    }

    private List<Row> predictBatch(MultiLayerNetwork copy, RowsToMinibatches toMinibatch, List<Row> batch) {
        DataSet minibatch = toMinibatch.call(batch.iterator()).next();
        INDArray output = copy.output(minibatch.getFeatures(), false);
        List<Row> predicted = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Row row = batch.get(i);
            INDArray probabilities = output.getRow(i);
            predicted.add(RowFactory.create(row.getLong(ID), row.getInt(LABEL),
                    Digits.argmax(probabilities.toFloatVector()), probabilities.toDoubleVector(), row.get(IMAGE)));
        }
        return predicted;
    }
}
