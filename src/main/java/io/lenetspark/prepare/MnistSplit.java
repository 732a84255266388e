package io.lenetspark.prepare;

import java.io.IOException;
import java.nio.file.Path;

/** The two MNIST splits: the IDX files each is read from and the data set each becomes. */
public enum MnistSplit {
    TRAIN("train", IdxFile.TRAIN_IMAGES, IdxFile.TRAIN_LABELS, 60_000),
    TEST("test", IdxFile.TEST_IMAGES, IdxFile.TEST_LABELS, 10_000);

    private final String dataSetName;
    private final IdxFile images;
    private final IdxFile labels;
    private final long rows;

    MnistSplit(String dataSetName, IdxFile images, IdxFile labels, long rows) {
        this.dataSetName = dataSetName;
        this.images = images;
        this.labels = labels;
        this.rows = rows;
    }

    /** Examples in the official files, so in a complete data set. */
    public long rows() {
        return rows;
    }

    /** The split's data set folder under {@code output} (any Hadoop URI). */
    public String pathUnder(String output) {
        return new org.apache.hadoop.fs.Path(output, dataSetName).toString();
    }

    /** Reads the split's examples from the verified IDX files in {@code rawDir}. */
    public MnistExamples readIdx(Path rawDir) throws IOException {
        return IdxReader.read(rawDir.resolve(images.fileName()), rawDir.resolve(labels.fileName()));
    }

    @Override
    public String toString() {
        return dataSetName;
    }
}
