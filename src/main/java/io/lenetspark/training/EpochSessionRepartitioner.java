package io.lenetspark.training;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.deeplearning4j.spark.api.Repartitioner;
import org.deeplearning4j.spark.impl.repartitioner.DefaultRepartitioner;
import org.nd4j.parameterserver.distributed.v2.ModelParameterServer;

import java.util.Iterator;

/**
 * DL4J's own repartitioning of the gradient-sharing input, followed by a step that makes each
 * executor JVM join the parameter-server session of this TrainingMaster.
 *
 * <p>DL4J keeps one {@link ModelParameterServer} per JVM. A new SharedTrainingMaster (one per
 * epoch, see {@link EpochTrainer}) starts a new session on the driver, but an executor in another
 * JVM keeps its server connected to the stopped one: from the second epoch on, its updates never
 * reach the driver or the other executors, and the driver's model stops changing. Stopping the
 * executor's server first, in the training task just before DL4J's training function, makes DL4J
 * start one connected to the new session. In local mode the executor is the driver's JVM and
 * shares its (new) server, so nothing is stopped.
 */
final class EpochSessionRepartitioner implements Repartitioner {

    private static final long serialVersionUID = 1L;

    private final Repartitioner dl4j = new DefaultRepartitioner();
    private final String session;
    private final boolean executorsInDriverJvm;

    /**
     * @param session              identifies this TrainingMaster's session, unique within the application
     * @param executorsInDriverJvm local mode: the tasks share the driver's parameter server
     */
    EpochSessionRepartitioner(String session, boolean executorsInDriverJvm) {
        this.session = session;
        this.executorsInDriverJvm = executorsInDriverJvm;
    }

    @Override
    public <T> JavaRDD<T> repartition(JavaRDD<T> input, int minObjectsPerPartition, int numExecutors) {
        JavaRDD<T> balanced = dl4j.repartition(input, minObjectsPerPartition, numExecutors);
        return executorsInDriverJvm ? balanced : balanced.mapPartitions(new JoinSession<>(session), true);
    }

    /** Runs in each training task: leaves an earlier session's parameter server once per JVM and session. */
    private static final class JoinSession<T> implements FlatMapFunction<Iterator<T>, T> {

        private static final long serialVersionUID = 1L;

        /** Per executor JVM. */
        private static String joined;

        private final String session;

        JoinSession(String session) {
            this.session = session;
        }

        @Override
        public Iterator<T> call(Iterator<T> minibatches) {
            synchronized (JoinSession.class) {
                if (!session.equals(joined)) {
                    ModelParameterServer server = ModelParameterServer.getInstance();
                    if (server.isInitialized()) {
                        server.shutdown();
                    }
                    joined = session;
                }
            }
            return minibatches;
        }
    }
}
