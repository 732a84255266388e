#!/usr/bin/env bash
# Trains LeNet-5 on YARN, the driver in the application master (cluster mode).
#   HADOOP_CONF_DIR    required (or YARN_CONF_DIR): the cluster's Hadoop configuration
#   LENET_CONFIG       override file shipped with the job (default conf/cluster.conf)
#   LENET_EXECUTORS    executors (default 4)
#   LENET_QUEUE        YARN queue (default: default)
# Sizes and threads: see submit/cluster-options.sh. Arguments are passed to the job:
#   HADOOP_CONF_DIR=/etc/hadoop/conf submit/yarn.sh output.run-id=2026-11-28
set -euo pipefail
if [ -z "${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-}" ]; then
  echo "$(basename "$0"): set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the cluster's Hadoop configuration" >&2
  exit 2
fi
# shellcheck source=submit/cluster-options.sh
source "$(dirname "$0")/cluster-options.sh"
require_spark_module yarn
require_jar
config="${LENET_CONFIG:-$project/conf/cluster.conf}"

# --files puts the override file in the driver's working directory, where --config finds it.
# One application attempt: a second attempt would start a new time-based run; re-run with the
# same output.run-id instead, and the job resumes from its last checkpoint.
exec "$spark_submit" \
  --master yarn \
  --deploy-mode cluster \
  --queue "${LENET_QUEUE:-default}" \
  --num-executors "${LENET_EXECUTORS:-4}" \
  --files "$config" \
  --conf spark.yarn.maxAppAttempts=1 \
  "${cluster_options[@]}" \
  "$jar" --config "$(basename "$config")" "$@"
