#!/usr/bin/env bash
# Trains LeNet-5 on Kubernetes, the driver in a pod (cluster mode).
#   K8S_API_SERVER             required: the API server, e.g. https://k8s.example.com:6443
#   LENET_IMAGE                a Spark 3.5 / Scala 2.12 / Java 17 image with the job jar at
#                              LENET_JAR_IN_IMAGE (default lenet-spark:0.1.0)
#   LENET_JAR_IN_IMAGE         default /opt/lenet-spark/lenet-spark.jar
#   LENET_K8S_NAMESPACE        default: default
#   LENET_K8S_SERVICE_ACCOUNT  may create executor pods (default: spark)
#   LENET_EXECUTORS            executors (default 4)
# Sizes and threads: see submit/cluster-options.sh. The data and run folders must be shared
# storage (hdfs:// or s3a://); an override file must be in the image or a mounted volume.
# Arguments are passed to the job:
#   K8S_API_SERVER=https://k8s.example.com:6443 submit/kubernetes.sh data.dir=s3a://bucket/mnist output.dir=s3a://bucket/runs
set -euo pipefail
if [ -z "${K8S_API_SERVER:-}" ]; then
  echo "$(basename "$0"): set K8S_API_SERVER to the Kubernetes API server, e.g. https://k8s.example.com:6443" >&2
  exit 2
fi
# shellcheck source=submit/cluster-options.sh
source "$(dirname "$0")/cluster-options.sh"
require_spark_module kubernetes

exec "$spark_submit" \
  --master "k8s://$K8S_API_SERVER" \
  --deploy-mode cluster \
  --name lenet-spark \
  --num-executors "${LENET_EXECUTORS:-4}" \
  --conf "spark.kubernetes.container.image=${LENET_IMAGE:-lenet-spark:0.1.0}" \
  --conf "spark.kubernetes.namespace=${LENET_K8S_NAMESPACE:-default}" \
  --conf "spark.kubernetes.authenticate.driver.serviceAccountName=${LENET_K8S_SERVICE_ACCOUNT:-spark}" \
  "${cluster_options[@]}" \
  "local://${LENET_JAR_IN_IMAGE:-/opt/lenet-spark/lenet-spark.jar}" "$@"
