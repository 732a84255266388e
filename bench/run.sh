#!/usr/bin/env bash
# Benchmarks lenet-spark on this machine and writes BENCHMARKS.md: the single-JVM DL4J baseline,
# the job's epoch with each TrainingMaster on local[*], local[1] against local[*], the data
# preparation and peak memory, one vs two executors on a standalone cluster it starts; --full
# adds a default run timed from launch to test accuracy, and a whole gradient-sharing run.
# Usage: bench/run.sh [--epochs N] [--full] [--no-standalone] [key=value ...]
#   (about 11 minutes on 2 cores with --epochs 3; --full adds about 10)
set -euo pipefail
project="$(cd "$(dirname "$0")/.." && pwd)"
cd "$project"
jar="$(submit/job-jar.sh)"
# The single-JVM baseline comes in a jar of its own, built with the job jar.
if [ ! -f target/lenet-spark-bench.jar ]; then
  mvn -B -q -DskipTests package >&2
fi
SPARK_HOME="$(submit/spark-home.sh)"
export SPARK_HOME
# The benchmark converts the verified IDX files itself; fetch them once, as the job does.
if ! ls data/raw/t10k-labels-idx1-ubyte >/dev/null 2>&1; then
  "$SPARK_HOME/bin/spark-submit" --master "local[*]" --class PrepareMnist "$jar"
fi
exec python3 bench/benchmark.py "$@"
