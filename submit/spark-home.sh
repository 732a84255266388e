#!/usr/bin/env bash
# Prints a SPARK_HOME to use: $SPARK_HOME when set, else a Spark 3.5.9 installation assembled
# under target/spark-home from Maven Central (jars/, RELEASE, bin/spark-submit, conf/).
set -euo pipefail
project="$(cd "$(dirname "$0")/.." && pwd)"
if [ -n "${SPARK_HOME:-}" ]; then
  echo "$SPARK_HOME"
  exit 0
fi
home="$project/target/spark-home"
# One assembly at a time: jobs or test JVMs started together wait for the first.
mkdir -p "$project/target"
exec 9> "$project/target/.spark-home.lock"
flock 9
# Reassembled when its definition changes, so that no stale jar stays behind.
if [ ! -f "$home/RELEASE" ] || [ "$project/submit/spark-home/pom.xml" -nt "$home/RELEASE" ]; then
  echo "Assembling a Spark installation in $home from Maven Central..." >&2
  rm -rf "$home/jars"
  mvn -B -q -f "$project/submit/spark-home/pom.xml" package >&2
  mkdir -p "$home/bin" "$home/conf"
  cp "$project/submit/spark-home/bin/"* "$home/bin/"
  # Spark's launcher takes a home with RELEASE for a binary distribution: jars from jars/.
  : > "$home/RELEASE"
fi
# The job's logging, as it is now.
cp "$project/conf/log4j2.properties" "$home/conf/"
echo "$home"
