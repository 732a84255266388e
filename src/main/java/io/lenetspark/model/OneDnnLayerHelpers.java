package io.lenetspark.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * DL4J's oneDNN layer helpers: convolution, batch norm and max-pooling run as oneDNN primitives
 * instead of DL4J's im2col and element-wise code, about twice the images per second on one core.
 *
 * <p>DL4J 1.0.0-M2 creates a layer's helper when it builds the layer, and only if the system
 * property {@value #DISABLE_PROPERTY} is {@code false} (unset means {@code true}) and its oneDNN
 * check passes, which needs {@link org.nd4j.nativeblas.Nd4jCpu}. The helpers call libnd4j
 * operations, which run oneDNN only in ND4J's oneDNN build ({@code nd4j.classifier} in pom.xml).
 * The property is per JVM, so {@link #enable} runs in every JVM before it builds a network:
 * JobLauncher on the driver; {@code WorkerLayerHelpers} on the executors, where DL4J's training
 * workers build theirs; NetworkBroadcast where evaluation builds its copies.
 */
public final class OneDnnLayerHelpers {

    /** Read by DL4J's {@code HelperUtils.createHelper} each time a layer is built. */
    public static final String DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private static final Logger LOG = LoggerFactory.getLogger(OneDnnLayerHelpers.class);

    /** The layers DL4J 1.0.0-M2 has oneDNN helpers for, among those LeNet-5 uses. */
    private static final List<Class<? extends Layer>> HELPED_LAYERS =
            List.of(ConvolutionLayer.class, BatchNormalization.class, SubsamplingLayer.class);

    private OneDnnLayerHelpers() {
    }

    /**
     * Lets the layers this JVM builds from now on take their oneDNN helpers. A value given on the
     * command line ({@code -Dorg.eclipse.deeplearning4j.helpers.disable=true}) is kept: it is how
     * to compare with DL4J's own implementations.
     */
    public static void enable() {
        if (System.getProperty(DISABLE_PROPERTY) == null) {
            System.setProperty(DISABLE_PROPERTY, "false");
        }
    }

    /**
     * Which helper each layer of {@code network} that could have one has, and whether they run oneDNN.
     *
     * @param description    e.g. {@code ConvolutionLayer x2 MKLDNNConvHelper, BatchNormalization x2 ...}
     * @param withoutHelper  indices of the layers that could have a helper and have none
     * @param whyNot         why the helpers are not in effect, as far as this JVM can tell; empty when they are
     */
    public record Summary(String description, List<Integer> withoutHelper, String whyNot) implements Serializable {

        public boolean inEffect() {
            return whyNot.isEmpty();
        }

        /** For the log: the helpers, or that they are not in effect and why. */
        public String message() {
            return inEffect() ? description : "not in effect (" + description + "): " + whyNot
                    + ". Convolution, batch norm and pooling run slower built-in code";
        }
    }

    /** The helpers of {@code network}'s layers, in this JVM. */
    public static Summary of(MultiLayerNetwork network) {
        Map<LayerAndHelper, Integer> counts = new LinkedHashMap<>();
        List<Integer> withoutHelper = new ArrayList<>();
        Layer[] layers = network.getLayers();
        for (int i = 0; i < layers.length; i++) {
            Layer layer = layers[i];
            if (HELPED_LAYERS.stream().noneMatch(type -> type.isInstance(layer))) {
                continue;
            }
            LayerHelper helper = layer.getHelper();
            if (helper == null) {
                withoutHelper.add(i);
            }
            counts.merge(new LayerAndHelper(layer.getClass().getSimpleName(),
                    helper == null ? "without helper" : helper.getClass().getSimpleName()), 1, Integer::sum);
        }
        String description = counts.entrySet().stream()
                .map(e -> e.getKey().layer() + " x" + e.getValue() + " " + e.getKey().helper())
                .collect(Collectors.joining(", "));
        boolean inEffect = withoutHelper.isEmpty() && nativeLibraryHasOneDnn();
        return new Summary(description, List.copyOf(withoutHelper), inEffect ? "" : whyNot());
    }

    private record LayerAndHelper(String layer, String helper) {
    }

    /** Logs which helpers {@code network} has, or warns that they are not in effect and why. */
    public static void log(MultiLayerNetwork network) {
        Summary summary = of(network);
        if (summary.inEffect()) {
            LOG.info("oneDNN layer helpers: {}", summary.message());
        } else {
            LOG.warn("oneDNN layer helpers: {}", summary.message());
        }
    }

    /**
     * Without oneDNN in libnd4j, DL4J still creates the helpers (ND4J reports oneDNN as in use
     * whatever the build), but the operations they call run libnd4j's generic code.
     */
    static boolean nativeLibraryHasOneDnn() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
    }

    /** The first of DL4J's and ND4J's conditions for helpers that fails in this JVM. */
    static String whyNot() {
        String disable = System.getProperty(DISABLE_PROPERTY);
        if (disable == null) {
            return DISABLE_PROPERTY + " is not set, and DL4J takes that as true: OneDnnLayerHelpers.enable() did not run in "
                    + "this JVM before the network was built";
        }
        if (Boolean.parseBoolean(disable)) {
            return DISABLE_PROPERTY + " is set to " + disable;
        }
        String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
        if (!"CPU".equalsIgnoreCase(backend)) {
            return "ND4J's backend is " + backend + "; oneDNN helpers are for the CPU backend";
        }
        if (!Nd4j.getEnvironment().helpersAllowed()) {
            return "ND4J's environment does not allow helpers (Nd4j.getEnvironment().allowHelpers(false))";
        }
        if (!nativeLibraryHasOneDnn()) {
            return "the loaded ND4J native library was built without oneDNN; the job jar needs nd4j-native's "
                    + "linux-x86_64-onednn build (pom.xml, nd4j.classifier)";
        }
        return "DL4J's oneDNN check (BaseMKLDNNHelper.mklDnnEnabled) failed in this JVM; it does not retry, and it "
                + "needs the class org.nd4j.nativeblas.Nd4jCpu from the job jar";
    }
}
