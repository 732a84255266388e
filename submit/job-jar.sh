#!/usr/bin/env bash
# Prints the path of the job jar, building it first when it is missing or older than the sources.
set -euo pipefail
project="$(cd "$(dirname "$0")/.." && pwd)"
jar="$project/target/lenet-spark.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$project/src" "$project/pom.xml" -newer "$jar" -print -quit)" ]; then
  echo "Building $jar..." >&2
  mvn -B -q -f "$project/pom.xml" -DskipTests package >&2
fi
echo "$jar"
