#!/usr/bin/env bash
# Trains LeNet-5 on YARN.
#   HADOOP_CONF_DIR    required (or YARN_CONF_DIR): the cluster's Hadoop configuration
#   LENET_DEPLOY_MODE  cluster (default: the driver in the application master) or client (the
#                      driver on this machine, which the executors must be able to reach)
#   LENET_CONFIG       override file for the job (default conf/cluster.conf)
#   LENET_EXECUTORS    executors (default 4)
#   LENET_QUEUE        YARN queue (default: default)
# Sizes and threads: see submit/cluster-options.sh. Arguments are passed to the job:
#   HADOOP_CONF_DIR=/etc/hadoop/conf submit/yarn.sh output.run-id=2026-11-28
# The exit code is the job's in both modes (0 complete, 2 bad input, ...; see the README).
set -euo pipefail
if [ -z "${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-}" ]; then
  echo "$(basename "$0"): set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the cluster's Hadoop configuration" >&2
  exit 2
fi
deploy_mode="${LENET_DEPLOY_MODE:-cluster}"
case "$deploy_mode" in
  cluster | client) ;;
  *) echo "$(basename "$0"): LENET_DEPLOY_MODE is '$deploy_mode': use cluster or client" >&2; exit 2 ;;
esac
# shellcheck source=submit/cluster-options.sh
source "$(dirname "$0")/cluster-options.sh"
require_spark_module yarn
require_jar
config="${LENET_CONFIG:-$project/conf/cluster.conf}"
if [ ! -f "$config" ]; then
  echo "$(basename "$0"): no override file at $config: set LENET_CONFIG to an existing file" >&2
  exit 2
fi

# Cluster mode: --files puts the override file in the driver's working directory, where --config
# finds it. Client mode: the driver reads it here.
if [ "$deploy_mode" = cluster ]; then
  config_argument="$(basename "$config")"
else
  config_argument="$config"
fi

# One application attempt: a second attempt would start a new time-based run; re-run with the
# same output.run-id instead, and the job resumes from its last checkpoint.
submit=("$spark_submit"
  --master yarn
  --deploy-mode "$deploy_mode"
  --queue "${LENET_QUEUE:-default}"
  --num-executors "${LENET_EXECUTORS:-4}"
  --files "$config"
  --conf spark.yarn.maxAppAttempts=1
  "${cluster_options[@]}"
  "$jar" --config "$config_argument" "$@")

if [ "$deploy_mode" = client ]; then
  exec "${submit[@]}"
fi

# In cluster mode spark-submit exits 1 for any failed application; the job's own exit code is in
# the application's diagnostics, which spark-submit prints: exit with that one.
output="$(mktemp)"
trap 'rm -f "$output"' EXIT
status=0
"${submit[@]}" 2>&1 | tee "$output" || status=$?
if [ "$status" != 0 ]; then
  job_status="$(grep -o 'User application exited with status [0-9]*' "$output" | tail -1 | grep -o '[0-9]*$' || true)"
  application="$(grep -o 'application_[0-9]*_[0-9]*' "$output" | tail -1 || true)"
  if [ -n "$job_status" ]; then
    echo "$(basename "$0"): the job exited with status $job_status; its one-line reason is at the end of the" \
      "driver's log${application:+: yarn logs -applicationId $application -log_files stderr -am 1}" >&2
  fi
  exit "${job_status:-$status}"
fi
