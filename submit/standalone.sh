#!/usr/bin/env bash
# Trains LeNet-5 on a Spark standalone cluster, the driver on this machine (client mode).
#   SPARK_MASTER_URL   required: the master, e.g. spark://master-host:7077
#   LENET_TOTAL_CORES  cores the job takes (spark.cores.max); training waits until executors
#                      with all of them have registered (default: every free core, no wait)
# Sizes and threads: see submit/cluster-options.sh. Spark settings of your own go in
# $SPARK_CONF_DIR/spark-defaults.conf. Arguments are passed to the job:
#   SPARK_MASTER_URL=spark://master-host:7077 submit/standalone.sh --config conf/cluster.conf
set -euo pipefail
if [ -z "${SPARK_MASTER_URL:-}" ]; then
  echo "$(basename "$0"): set SPARK_MASTER_URL to the standalone master, e.g. spark://master-host:7077" >&2
  exit 2
fi
# shellcheck source=submit/cluster-options.sh
source "$(dirname "$0")/cluster-options.sh"
require_jar

# The job sizes its training to the executors registered when it starts (one task per core,
# one gradient-sharing model per executor JVM): with a core count it waits for all of them.
wait_for_cores=()
if [ -n "${LENET_TOTAL_CORES:-}" ]; then
  wait_for_cores=(
    --conf "spark.cores.max=$LENET_TOTAL_CORES"
    --conf spark.scheduler.minRegisteredResourcesRatio=1.0
    --conf spark.scheduler.maxRegisteredResourcesWaitingTime=120s
  )
fi

exec "$spark_submit" \
  --master "$SPARK_MASTER_URL" \
  --deploy-mode client \
  "${cluster_options[@]}" \
  "${wait_for_cores[@]}" \
  "$jar" "$@"
