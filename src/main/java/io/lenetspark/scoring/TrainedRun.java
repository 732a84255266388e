package io.lenetspark.scoring;

import io.lenetspark.failure.InvalidInputException;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunOutputs;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A completed training run, read for its model: the folder must hold {@code _SUCCESS} and {@code model.zip}. */
public final class TrainedRun {

    private final RunFolder folder;
    private final byte[] modelZip;

    private TrainedRun(RunFolder folder, byte[] modelZip) {
        this.folder = folder;
        this.modelZip = modelZip;
    }

    /**
     * @param location the run folder (a local path or any Hadoop URI)
     * @param setting  the setting that named it, for messages
     */
    public static TrainedRun open(String location, String setting, Configuration hadoop) {
        RunFolder folder = RunFolder.at(location, hadoop);
        if (!folder.folderExists(setting)) {
            throw new InvalidInputException("No run folder at " + folder.path() + " (" + setting + "). Point " + setting
                    + " at the folder of a completed LeNetJob run, e.g. <lenet.output.dir>/<run id>.");
        }
        if (!folder.isComplete()) {
            throw new InvalidInputException("Run " + folder.path() + " (" + setting + ") is not complete: it has no "
                    + RunFolder.SUCCESS_MARKER + ", so its training or its test evaluation did not finish. Resume it "
                    + "with LeNetJob output.run-id=" + folder.runId() + ", or point " + setting
                    + " at a completed run.");
        }
        if (!folder.exists(RunOutputs.MODEL)) {
            throw new InvalidInputException("Run " + folder.path() + " (" + setting + ") has no " + RunOutputs.MODEL
                    + " although it is complete: it was not written by LeNetJob, or the model was removed. Point "
                    + setting + " at a completed LeNetJob run.");
        }
        try (InputStream in = folder.open(RunOutputs.MODEL)) {
            return new TrainedRun(folder, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + folder.resolve(RunOutputs.MODEL), e);
        }
    }

    /** The run folder, fully qualified. */
    public String location() {
        return folder.path().toString();
    }

    /** The bytes of its {@code model.zip}, as DL4J's ModelSerializer wrote them. */
    byte[] modelZip() {
        return modelZip;
    }
}
