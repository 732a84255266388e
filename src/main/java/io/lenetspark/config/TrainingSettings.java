package io.lenetspark.config;

/**
 * How LeNet-5 is trained.
 *
 * @param master       the DL4J TrainingMaster
 * @param workers      Spark tasks training at once; 0 means Spark's default parallelism
 * @param epochs       the most epochs to run (early stopping may end sooner)
 * @param batchSize    examples per minibatch on each worker
 * @param learningRate Adam's initial learning rate
 * @param oneDnnLayerHelpers whether convolution, batch-norm and pooling layers run as oneDNN primitives
 */
public record TrainingSettings(
        Master master,
        int workers,
        int epochs,
        int batchSize,
        double learningRate,
        boolean oneDnnLayerHelpers,
        ParameterAveraging parameterAveraging,
        GradientSharing gradientSharing,
        ReduceLrOnPlateau reduceLrOnPlateau,
        EarlyStopping earlyStopping) {

    /** DL4J's TrainingMasters. */
    public enum Master implements SettingsReader.Named {
        PARAMETER_AVERAGING("parameter-averaging"), GRADIENT_SHARING("gradient-sharing");

        private final String configName;

        Master(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    /**
     * @param averagingFrequency minibatches each worker fits between averaging rounds
     * @param prefetchBatches    minibatches prefetched on each worker; 0 disables
     */
    public record ParameterAveraging(int averagingFrequency, int prefetchBatches) {
    }

    /**
     * @param threshold                initial threshold of the adaptive threshold encoding
     * @param port                     UDP port of the Aeron unicast transport on the driver and on each
     *                                 executor; 0: a free port chosen by each JVM
     * @param controllerAddress        address workers use to reach the driver; empty: the driver's host
     * @param networkMask              mask choosing the interface workers bind to; empty: DL4J's choice
     * @param aeronUnblockTimeoutSeconds Aeron publication unblock timeout
     */
    public record GradientSharing(double threshold, int port, String controllerAddress, String networkMask,
                                  long aeronUnblockTimeoutSeconds) {
    }

    /** Keras {@code ReduceLROnPlateau} on a maximised metric. */
    public record ReduceLrOnPlateau(double factor, int patience, double minDelta, int cooldown,
                                    double minLearningRate) {
    }

    /** Keras {@code EarlyStopping} on a maximised metric. */
    public record EarlyStopping(int patience, double minDelta) {
    }

    /** Aeron's default client liveness timeout; the unblock timeout must exceed it. */
    static final long AERON_CLIENT_LIVENESS_SECONDS = 10;

    static TrainingSettings read(SettingsReader reader) {
        String pa = "lenet.training.parameter-averaging.";
        String gs = "lenet.training.gradient-sharing.";
        String rp = "lenet.training.reduce-lr-on-plateau.";
        String es = "lenet.training.early-stopping.";
        int port = reader.intAtLeast(gs + "port", 0);
        if (port > 65535) {
            reader.reject(gs + "port", port, "must be a UDP port up to 65535");
        }
        return new TrainingSettings(
                reader.oneOf("lenet.training.master", Master.class),
                reader.intAtLeast("lenet.training.workers", 0),
                reader.intAtLeast("lenet.training.epochs", 1),
                reader.intAtLeast("lenet.training.batch-size", 1),
                reader.positiveDouble("lenet.training.learning-rate"),
                reader.bool("lenet.training.onednn-layer-helpers"),
                new ParameterAveraging(
                        reader.intAtLeast(pa + "averaging-frequency", 1),
                        reader.intAtLeast(pa + "prefetch-batches", 0)),
                new GradientSharing(
                        reader.positiveDouble(gs + "threshold"),
                        port,
                        reader.string(gs + "controller-address"),
                        reader.string(gs + "network-mask"),
                        reader.seconds(gs + "aeron-unblock-timeout", AERON_CLIENT_LIVENESS_SECONDS + 1)),
                new ReduceLrOnPlateau(
                        reader.fraction(rp + "factor"),
                        reader.intAtLeast(rp + "patience", 0),
                        reader.doubleAtLeast(rp + "min-delta", 0),
                        reader.intAtLeast(rp + "cooldown", 0),
                        reader.doubleAtLeast(rp + "min-learning-rate", 0)),
                new EarlyStopping(
                        reader.intAtLeast(es + "patience", 0),
                        reader.doubleAtLeast(es + "min-delta", 0)));
    }
}
