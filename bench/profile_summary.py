#!/usr/bin/env python3
"""Prints where a LeNetJob run spends its CPU time, from async-profiler's collapsed stacks.

Usage: bench/profile_summary.py CPU.collapsed [--output profile.md] [--metrics metrics.jsonl]
                                [--interval-ms MS] [--note TEXT ...]

Writes two Markdown tables: the top frames by self time, and the time per category. A category's
inclusive time counts every sample with one of its frames anywhere on the stack, so categories
that nest (a gemm inside a convolution) overlap. Its assigned time gives each sample to the first
category of the table that matches it, so the assigned column sums to 100%.
bench/profile.sh records the stacks and runs this; run that, not this file.
"""

import argparse
import collections
import json
import re
from pathlib import Path

TOP_FRAMES = 15

# (category, where to look, frame pattern), in the order that assigns each sample once: the JVM's
# own threads first, then serialization and evaluation (which contain forward passes), then the
# training operations from the innermost out (the updater and batch norm before the convolutions,
# these before the gemm left for the dense layers), then the job's data pipeline, the training
# master's exchange and Spark.
# Patterns are regular expressions searched in one frame; Java frames are written with dots.
# libnd4j's native frames mostly lack callers ([unknown] below the JNI call: no frame pointers), so
# the operations are recognized by the DL4J/ND4J Java frames that call them.
# "any" matches a frame anywhere on the stack; "innermost" only the innermost frame of Spark, DL4J,
# ND4J or this project, because Spark's task frames sit below all the work a task does.
ANY, INNERMOST = "any", "innermost"
CATEGORIES = [
    # G1's parallel workers (GangWorker in JDK 17), its concurrent threads and the VM operations.
    ("GC", ANY, r"^(GangWorker::run|WorkerThread::run|ConcurrentGCThread::run|VM_G1|VM_GC|GCTaskThread)"),
    # The JIT compilers' threads: a one-epoch profile still pays for warming up Spark and DL4J.
    ("JIT compilation", ANY, r"^(CompileBroker::compiler_thread_loop|NMethodSweeper::)"),
    # libgomp's threads waiting at a barrier burn CPU before they sleep (OMP_WAIT_POLICY).
    ("OpenMP spin (libgomp)", ANY, r"(libgomp|^gomp_|^GOMP_|^do_spin$|^do_wait$)"),
    # Kryo and Java serialization of task data, results and broadcasts; ND4J's arrays write and read
    # their buffers element by element in BaseDataBuffer.write/read.
    ("Serialization (Kryo, Java, ND4J)", ANY, r"(com\.esotericsoftware\.kryo|java\.io\.Object(Output|Input)Stream|"
                                              r"org\.apache\.spark\.serializer\.|org\.nd4j\.serde|"
                                              r"Nd4j\.(write|read)|BaseDataBuffer\.(write|read))"),
    # The validation split after each epoch and the test set at the end: forward passes only.
    ("Evaluation (validation, test)", ANY, r"io\.lenetspark\.evaluation\."),
    # Adam (any updater) applied to the flattened gradient; natively the adam_updater op.
    ("Updater (Adam)", ANY, r"(org\.deeplearning4j\.nn\.updater\.|org\.nd4j\.linalg\.learning\.|adamUpdater)"),
    # DL4J's BatchNormalization layer, forward and backward (libnd4j batchnorm, batchnorm_bp).
    ("Batch norm", ANY, r"(layers\.normalization\.BatchNormalization\.|sd::ops::batchnorm)"),
    # Convolution and pooling backward passes. DL4J's ConvolutionLayer.backpropGradient redoes
    # the forward im2col (preOutput4d); that counts here, in the pass that pays for it.
    ("Convolution backprop", ANY, r"(convolution\.ConvolutionLayer\.backpropGradient|"
                                  r"subsampling\.SubsamplingLayer\.backpropGradient|conv2d_bp|col2im)"),
    # Convolution and pooling forward passes (Convolution.im2col, then a gemm), recognized by the
    # layers' activate: im2col and preOutput also run inside backpropGradient.
    ("Convolution forward (im2col, conv2d)", ANY, r"(convolution\.ConvolutionLayer\.activate|"
                                                  r"subsampling\.SubsamplingLayer\.activate)"),
    # Matrix products: ND4J's mmul/gemm and OpenBLAS (its frames show as the library's path when
    # it has no symbols). Assigned here: only those outside convolutions, i.e. the dense layers.
    ("gemm / BLAS", ANY, r"(BaseNDArray\.mmuli?$|Nd4j\.gemm|BlasWrapper|MmulHelper|sd::blas::|cblas_|sgemm|"
                         r"libopenblas)"),
    # Our Parquet-rows-to-DataSet step and DL4J's DataSet batching.
    ("Minibatch creation", ANY, r"(io\.lenetspark\.model\.(RowsToMinibatches|Minibatches)|"
                                r"org\.nd4j\.linalg\.dataset\.DataSet\.merge|IteratorDataSetIterator|"
                                r"BatchDataSetsFunction)"),
    # Parameter averaging around the workers' fits: splitting the data per averaging round and
    # aggregating the workers' parameters and updater states.
    # The worker's processMinibatch is the fit itself, so it is left out.
    ("Parameter averaging / aggregation", ANY, r"(spark\.impl\.paramavg\.(?!ParameterAveragingTrainingWorker\."
                                               r"processMinibatch)|spark\.impl\.common\.SplitPartitionsFunction|"
                                               r"RDD\.(tree)?[aA]ggregate)"),
    # Gradient sharing around the fits: threshold encoding, the accumulator, and the Aeron
    # transport threads, which poll (yield in a loop) while they wait.
    ("Gradient sharing (encoding, Aeron transport)", ANY, r"(optimize\.solvers\.accumulation\.|thresholdEncode|"
                                                          r"org\.nd4j\.parameterserver\.|io\.aeron\.)"),
    # Spark's own work: scheduling, shuffle, block manager, RPC, SQL planning and codegen, the Parquet scan.
    ("Spark (scheduling, shuffle, storage, SQL)", INNERMOST, r"^org\.apache\.spark\."),
]
# Frames of the libraries that do the job's work; the innermost one says whose work a sample is.
LIBRARY_FRAME = re.compile(r"^(org\.apache\.spark|org\.deeplearning4j|org\.nd4j|io\.lenetspark)\.")
OTHER = "Other"


def read_stacks(path):
    """(frames from the root to the leaf, samples) for each line of a collapsed-stacks file."""
    for line in Path(path).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack:
            yield [java_dotted(frame) for frame in stack.split(";")], int(count)


def java_dotted(frame):
    """A Java frame as org.pkg.Class.method; native (::, library paths) and kernel ([k]) frames unchanged."""
    if "::" in frame or frame.startswith(("/", "[")) or frame.endswith("_[k]"):
        return frame
    return frame.replace("/", ".")


def summarize(stacks):
    compiled = [(name, scope, re.compile(pattern)) for name, scope, pattern in CATEGORIES]
    total = 0
    inclusive = collections.Counter()
    assigned = collections.Counter()
    self_time = collections.Counter()
    leaf_category = collections.defaultdict(collections.Counter)
    for frames, count in stacks:
        total += count
        innermost = [next((frame for frame in reversed(frames) if LIBRARY_FRAME.match(frame)), "")]
        matched = [name for name, scope, pattern in compiled
                   if any(pattern.search(frame) for frame in (frames if scope == ANY else innermost))]
        for name in matched:
            inclusive[name] += count
        first = matched[0] if matched else OTHER
        assigned[first] += count
        self_time[frames[-1]] += count
        leaf_category[frames[-1]][first] += count
    inclusive[OTHER] = assigned[OTHER]
    return total, inclusive, assigned, self_time, leaf_category


def percent(part, total):
    return f"{100.0 * part / total:.1f}" if total else "0.0"


def markdown(interval_ms, total, inclusive, assigned, self_time, leaf_category):
    # Each sample stands for one interval of CPU time of one thread.
    cpu = f" ({total * interval_ms / 1000:.0f} s of CPU time)" if interval_ms else ""
    lines = [f"Samples: {total}{cpu}", "",
             f"| Top {TOP_FRAMES} frames by self time | Self % | Category (most of its samples) |",
             "|---|---:|---|"]
    for frame, count in self_time.most_common(TOP_FRAMES):
        shown = frame.replace("|", "\\|")
        if len(shown) > 110:
            shown = shown[:107] + "..."
        lines.append(f"| `{shown}` | {percent(count, total)} | {leaf_category[frame].most_common(1)[0][0]} |")
    lines += ["", "| Category | Inclusive % | Assigned % |", "|---|---:|---:|"]
    for name in [name for name, _, _ in CATEGORIES] + [OTHER]:
        lines.append(f"| {name} | {percent(inclusive[name], total)} | {percent(assigned[name], total)} |")
    lines.append(f"| Sum | | {percent(sum(assigned.values()), total)} |")
    return lines


def epoch_notes(metrics_path):
    notes = []
    for line in Path(metrics_path).read_text().splitlines():
        if line.strip():
            epoch = json.loads(line)
            notes.append(f"Epoch {epoch['epoch']}: {epoch['seconds']:.1f} s, {epoch['images_per_second']:.0f} images/s")
    return notes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("collapsed", help="async-profiler output in the collapsed format")
    parser.add_argument("--output", help="also write the Markdown to this file")
    parser.add_argument("--metrics", help="the run's metrics.jsonl, to show its epoch times")
    parser.add_argument("--interval-ms", type=float, help="the sampling interval, to show the CPU time sampled")
    parser.add_argument("--note", action="append", default=[], help="a line to print above the tables")
    options = parser.parse_args()

    notes = list(options.note)
    if options.metrics and Path(options.metrics).exists():
        notes += epoch_notes(options.metrics)
    tables = markdown(options.interval_ms, *summarize(read_stacks(options.collapsed)))
    lines = [*[f"- {note}" for note in notes], "", *tables, ""]
    text = "\n".join(lines)
    print(text)
    if options.output:
        Path(options.output).write_text(text)


if __name__ == "__main__":
    main()
