#!/usr/bin/env bash
# Trains LeNet-5 on local[*] from a fresh clone: builds the job jar when the sources changed,
# assembles a Spark installation when SPARK_HOME is unset, fetches and converts MNIST when the
# Parquet data is missing, then runs spark-submit --class LeNetJob.
# Arguments are passed to the job: key=value overrides or --config FILE.
set -euo pipefail
project="$(cd "$(dirname "$0")/.." && pwd)"
cd "$project"
jar="$(submit/job-jar.sh)"
spark_home="$(submit/spark-home.sh)"
# local[*] runs one training task per core in this JVM: one native thread each avoids
# oversubscribing the cores (measured: 16 s instead of 20 s per 12,800 images on 2 cores).
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
# A local run needs no network interface but loopback.
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

# The JDK internals ND4J and Aeron need beyond those Spark opens itself (see docs/clusters.md).
java17_options="$(tr '\n' ' ' < submit/java17.args)"

# The cached minibatches live off the heap, so a small heap serves: a default run peaks at about
# 2.1 GiB resident with 1g (bench/run.sh measures it); a larger one only delays the collection
# that frees ND4J's arrays.
submit() {
  "$spark_home/bin/spark-submit" \
    --master "local[*]" \
    --driver-memory "${LENET_DRIVER_MEMORY:-1g}" \
    --driver-java-options "$java17_options -Dlog4j2.configurationFile=$project/conf/log4j2.properties" \
    --conf spark.ui.showConsoleProgress=false \
    "$@"
}

if [ ! -f data/parquet/train/_SUCCESS ] || [ ! -f data/parquet/test/_SUCCESS ]; then
  submit --class PrepareMnist "$jar" "$@"
fi
submit --class LeNetJob "$jar" "$@"
