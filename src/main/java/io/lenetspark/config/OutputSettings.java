package io.lenetspark.config;

/**
 * Where a run's folder goes.
 *
 * @param dir   folder holding one sub-folder per run (any Hadoop URI)
 * @param runId the run's folder name; empty means one derived from the start time
 */
public record OutputSettings(String dir, String runId) {

    static OutputSettings read(SettingsReader reader) {
        String runId = reader.string("lenet.output.run-id");
        if (!runId.isEmpty() && !runId.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            reader.reject("lenet.output.run-id", "\"" + runId + "\"",
                    "use letters, digits, '.', '_' and '-' only, starting with a letter or digit");
        }
        return new OutputSettings(reader.nonBlankString("lenet.output.dir"), runId);
    }
}
