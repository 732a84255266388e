package io.lenetspark.model;

import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/** Maps a partition's rows a batch at a time, lazily: one batch is in memory at once, never the partition. */
public final class BatchedRows {

    private BatchedRows() {
    }

    /** The rows {@code mapBatch} makes of each batch of at most {@code batchSize} of {@code rows}, in order. */
    public static Iterator<Row> map(Iterator<Row> rows, int batchSize, Function<List<Row>, List<Row>> mapBatch) {
        return new Iterator<>() {
            private Iterator<Row> mapped = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                return mapped.hasNext() || rows.hasNext();
            }

            @Override
            public Row next() {
                if (!mapped.hasNext()) {
                    if (!rows.hasNext()) {
                        throw new NoSuchElementException();
                    }
                    List<Row> batch = new ArrayList<>(batchSize);
                    while (batch.size() < batchSize && rows.hasNext()) {
                        batch.add(rows.next());
                    }
                    mapped = mapBatch.apply(batch).iterator();
                }
                return mapped.next();
            }
        };
    }
}
