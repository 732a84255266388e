package io.lenetspark.prepare;

/** The four official MNIST IDX files (uncompressed) and their SHA-256, checked before any use. */
enum IdxFile {
    TRAIN_IMAGES("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    TRAIN_LABELS("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    TEST_IMAGES("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    TEST_LABELS("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    private final String fileName;
    private final String sha256;

    IdxFile(String fileName, String sha256) {
        this.fileName = fileName;
        this.sha256 = sha256;
    }

    String fileName() {
        return fileName;
    }

    /** Images (IDX3) rather than labels (IDX1). */
    boolean holdsImages() {
        return fileName.contains("-images-");
    }

    /** Lower-case hex. */
    String sha256() {
        return sha256;
    }

    @Override
    public String toString() {
        return fileName;
    }
}
