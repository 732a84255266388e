#!/usr/bin/env bash
# Runs a throwaway Spark standalone cluster on this machine, to try submit/standalone.sh without
# one: a Master and some Workers on 127.0.0.1, each its own JVM started with spark-class as
# sbin/start-master.sh and sbin/start-worker.sh start them. The Workers run their executors as
# child JVMs. Once every Worker is ALIVE it prints two lines and runs until it is stopped (Ctrl-C,
# SIGTERM) or the process that started it ends, which stops the whole cluster:
#   master-url spark://127.0.0.1:<port>
#   web-ui http://127.0.0.1:<port>
# Usage: submit/standalone-cluster.sh WORK_DIR [WORKERS] [CORES_PER_WORKER] [MEMORY_PER_WORKER]
#   defaults 2 workers of 1 core and 2g; logs go to WORK_DIR/master.log, WORK_DIR/worker-N.log
# Then, in another shell:
#   SPARK_MASTER_URL=spark://127.0.0.1:<port> LENET_TOTAL_CORES=2 submit/standalone.sh
set -euo pipefail
project="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -lt 1 ]; then
  echo "usage: $(basename "$0") WORK_DIR [WORKERS] [CORES_PER_WORKER] [MEMORY_PER_WORKER]" >&2
  exit 2
fi
work="$(mkdir -p "$1" && cd "$1" && pwd)"
workers="${2:-2}"
cores="${3:-1}"
memory="${4:-2g}"
command -v curl > /dev/null || { echo "$(basename "$0") needs curl to ask the Master for its workers" >&2; exit 2; }

SPARK_HOME="$(cd "$project" && submit/spark-home.sh)"
# Ports of 0: the Master and Workers bind free ones, and the Master's log says which, at INFO.
mkdir -p "$work/conf"
cp "$SPARK_HOME/conf/log4j2.properties" "$work/conf/"
printf '%s\n' 'logger.deploy.name = org.apache.spark.deploy' 'logger.deploy.level = info' >> "$work/conf/log4j2.properties"
export SPARK_HOME SPARK_CONF_DIR="$work/conf" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1 SPARK_DAEMON_MEMORY=512m
SPARK_DAEMON_JAVA_OPTS="$(tr '\n' ' ' < "$project/submit/java17.args")"
export SPARK_DAEMON_JAVA_OPTS

daemons=()
stop_cluster() {
  local pid
  for pid in "${daemons[@]}"; do
    pkill -KILL -P "$pid" 2> /dev/null || true # the Worker's executors
    kill -KILL "$pid" 2> /dev/null || true
  done
}
trap stop_cluster EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

daemon() {
  local name="$1"
  shift
  "$SPARK_HOME/bin/spark-class" "$@" > "$work/$name.log" 2>&1 &
  daemons+=("$!")
}

# Waits up to two minutes for a line of the Master's log; prints what the pattern captured.
from_master_log() {
  local pattern="$1" found
  for _ in $(seq 240); do
    found="$(sed -n "s#$pattern#\1#p" "$work/master.log" | head -1)"
    if [ -n "$found" ]; then
      echo "$found"
      return
    fi
    kill -0 "${daemons[0]}" 2> /dev/null || break
    sleep 0.5
  done
  echo "the Master did not start; see $work/master.log" >&2
  exit 1
}

daemon master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0
master_url="$(from_master_log '.*Starting Spark master at \(spark://[^ ]*\).*')"
web_ui="$(from_master_log '.*MasterWebUI.* started at \(http://[^ ]*\).*')"
for i in $(seq "$workers"); do
  mkdir -p "$work/worker-$i"
  daemon "worker-$i" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \
    --cores "$cores" --memory "$memory" --work-dir "$work/worker-$i" "$master_url"
done

alive=0
for _ in $(seq 240); do
  alive="$(curl -s "$web_ui/json/" | grep -o '"state" *: *"ALIVE"' | wc -l || true)"
  [ "$alive" -ge "$workers" ] && break
  sleep 0.5
done
if [ "$alive" -lt "$workers" ]; then
  echo "$alive of $workers workers ALIVE after two minutes; see the logs in $work" >&2
  exit 1
fi

echo "master-url $master_url"
echo "web-ui $web_ui"
# Runs until stopped, or until the process that started it is gone: a killed test or benchmark
# leaves no cluster behind.
parent=$PPID
while kill -0 "$parent" 2> /dev/null; do
  sleep 1
done
