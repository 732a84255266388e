package org.nd4j.nativeblas;

/**
 * The one piece of ND4J's pre-M1 native binding that DL4J 1.0.0-M2 still looks for.
 *
 * <p>DL4J's {@code BaseMKLDNNHelper.mklDnnEnabled()} asks whether oneDNN is in use by reflection on
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()}. ND4J 1.0.0-M1 moved
 * that class to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and renamed the
 * method {@code isUseONEDNN}; M2's check was not updated, so it throws, DL4J swallows the error and
 * every oneDNN layer helper stays off. This class answers the old question with the new binding.
 * Remove it once DL4J checks the new name.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The old name of ND4J's native environment, as far as DL4J's check needs it. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether the loaded libnd4j was built with oneDNN and has it switched on. */
        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
