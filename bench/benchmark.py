#!/usr/bin/env python3
"""Measures lenet-spark on this machine and writes BENCHMARKS.md.

Every figure comes from one run of this script: the data preparation, the single-JVM DL4J
baseline, the job's epochs on local[*] with each TrainingMaster, local[1] against local[2], and
(with --full) a default run from launch to its test accuracy and a whole gradient-sharing run, and the same network's epoch in
PyTorch (bench/torch_epoch.py) as a yardstick. Each process's peak resident memory is sampled from
/proc. bench/run.sh builds what this needs; run that, not this file.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
JAR = PROJECT / "target" / "lenet-spark.jar"
# The single-JVM baseline, built beside the job jar (src/bench/java), never into it.
BENCH_JAR = PROJECT / "target" / "lenet-spark-bench.jar"
# The JDK internals ND4J and Aeron need beyond those Spark opens itself, as submit/local.sh passes them.
JAVA17_OPTIONS = " ".join((PROJECT / "submit" / "java17.args").read_text().split())

STANDALONE_WORKER_MEMORY = "4g"
STANDALONE_EXECUTOR_MEMORY = "3g"

# Debian's python3-torch installs for the system Python, not for a pyenv or virtualenv python3.
TORCH_PYTHON = "/usr/bin/python3"

GOAL_EPOCH_SECONDS = 15.0
GOAL_IMAGES_PER_SECOND = 3600.0
GOAL_SPARK_OVERHEAD = 1.15
GOAL_RUN_SECONDS = 300.0
GOAL_PEAK_GIB = 2.0
GOAL_GRADIENT_SHARING_PEAK_GIB = 2.5
GOAL_PYTORCH_EPOCH_RATIO = 1.0
GOAL_GRADIENT_SHARING_SLOWDOWN = 1.1
GOAL_GRADIENT_SHARING_VS_AVERAGING = 1.2
TARGET_ACCURACY = 0.99


class PeakMemory(threading.Thread):
    """Samples the summed resident memory of a process and its descendants every 0.2 s."""

    def __init__(self, pid, worker_pids=()):
        super().__init__(daemon=True)
        self.pid = pid
        self.worker_pids = worker_pids
        self.peak_bytes = 0
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(0.2):
            # A standalone Worker's executors are its children, not the driver's; the Worker itself is not the job's.
            pids = process_tree(self.pid) + [p for w in self.worker_pids for p in process_tree(w) if p != w]
            self.peak_bytes = max(self.peak_bytes, sum(rss_bytes(p) for p in pids))


def process_tree(root):
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return tree


def rss_bytes(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Run:
    """One spark-submit process: its wall time, peak memory, exit code and log; the driver's heap is submit/local.sh's."""

    def __init__(self, name, master, main_class, job_args, log_dir, env=None, extra_jars=()):
        self.name = name
        spark_submit = Path(os.environ["SPARK_HOME"]) / "bin" / "spark-submit"
        self.command = [str(spark_submit), "--master", master,
                        "--driver-memory", os.environ.get("LENET_DRIVER_MEMORY", "1g"),
                        "--driver-java-options", f"{JAVA17_OPTIONS} -Dlog4j2.configurationFile={PROJECT}/conf/log4j2.properties",
                        "--conf", "spark.ui.enabled=false",
                        *(["--jars", ",".join(str(jar) for jar in extra_jars)] if extra_jars else []),
                        "--class", main_class, str(JAR), *job_args]
        self.shown = f"--master {master} {' '.join(self.command[self.command.index('--class') + 1:])}"
        self.env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", **(env or {})}
        self.log_path = log_dir / f"{name}.log"
        self.worker_pids = ()

    @classmethod
    def on_standalone(cls, name, cluster, cores, job_args, log_dir):
        """The job submitted with submit/standalone.sh, as users submit it, taking {cores} one-core executors."""
        run = cls(name, cluster.url, "LeNetJob", job_args, log_dir)
        run.command = [str(PROJECT / "submit" / "standalone.sh"), *job_args]
        run.shown = f"submit/standalone.sh ({cores} executor(s) of 1 core) {' '.join(job_args)}"
        run.env.update({"SPARK_MASTER_URL": cluster.url, "LENET_TOTAL_CORES": str(cores), "LENET_EXECUTOR_CORES": "1",
                        "LENET_EXECUTOR_MEMORY": STANDALONE_EXECUTOR_MEMORY})
        run.worker_pids = cluster.worker_pids
        return run

    def execute(self):
        print(f"[bench] {self.name}: {self.shown}", flush=True)
        with open(self.log_path, "w") as log:
            start = time.monotonic()
            process = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT, env=self.env)
            sampler = PeakMemory(process.pid, self.worker_pids)
            sampler.start()
            self.exit_code = process.wait()
            self.seconds = time.monotonic() - start
            sampler.stopped.set()
            sampler.join()
            self.peak_bytes = sampler.peak_bytes
        self.log = self.log_path.read_text()
        if self.exit_code != 0:
            sys.exit(f"[bench] {self.name} failed with exit code {self.exit_code}; see {self.log_path}")
        print(f"[bench] {self.name}: {self.seconds:.0f} s, peak {self.peak_bytes / 2**30:.2f} GiB", flush=True)
        return self


class StandaloneCluster:
    """A Spark standalone Master and one-core Workers on 127.0.0.1, started with submit/standalone-cluster.sh."""

    def __init__(self, workers, log_dir):
        self.log_dir = log_dir
        self.launcher = subprocess.Popen(
            [str(PROJECT / "submit" / "standalone-cluster.sh"), str(log_dir / "cluster"), str(workers), "1",
             STANDALONE_WORKER_MEMORY], stdout=subprocess.PIPE, stderr=open(log_dir / "cluster.log", "w"), text=True)
        self.url = None
        for line in self.launcher.stdout:
            if line.startswith("master-url "):
                self.url = line.split(None, 1)[1].strip()
            elif line.startswith("web-ui ") and self.url:
                break
        else:
            self.stop()
            sys.exit(f"[bench] the standalone cluster did not start {workers} workers; see {log_dir}")
        # A Worker's executors are its children; PeakMemory counts them and not the Worker itself.
        self.worker_pids = [pid for pid in process_tree(self.launcher.pid)
                            if "org.apache.spark.deploy.worker.Worker" in command_line(pid)]

    def stop(self):
        self.launcher.terminate()
        self.launcher.wait()


def command_line(pid):
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def pytorch_epochs(threads, log_dir):
    """One epoch in PyTorch per thread count: {threads: (result, peak bytes)}, or {} when torch is missing."""
    probe = subprocess.run([TORCH_PYTHON, "-c", "import torch"], capture_output=True, text=True)
    if probe.returncode != 0:
        print(f"[bench] PyTorch rows skipped: {TORCH_PYTHON} cannot import torch "
              f"({probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else 'no output'}); "
              "install Debian's python3-torch to add them", flush=True)
        return {}
    results = {}
    for n in threads:
        command = [TORCH_PYTHON, str(PROJECT / "bench" / "torch_epoch.py"), "--threads", str(n),
                   "--raw-dir", str(PROJECT / "data" / "raw")]
        print(f"[bench] pytorch-{n}-thread: {' '.join(command[1:])}", flush=True)
        log_path = log_dir / f"pytorch-{n}-thread.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True,
                                       env={**os.environ, "OMP_NUM_THREADS": str(n)})
            sampler = PeakMemory(process.pid)
            sampler.start()
            output, _ = process.communicate()
            sampler.stopped.set()
            sampler.join()
        if process.returncode != 0:
            sys.exit(f"[bench] pytorch-{n}-thread failed with exit code {process.returncode}; see {log_path}")
        result = json.loads(output.strip().splitlines()[-1])
        print(f"[bench] pytorch-{n}-thread: {result['seconds']:.1f} s, {result['images_per_second']:.0f} img/s",
              flush=True)
        results[n] = (result, sampler.peak_bytes)
    return results


def epochs_of(run_folder):
    lines = (run_folder / "metrics.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def steady_epoch(epochs):
    """The last epoch: the first one also pays for JIT warm-up and the first broadcast."""
    return epochs[-1]


def machine():
    flags = set(re.findall(r"\b(avx2|avx512f|avx512bw|avx512vl|avx512_bf16|amx_tile|fma)\b",
                           Path("/proc/cpuinfo").read_text()))
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cores": os.cpu_count(), "cpu": model, "flags": " ".join(sorted(flags)), "java": java,
            "memory": f"{memory_gib:.0f} GiB"}


def backend():
    """The ND4J build packed in the job jar: its version, platform variants and BLAS."""
    with zipfile.ZipFile(JAR) as jar:
        names = jar.namelist()
        versions = {}
        for artifact in ("nd4j-native", "openblas"):
            group = "org.nd4j" if artifact.startswith("nd4j") else "org.bytedeco"
            text = jar.read(f"META-INF/maven/{group}/{artifact}/pom.properties").decode()
            versions[artifact] = re.search(r"version=(\S+)", text).group(1)
    prefix = "org/nd4j/linalg/cpu/nativecpu/bindings/"
    platforms = sorted({name[len(prefix):].split("/")[0] for name in names
                        if name.startswith(prefix) and name.count("/") > prefix.count("/")})
    return f"nd4j-native {versions['nd4j-native']} ({', '.join(platforms)}), OpenBLAS {versions['openblas']}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2,
                        help="epochs of each job run; the last one is reported (default 2)")
    parser.add_argument("--full", action="store_true",
                        help="also time a default run from launch to its test accuracy (about 25 min)")
    parser.add_argument("--no-standalone", action="store_true",
                        help="skip the runs on a two-worker standalone cluster (one vs two executors)")
    parser.add_argument("--output", default=str(PROJECT / "BENCHMARKS.md"))
    parser.add_argument("job_args", nargs="*", help="extra key=value settings for every job run")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="lenet-bench-"))
    print(f"[bench] working in {work}", flush=True)
    cores = os.cpu_count()
    one_thread = {"OMP_NUM_THREADS": "1"}
    all_threads = {"OMP_NUM_THREADS": str(cores)}
    data = work / "parquet"

    prepare = Run("prepare", "local[*]", "PrepareMnist",
                  ["prepare.source=dir", f"prepare.source-dir={PROJECT / 'data' / 'raw'}",
                   f"prepare.raw-dir={work / 'raw'}", f"prepare.output={data}"], work).execute()

    common = [f"data.dir={data}", f"output.dir={work / 'runs'}", f"training.epochs={options.epochs}",
              *options.job_args]
    baseline = Run("single-jvm", "local[1]", "io.lenetspark.bench.SingleJvmEpoch",
                   [f"data.dir={data}", f"training.epochs={options.epochs}", *options.job_args],
                   work, all_threads, extra_jars=[BENCH_JAR]).execute()
    baseline_epochs = [float(m) for m in re.findall(r"Single-JVM epoch \d+/\d+: \d+ images in ([\d.]+) s",
                                                    baseline.log)]
    jobs = {}
    for name, master, settings in [
        ("parameter-averaging local[*]", "local[*]", ["training.master=parameter-averaging"]),
        ("gradient-sharing local[*]", "local[*]", ["training.master=gradient-sharing"]),
        ("parameter-averaging local[1]", "local[1]", ["training.master=parameter-averaging"]),
    ]:
        run_id = re.sub(r"[^a-z0-9]+", "-", name).strip("-")
        run = Run(run_id, master, "LeNetJob", [*common, *settings, f"output.run-id={run_id}"],
                  work, one_thread).execute()
        jobs[name] = (run, steady_epoch(epochs_of(work / "runs" / run_id)))

    # Scoring the test split with the model parameter averaging trained, as LeNetPredict users would.
    scoring = Run("predict-local-2", "local[2]", "LeNetPredict",
                  [f"predict.run={work / 'runs' / 'parameter-averaging-local'}", f"predict.input={data / 'test'}",
                   f"predict.output={work / 'scored'}", *options.job_args], work, one_thread).execute()
    scored = re.search(r"Scored ([\d,]+) images with run \S+ in ([\d.]+) s \((\d+) images/s\)", scoring.log)

    standalone = {}
    if not options.no_standalone:
        cluster = StandaloneCluster(2, work)
        try:
            for executors in (1, 2):
                run_id = f"standalone-{executors}-executor"
                run = Run.on_standalone(run_id, cluster, executors, [*common, f"output.run-id={run_id}"], work).execute()
                standalone[executors] = (run, steady_epoch(epochs_of(work / "runs" / run_id)))
        finally:
            cluster.stop()

    full = None
    if options.full:
        full = Run("default-run", "local[*]", "LeNetJob",
                   [f"data.dir={data}", f"output.dir={work / 'runs'}", "output.run-id=default-run",
                    *options.job_args], work, one_thread).execute()
        full_accuracy = json.loads((work / "runs" / "default-run" / "test-evaluation.json").read_text())["accuracy"]
        # Gradient sharing over a whole run, where a slowdown from epoch to epoch would show.
        full_gs = Run("default-run-gradient-sharing", "local[*]", "LeNetJob",
                      [f"data.dir={data}", f"output.dir={work / 'runs'}", "output.run-id=default-run-gradient-sharing",
                       "training.master=gradient-sharing", *options.job_args], work, one_thread).execute()
        full_gs_folder = work / "runs" / "default-run-gradient-sharing"
        full_gs_epochs = epochs_of(full_gs_folder)
        full_gs_accuracy = json.loads((full_gs_folder / "test-evaluation.json").read_text())["accuracy"]

    pytorch = pytorch_epochs(sorted({1, cores}), work)

    facts = machine()
    facts["backend"] = backend()
    baseline_seconds = baseline_epochs[-1]
    images = jobs["parameter-averaging local[*]"][1]["seconds"] * jobs["parameter-averaging local[*]"][1]["images_per_second"]

    rows = [("Data preparation (60,000 + 10,000 images to Parquet)", f"{prepare.seconds:.1f} s", "", ""),
            (f"Single-JVM DL4J epoch ({cores} threads)", f"{baseline_seconds:.1f} s",
             f"{images / baseline_seconds:.0f}", f"{baseline.peak_bytes / 2**30:.2f} GiB")]
    for name, (run, epoch) in jobs.items():
        rows.append((f"LeNetJob epoch, {name}", f"{epoch['seconds']:.1f} s", f"{epoch['images_per_second']:.0f}",
                     f"{run.peak_bytes / 2**30:.2f} GiB"))
    rows.append((f"LeNetPredict, {scored.group(1)} test images on local[2] (scoring and Parquet write; "
                 f"{scoring.seconds:.0f} s from launch)", f"{float(scored.group(2)):.1f} s", scored.group(3),
                 f"{scoring.peak_bytes / 2**30:.2f} GiB"))
    for executors, (run, epoch) in standalone.items():
        rows.append((f"LeNetJob epoch, parameter-averaging on standalone, {executors} executor(s) of 1 core",
                     f"{epoch['seconds']:.1f} s", f"{epoch['images_per_second']:.0f}",
                     f"{run.peak_bytes / 2**30:.2f} GiB"))
    for threads, (result, peak_bytes) in pytorch.items():
        rows.append((f"PyTorch {result['torch']} epoch, same network and split ({threads} thread(s))",
                     f"{result['seconds']:.1f} s", f"{result['images_per_second']:.0f}", f"{peak_bytes / 2**30:.2f} GiB"))
    if full:
        rows.append((f"Default run, launch to finish (test accuracy {full_accuracy:.4f})", f"{full.seconds:.0f} s", "",
                     f"{full.peak_bytes / 2**30:.2f} GiB"))
        rows.append((f"Default gradient-sharing run, launch to finish ({len(full_gs_epochs)} epochs, test accuracy "
                     f"{full_gs_accuracy:.4f})", f"{full_gs.seconds:.0f} s", "", f"{full_gs.peak_bytes / 2**30:.2f} GiB"))
        for epoch in (full_gs_epochs[1], full_gs_epochs[-1]):
            rows.append((f"Default gradient-sharing run, epoch {epoch['epoch']}", f"{epoch['seconds']:.1f} s",
                         f"{epoch['images_per_second']:.0f}", ""))

    pa = jobs["parameter-averaging local[*]"]
    gs = jobs["gradient-sharing local[*]"]
    one = jobs["parameter-averaging local[1]"]
    # The default run is parameter averaging; gradient sharing has a goal of its own.
    peak = max([pa[0].peak_bytes] + ([full.peak_bytes] if full else [])) / 2**30
    gs_peak = max([gs[0].peak_bytes] + ([full_gs.peak_bytes] if full else [])) / 2**30
    goals = [
        ("Epoch of 54,000 images (parameter averaging)", f"≤ {GOAL_EPOCH_SECONDS:.0f} s", f"{pa[1]['seconds']:.1f} s",
         pa[1]["seconds"] <= GOAL_EPOCH_SECONDS),
        ("Images per second (parameter averaging)", f"≥ {GOAL_IMAGES_PER_SECOND:.0f}",
         f"{pa[1]['images_per_second']:.0f}", pa[1]["images_per_second"] >= GOAL_IMAGES_PER_SECOND),
        ("Spark overhead: job epoch / single-JVM epoch", f"≤ {GOAL_SPARK_OVERHEAD}",
         f"{pa[1]['seconds'] / baseline_seconds:.2f}", pa[1]["seconds"] / baseline_seconds <= GOAL_SPARK_OVERHEAD),
        ("Peak resident memory of a parameter-averaging run", f"≤ {GOAL_PEAK_GIB:.0f} GiB", f"{peak:.2f} GiB",
         peak <= GOAL_PEAK_GIB),
        ("Peak resident memory of a gradient-sharing run", f"≤ {GOAL_GRADIENT_SHARING_PEAK_GIB} GiB",
         f"{gs_peak:.2f} GiB", gs_peak <= GOAL_GRADIENT_SHARING_PEAK_GIB),
    ]
    if pytorch:
        torch_ratio = pa[1]["seconds"] / pytorch[cores][0]["seconds"]
        goals.append((f"LeNetJob local[{cores}] epoch / PyTorch {cores}-thread epoch", f"≤ {GOAL_PYTORCH_EPOCH_RATIO}",
                      f"{torch_ratio:.2f}", torch_ratio <= GOAL_PYTORCH_EPOCH_RATIO))
    gs_vs_pa = gs[1]["seconds"] / pa[1]["seconds"]
    goals.append(("Gradient-sharing epoch / parameter-averaging epoch", f"≤ {GOAL_GRADIENT_SHARING_VS_AVERAGING}",
                  f"{gs_vs_pa:.2f}", gs_vs_pa <= GOAL_GRADIENT_SHARING_VS_AVERAGING))
    if full:
        goals.append(("Launch to a finished run at 99.0% test accuracy", f"≤ {GOAL_RUN_SECONDS:.0f} s",
                      f"{full.seconds:.0f} s ({full_accuracy:.2%})",
                      full.seconds <= GOAL_RUN_SECONDS and full_accuracy >= TARGET_ACCURACY))
        gs_slowdown = full_gs_epochs[-1]["seconds"] / full_gs_epochs[1]["seconds"]
        goals.append(("Full gradient-sharing run: last epoch / epoch 2", f"≤ {GOAL_GRADIENT_SHARING_SLOWDOWN}",
                      f"{gs_slowdown:.2f}", gs_slowdown <= GOAL_GRADIENT_SHARING_SLOWDOWN))
        goals.append(("Test accuracy of the default gradient-sharing run", f"≥ {TARGET_ACCURACY}",
                      f"{full_gs_accuracy:.4f}", full_gs_accuracy >= TARGET_ACCURACY))
    ratios = [
        ("parameter averaging / single JVM (epoch time)", pa[1]["seconds"] / baseline_seconds),
        ("gradient sharing / single JVM (epoch time)", gs[1]["seconds"] / baseline_seconds),
        ("gradient sharing / parameter averaging (epoch time)", gs_vs_pa),
        (f"local[{cores}] / local[1] (images per second)", pa[1]["images_per_second"] / one[1]["images_per_second"]),
        ("epoch time / 15 s goal", pa[1]["seconds"] / GOAL_EPOCH_SECONDS),
    ]
    if full:
        ratios.append(("full gradient-sharing run: last epoch / epoch 2 (time)", gs_slowdown))
    if standalone:
        ratios.append(("standalone 2 executors / 1 executor (images per second)",
                       standalone[2][1]["images_per_second"] / standalone[1][1]["images_per_second"]))
        ratios.append(("standalone 2 executors / local[*] (images per second)",
                       standalone[2][1]["images_per_second"] / pa[1]["images_per_second"]))

    if pytorch:
        ratios.append((f"LeNetJob local[{cores}] epoch / PyTorch {cores}-thread epoch (time)", torch_ratio))
        ratios.append(("DL4J images/s per core (LeNetJob local[1]) / PyTorch 1-thread images/s",
                       one[1]["images_per_second"] / pytorch[1][0]["images_per_second"]))

    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks", "",
        f"Measured by `{' '.join(['bench/run.sh', *sys.argv[1:]])}` on {when}. Each job run trains "
        f"{options.epochs} epoch(s) of the default network and batch size on the 54,000 training images; the table "
        "gives the last epoch (the first also pays for JIT warm-up). Peak memory is the largest summed resident "
        "memory of the spark-submit process and its children, sampled every 0.2 s."
        + (" The PyTorch rows train the same network with the same initialisers, optimiser, batch size and 54,000 "
           "images for one epoch in one process (`bench/torch_epoch.py`, Debian's python3-torch, "
           "`torch.set_num_threads`)." if pytorch else
           f" No PyTorch rows: {TORCH_PYTHON} cannot import torch (Debian's python3-torch is not installed)."), "",
        "| Machine | |", "|---|---|",
        *[f"| {key} | {value} |" for key, value in facts.items()], "",
        "| Measurement | Time | Images/s | Peak memory |", "|---|---:|---:|---:|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows], "",
        "| Goal | Target | Measured | Met |", "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {'yes' if met else 'no'} |" for a, b, c, met in goals], "",
        "| Ratio | Value |", "|---|---:|",
        *[f"| {name} | {value:.2f} |" for name, value in ratios], "",
    ]
    Path(options.output).write_text("\n".join(lines))
    print("\n".join(lines))
    print(f"[bench] wrote {options.output}; logs and run folders in {work}")
    if not os.environ.get("LENET_BENCH_KEEP"):
        shutil.rmtree(work / "parquet", ignore_errors=True)


if __name__ == "__main__":
    main()
