package io.lenetspark.config;

/**
 * Where a run's folder goes and what happens when it already exists.
 *
 * @param dir              folder holding one sub-folder per run (any Hadoop URI)
 * @param runId            the run's folder name; empty means one derived from the start time
 * @param onCompleteRun    what a job given the id of a completed run does
 * @param checkpointsKept  how many of the newest per-epoch checkpoints a run keeps
 */
public record OutputSettings(String dir, String runId, OnCompleteRun onCompleteRun, int checkpointsKept) {

    /** What a job does when its run folder already holds a completed run. */
    public enum OnCompleteRun implements SettingsReader.Named {
        /** Refuse: exit 2 with a message. */
        FAIL("fail"),
        /** Accept the completed run as this job's result: exit 0 without touching it. */
        SKIP("skip");

        private final String configName;

        OnCompleteRun(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    static OutputSettings read(SettingsReader reader) {
        String runId = reader.string("lenet.output.run-id");
        if (!runId.isEmpty() && !runId.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            reader.reject("lenet.output.run-id", "\"" + runId + "\"",
                    "use letters, digits, '.', '_' and '-' only, starting with a letter or digit");
        }
        return new OutputSettings(reader.location("lenet.output.dir"), runId,
                reader.oneOf("lenet.output.on-complete-run", OnCompleteRun.class),
                reader.intAtLeast("lenet.output.checkpoints-kept", 1));
    }
}
