package io.lenetspark.prepare;

import io.lenetspark.data.IdxOrigin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

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

    /** The split's data set folder under {@code output} (any Hadoop URI). */
    public String pathUnder(String output) {
        return new org.apache.hadoop.fs.Path(output, dataSetName).toString();
    }

    /** Reads the split's examples from the verified IDX files in {@code rawDir}. */
    public MnistExamples readIdx(Path rawDir) throws IOException {
        return IdxReader.read(rawDir.resolve(images.fileName()), rawDir.resolve(labels.fileName()),
                "Re-fetch it: delete " + rawDir + " and run PrepareMnist again.");
    }

    /** Reads the split's examples from staged files of any origin; a file not in MNIST's format is refused. */
    public MnistExamples readIdx(StagedIdxFiles staged) throws IOException {
        return IdxReader.read(staged.dir().resolve(images.fileName()), staged.dir().resolve(labels.fileName()),
                "It came from " + staged.source() + ", read with lenet.prepare.idx-files = any, which takes IDX files of "
                        + "28 x 28 images and labels 0-9 under MNIST's file names: fix or replace it there.");
    }

    /** The split's official row count, as the official MNIST files hold it. */
    public long officialRows() {
        return rows;
    }

    /** Its two IDX files, images first. */
    List<IdxFile> files() {
        return List.of(images, labels);
    }

    /** The official origin of a data set written from this split's official files. */
    public IdxOrigin officialOrigin(String source) {
        return new IdxOrigin(source, true, files().stream()
                .collect(Collectors.toMap(IdxFile::fileName, IdxFile::sha256)), rows);
    }

    @Override
    public String toString() {
        return dataSetName;
    }
}
