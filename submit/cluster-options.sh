# shellcheck shell=bash disable=SC2034
# Sourced by the cluster submit scripts (standalone.sh, yarn.sh, kubernetes.sh): the
# spark-submit options every cluster target needs for DL4J, and the helpers they share.
# Sets: project, jar, spark_submit, cluster_options (an array of spark-submit options);
# require_jar checks that the job jar was built, require_spark_module that the Spark home can
# submit to YARN or Kubernetes.
#
# The job: LENET_CLASS, LeNetJob (default), LeNetPredict (scoring with a trained run) or PrepareMnist.
# Sizes (Spark size strings: 512m, 4g), all optional:
#   LENET_DRIVER_MEMORY     driver heap                                        (4g)
#   LENET_DRIVER_OFFHEAP    ND4J off-heap limit on the driver                  (1g)
#   LENET_EXECUTOR_MEMORY   executor heap                                      (4g)
#   LENET_EXECUTOR_OFFHEAP  ND4J off-heap limit per executor                   (3g)
#   LENET_EXECUTOR_CORES    cores per executor                                 (2)
#   LENET_OMP_THREADS       native (OpenMP) threads per executor               (1)
#   LENET_AERON_UNBLOCK_TIMEOUT_SECONDS  gradient sharing's Aeron timeout      (60)
# ND4J keeps its arrays off the Java heap, so a container holds heap + off-heap + the JVM's own
# native memory: memoryOverhead is the off-heap limit plus 1g.

project="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${LENET_JAR:-$project/target/lenet-spark.jar}"

# A Spark size string (512m, 4g, 4096) in MiB.
mib() {
  case "$1" in
    *[gG]) echo $(( ${1%[gG]} * 1024 )) ;;
    *[mM]) echo "${1%[mM]}" ;;
    *[!0-9]* | "") echo "$(basename "$0"): cannot read the size '$1' (use e.g. 512m or 4g)" >&2; exit 2 ;;
    *) echo "$1" ;;
  esac
}

driver_heap=$(mib "${LENET_DRIVER_MEMORY:-4g}")
driver_offheap=$(mib "${LENET_DRIVER_OFFHEAP:-1g}")
executor_heap=$(mib "${LENET_EXECUTOR_MEMORY:-4g}")
executor_offheap=$(mib "${LENET_EXECUTOR_OFFHEAP:-3g}")
driver_overhead=$((driver_offheap + 1024))
executor_overhead=$((executor_offheap + 1024))
aeron_timeout_ns=$(( ${LENET_AERON_UNBLOCK_TIMEOUT_SECONDS:-60} * 1000000000 ))

# JavaCPP (ND4J's native memory) stops at maxbytes of arrays and at maxphysicalbytes of the whole
# process, heap included: a clear OutOfMemoryError instead of a container killed by YARN/Kubernetes.
javacpp_limits() {
  echo "-Dorg.bytedeco.javacpp.maxbytes=$1m -Dorg.bytedeco.javacpp.maxphysicalbytes=$2m"
}
java17_options="$(tr '\n' ' ' < "$project/submit/java17.args")"
driver_java_options="$java17_options $(javacpp_limits "$driver_offheap" $((driver_heap + driver_overhead)))"
# Gradient sharing starts an Aeron media driver in every executor JVM; below Aeron's client
# liveness timeout (10 s) it fails to start.
executor_java_options="$java17_options $(javacpp_limits "$executor_offheap" $((executor_heap + executor_overhead))) \
-Daeron.publication.unblock.timeout=$aeron_timeout_ns"

spark_home="$("$project/submit/spark-home.sh")"
spark_submit="$spark_home/bin/spark-submit"

# The Spark home that submit/spark-home.sh assembles holds Spark's core and SQL only.
require_spark_module() {
  if ! compgen -G "$spark_home/jars/spark-$1_*.jar" > /dev/null; then
    echo "$(basename "$0"): $spark_home has no spark-$1 module: set SPARK_HOME to a Spark 3.5 (Scala 2.12)" \
      "distribution that has it" >&2
    exit 2
  fi
}

require_jar() {
  if [ ! -f "$jar" ]; then
    echo "$(basename "$0"): no job jar at $jar: build it with 'mvn -B -DskipTests package' or set LENET_JAR" >&2
    exit 2
  fi
}

case "${LENET_CLASS:=LeNetJob}" in
  LeNetJob | LeNetPredict | PrepareMnist) ;;
  *) echo "$(basename "$0"): LENET_CLASS is '$LENET_CLASS': use LeNetJob, LeNetPredict or PrepareMnist" >&2; exit 2 ;;
esac

cluster_options=(
  --class "$LENET_CLASS"
  --driver-memory "${driver_heap}m"
  --executor-memory "${executor_heap}m"
  --executor-cores "${LENET_EXECUTOR_CORES:-2}"
  --conf "spark.driver.memoryOverhead=${driver_overhead}m"
  --conf "spark.executor.memoryOverhead=${executor_overhead}m"
  --conf "spark.driver.extraJavaOptions=$driver_java_options"
  --conf "spark.executor.extraJavaOptions=$executor_java_options"
  # One native thread per training task suits parameter averaging (one task per core). Gradient
  # sharing runs one training task per executor and gives it the executor's cores itself.
  --conf "spark.executorEnv.OMP_NUM_THREADS=${LENET_OMP_THREADS:-1}"
  --conf spark.ui.showConsoleProgress=false
)
