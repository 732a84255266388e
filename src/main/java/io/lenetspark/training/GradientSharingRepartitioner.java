package io.lenetspark.training;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.deeplearning4j.spark.api.Repartitioner;
import org.nd4j.parameterserver.distributed.v2.ModelParameterServer;

import java.util.Iterator;

/**
 * Gives the gradient-sharing input one partition per executor JVM, and makes each executor JVM
 * join the parameter-server session of this TrainingMaster.
 *
 * <p>DL4J's own repartitioner cuts the input into one partition per minibatch. In a JVM, the first
 * of those tasks trains and the others only hand it their minibatches; a task that arrives just as
 * the trainer finishes is never consumed, and waits for it forever (an epoch stuck at 100% of its
 * images). With one partition per JVM there is one task per JVM, which trains on all of the JVM's
 * minibatches. The partitions are merged where they are, without a shuffle.
 *
 * <p>DL4J keeps one {@link ModelParameterServer} per JVM. A new SharedTrainingMaster (one per
 * run, see {@link TrainingMasters}) starts a new session on the driver, but an executor JVM that
 * trained for an earlier run of the same application keeps its server connected to the stopped
 * one: its updates would never reach the driver or the other executors, and the driver's model
 * would not change. Stopping the executor's server first, in the training task just before DL4J's
 * training function, makes DL4J start one connected to the new session. In local mode the
 * executor is the driver's JVM and shares its (new) server, so nothing is stopped.
 */
final class GradientSharingRepartitioner implements Repartitioner {

    private static final long serialVersionUID = 1L;

    private final String session;
    private final boolean executorsInDriverJvm;

    /**
     * @param session              identifies this TrainingMaster's session, unique within the application
     * @param executorsInDriverJvm local mode: the tasks share the driver's parameter server
     */
    GradientSharingRepartitioner(String session, boolean executorsInDriverJvm) {
        this.session = session;
        this.executorsInDriverJvm = executorsInDriverJvm;
    }

    /** @param numExecutors the executor JVMs taking part, as the TrainingMaster was built with */
    @Override
    public <T> JavaRDD<T> repartition(JavaRDD<T> input, int minObjectsPerPartition, int numExecutors) {
        JavaRDD<T> onePerJvm = input.getNumPartitions() > numExecutors ? input.coalesce(numExecutors) : input;
        return executorsInDriverJvm ? onePerJvm : onePerJvm.mapPartitions(new JoinSession<>(session), true);
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
                    ParameterServerShutdown.stop();
                    joined = session;
                }
            }
            return minibatches;
        }
    }
}
