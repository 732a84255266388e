package io.lenetspark.model;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Turns a partition of (label, image) rows into DL4J minibatches of at most {@code batchSize}
 * examples: features NCHW [n, 1, 28, 28] scaled to [0, 1], one-hot labels [n, 10]. Rows are read
 * lazily, so a partition is never held in memory as rows and arrays at once.
 */
public final class RowsToMinibatches implements FlatMapFunction<Iterator<Row>, DataSet> {

    private static final int PIXELS = ImageFeatures.PIXELS;

    private final int batchSize;
    private final int labelField;
    private final int imageField;

    /**
     * @param labelField position of the int label in each row
     * @param imageField position of the 784-byte image in each row
     */
    public RowsToMinibatches(int batchSize, int labelField, int imageField) {
        this.batchSize = batchSize;
        this.labelField = labelField;
        this.imageField = imageField;
    }

    @Override
    public Iterator<DataSet> call(Iterator<Row> rows) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public DataSet next() {
                if (!rows.hasNext()) {
                    throw new NoSuchElementException();
                }
                return nextBatch(rows);
            }
        };
    }

    private DataSet nextBatch(Iterator<Row> rows) {
        float[] features = new float[batchSize * PIXELS];
        float[] labels = new float[batchSize * LeNet5.CLASSES];
        int n = 0;
        while (n < batchSize && rows.hasNext()) {
            Row row = rows.next();
            ImageFeatures.fill((byte[]) row.get(imageField), features, n * PIXELS);
            labels[n * LeNet5.CLASSES + row.getInt(labelField)] = 1f;
            n++;
        }
        if (n < batchSize) {
            features = Arrays.copyOf(features, n * PIXELS);
            labels = Arrays.copyOf(labels, n * LeNet5.CLASSES);
        }
        return new DataSet(
                Nd4j.create(features, new long[]{n, LeNet5.CHANNELS, LeNet5.IMAGE_SIZE, LeNet5.IMAGE_SIZE}),
                Nd4j.create(labels, new long[]{n, LeNet5.CLASSES}));
    }
}
