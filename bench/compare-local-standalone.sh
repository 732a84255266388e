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
data="$project/target/test-data/mnist-$train_rows-$test_rows"
if [ ! -f "$data/test/_SUCCESS" ]; then
  echo "Writing the MNIST subset $data..." >&2
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
  java @submit/java17.args -Dlenet.test.data-dir=data \
    -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    io.lenetspark.MnistSubset "$train_rows" "$test_rows" > /dev/null
fi

work="$(mktemp -d)"
daemons=()
stop_cluster() {
  local pid
  for pid in "${daemons[@]}"; do
    pkill -KILL -P "$pid" 2> /dev/null || true
    kill -KILL "$pid" 2> /dev/null || true
  done
}
trap stop_cluster EXIT

export SPARK_HOME="$spark_home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1 SPARK_DAEMON_MEMORY=512m
SPARK_DAEMON_JAVA_OPTS="$(tr '\n' ' ' < submit/java17.args)"
export SPARK_DAEMON_JAVA_OPTS
"$spark_home/bin/spark-class" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 17077 \
  --webui-port 18080 > "$work/master.log" 2>&1 &
daemons+=("$!")
for i in 1 2; do
  mkdir -p "$work/worker-$i"
  "$spark_home/bin/spark-class" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 2g \
    --work-dir "$work/worker-$i" spark://127.0.0.1:17077 > "$work/worker-$i.log" 2>&1 &
  daemons+=("$!")
done
for _ in $(seq 120); do
  alive="$(curl -s http://127.0.0.1:18080/json/ | grep -o '"state" *: *"ALIVE"' | wc -l || true)"
  [ "$alive" = 2 ] && break
  sleep 1
done
[ "$alive" = 2 ] || { echo "the standalone workers did not start; see $work" >&2; exit 1; }

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
seconds env SPARK_MASTER_URL=spark://127.0.0.1:17077 LENET_TOTAL_CORES=2 LENET_EXECUTOR_CORES=1 \
  LENET_DRIVER_MEMORY=2g LENET_EXECUTOR_MEMORY=1g LENET_EXECUTOR_OFFHEAP=1g \
  submit/standalone.sh "${job_args[@]}" output.run-id=$run
