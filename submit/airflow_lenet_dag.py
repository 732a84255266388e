"""Daily LeNet-5 training on a Spark cluster with Airflow's SparkSubmitOperator.

Copy this file and submit/java17.args into the DAGs folder. The Spark connection
(`spark_lenet`) names the master (spark://host:7077, yarn or k8s://...), and the job jar
must be readable at JOB_JAR where spark-submit runs.

The run id is the logical date ({{ ds_nodash }}), so a retry or a cleared task of the same day
resumes an interrupted run from its last checkpoint, and a completed one is left untouched with
exit 0 (output.on-complete-run=skip).

Exit codes (README, "Exit codes"):
  0  complete
  1  failure (retried)
  2  bad input or configuration (a retry fails the same way; the task log has the one-line reason)
  3  training diverged or fitted less than its data (a retry fails the same way)
  4  another job still writes the same run id (a later retry succeeds)
"""
from datetime import datetime, timedelta
from pathlib import Path

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

JOB_JAR = "/opt/lenet-spark/lenet-spark.jar"
JOB_CONFIG = "/opt/lenet-spark/conf/cluster.conf"

# The same options as submit/cluster-options.sh with its defaults: Java 17 module access for
# Spark, ND4J and Aeron; ND4J's off-heap limits inside the container; Aeron's unblock timeout
# above its client liveness timeout in every executor (gradient sharing).
JAVA17_OPTIONS = " ".join(Path(__file__).with_name("java17.args").read_text().split())
DRIVER_JAVA_OPTIONS = (JAVA17_OPTIONS
                       + " -Dorg.bytedeco.javacpp.maxbytes=1024m -Dorg.bytedeco.javacpp.maxphysicalbytes=6144m")
EXECUTOR_JAVA_OPTIONS = (JAVA17_OPTIONS
                         + " -Dorg.bytedeco.javacpp.maxbytes=3072m -Dorg.bytedeco.javacpp.maxphysicalbytes=8192m"
                         + " -Daeron.publication.unblock.timeout=60000000000")

with DAG(
    dag_id="lenet_spark_daily",
    start_date=datetime(2026, 11, 1),
    schedule="30 2 * * *",
    catchup=False,
    max_active_runs=1,
    default_args={
        "retries": 2,
        "retry_delay": timedelta(minutes=10),
    },
    tags=["lenet-spark"],
) as dag:
    train = SparkSubmitOperator(
        task_id="train_lenet",
        conn_id="spark_lenet",
        application=JOB_JAR,
        java_class="LeNetJob",
        name="lenet-spark-{{ ds_nodash }}",
        driver_memory="4g",
        executor_memory="4g",
        executor_cores=2,
        total_executor_cores=8,
        conf={
            "spark.driver.memoryOverhead": "2048m",
            "spark.executor.memoryOverhead": "4096m",
            "spark.driver.extraJavaOptions": DRIVER_JAVA_OPTIONS,
            "spark.executor.extraJavaOptions": EXECUTOR_JAVA_OPTIONS,
            "spark.executorEnv.OMP_NUM_THREADS": "1",
            "spark.scheduler.minRegisteredResourcesRatio": "1.0",
            "spark.scheduler.maxRegisteredResourcesWaitingTime": "120s",
        },
        # The driver runs where spark-submit runs (client mode) and reads the file there. In YARN's
        # cluster mode add files=JOB_CONFIG and pass "--config", "cluster.conf" instead.
        application_args=[
            "--config", JOB_CONFIG,
            "output.run-id={{ ds_nodash }}",
            "output.on-complete-run=skip",
        ],
        verbose=False,
    )
