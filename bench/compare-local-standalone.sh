#!/usr/bin/env bash
# Measures the same small training on local[2] and on a two-worker Spark standalone cluster
# started on this machine (one core and one executor per worker, as StandaloneClusterIT), one
# after the other, and prints the wall time of each spark-submit.
#   LENET_COMPARE_ROWS    training and test rows of the MNIST subset (default "6000 1000")
#   LENET_COMPARE_EPOCHS  epochs (default 2)
# Arguments are passed to both jobs, e.g. training.master=gradient-sharing.
set -euo pipefail
project="$(cd "$(dirname "$0")/.." && pwd)"
cd "$project"
read -r train_rows test_rows <<< "${LENET_COMPARE_ROWS:-6000 1000}"
epochs="${LENET_COMPARE_EPOCHS:-2}"

if [ ! -f target/lenet-spark.jar ] || [ ! -d target/test-classes ]; then
  mvn -B -q -DskipTests package
fi
spark_home="$(submit/spark-home.sh)"
export SPARK_HOME="$spark_home"
data="$project/target/test-data/mnist-$train_rows-$test_rows"
if [ ! -f "$data/test/_SUCCESS" ]; then
  echo "Writing the MNIST subset $data..." >&2
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
  java @submit/java17.args -Dlenet.test.data-dir=data \
    -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    io.lenetspark.MnistSubset "$train_rows" "$test_rows" > /dev/null
fi

work="$(mktemp -d)"
submit/standalone-cluster.sh "$work/cluster" 2 1 2g > "$work/cluster.out" &
cluster=$!
trap 'kill $cluster 2> /dev/null || true' EXIT
while ! grep -q '^web-ui ' "$work/cluster.out"; do
  kill -0 "$cluster" 2> /dev/null || { echo "the standalone cluster did not start; see $work/cluster" >&2; exit 1; }
  sleep 1
done
master_url="$(sed -n 's/^master-url //p' "$work/cluster.out")"

job_args=(data.dir="$data" training.epochs="$epochs" output.dir="$work/runs" "$@")
seconds() {
  local start end
  start="$(date +%s.%N)"
  "$@" > "$work/$run.log" 2>&1 || { echo "$run failed; see $work/$run.log" >&2; exit 1; }
  end="$(date +%s.%N)"
  echo "$run: $(echo "$end - $start" | bc) s wall;" \
    "$(grep -o 'Epoch [0-9]*/[0-9]* - [0-9]*s' "$work/$run.log" | paste -sd ';' -);" \
    "$(grep -o 'Test accuracy [0-9.]*' "$work/$run.log")"
}

run=local-2
seconds env OMP_NUM_THREADS=1 "$spark_home/bin/spark-submit" --master 'local[2]' --driver-memory 4g \
  --conf spark.ui.showConsoleProgress=false --class LeNetJob target/lenet-spark.jar \
  "${job_args[@]}" output.run-id=$run
run=standalone-2-workers
seconds env SPARK_MASTER_URL="$master_url" LENET_TOTAL_CORES=2 LENET_EXECUTOR_CORES=1 \
  LENET_DRIVER_MEMORY=2g LENET_EXECUTOR_MEMORY=1g LENET_EXECUTOR_OFFHEAP=1g \
  submit/standalone.sh "${job_args[@]}" output.run-id=$run
