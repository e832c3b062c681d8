#!/usr/bin/env python3
"""Where the machine's CPU went during a benchmark, by layer, from a whole-machine `perf` recording.

    perf record -e cpu-clock -F 499 -a -g -o /tmp/perf.data -- sleep 15      # while the load runs
    for p in $(cat benchmarks/target/cluster/n*.pid); do jcmd $p Compiler.perfmap; done
    perf script -i /tmp/perf.data -F comm,pid,ip,sym,dso > /tmp/perf.txt
    benchmarks/perf-layers.py /tmp/perf.txt [THREAD-REGEX]

`jcmd … Compiler.perfmap` (JDK 17) writes /tmp/perf-<pid>.map, which lets perf name JIT-compiled Java
methods; run it before `perf script`, while the JVMs still live. Prints three tables, each as a share of the
non-idle samples (or of the threads matching THREAD-REGEX): the thread groups (thread names with numbers
and group ids folded, so the three nodes' `apply-…` threads add up), the layer of the innermost frame
(kernel, JVM, Xodus, Ratis, …), and the system calls behind the kernel's share. The layers are package
prefixes: a method from an unlisted package shows as `other`.
"""
import collections
import re
import sys

LAYERS = [
    ("jetbrains.exodus", "xodus"),
    ("org.apache.ratis.thirdparty.io.grpc", "grpc (Ratis)"),
    ("org.apache.ratis.thirdparty.io.netty", "netty (Ratis)"),
    ("org.apache.ratis.thirdparty.com.google.protobuf", "protobuf (Ratis)"),
    ("org.apache.ratis", "ratis"),
    ("io.netty.handler.ssl", "tls"),
    ("sun.security", "tls"),
    ("com.sun.crypto", "tls"),
    ("javax.crypto", "tls"),
    ("io.netty", "netty (client port)"),
    ("com.google.protobuf", "protobuf"),
    ("io.gravwell.datastore.bench", "load generator"),
    ("io.gravwell", "datastore code"),
    ("java.util.concurrent", "java.util.concurrent"),
    ("io.micrometer", "metrics"),
    ("java.", "jdk"),
    ("jdk.", "jdk"),
    ("sun.nio", "jdk"),
]
FRAME = re.compile(r"\s*[0-9a-f]+\s+(.*)\s+\((.*)\)\s*$")


def samples(lines):
    """Yields (thread name, [(symbol, dso), …] innermost first) per perf sample."""
    comm, frames = None, []
    for line in lines:
        if not line.strip():
            if comm is not None:
                yield comm, frames
            comm, frames = None, []
        elif not line[0].isspace():
            # "comm pid": a thread name may hold spaces ("C2 CompilerThre").
            comm, frames = line.rstrip().rsplit(None, 1)[0], []
        else:
            m = FRAME.match(line)
            if m:
                frames.append((m.group(1), m.group(2)))
    if comm is not None:
        yield comm, frames


def java_layer(symbol):
    name = symbol.split("(")[0].split()
    name = name[-1] if name else symbol
    for prefix, layer in LAYERS:
        if name.startswith(prefix):
            return layer
    return "other"


def leaf_layer(frames):
    if not frames:
        return "unknown"
    symbol, dso = frames[0]
    if "kernel" in dso:
        return "kernel"
    if dso.endswith(".map"):
        return java_layer(symbol)
    if "libjvm" in dso:
        return "jvm (GC, JIT, runtime)"
    return dso.rsplit("/", 1)[-1]


def syscall(frames):
    for i, (symbol, _) in enumerate(frames):
        if symbol.startswith("do_syscall_64"):
            return frames[i - 1][0] if i > 0 else symbol
    return "not a system call (interrupts, scheduling, faults)"


def thread_group(comm):
    """Threads that differ only in numbers or a group id count together: the three nodes' apply-<id>."""
    return re.sub(r"\d+", "N", re.sub(r"-[0-9a-fA-F]{6,}.*$", "-*", comm))


def show(title, counter, total, limit):
    print(f"-- {title}")
    for key, n in counter.most_common(limit):
        print(f"{100.0 * n / total:5.1f}%  {key}")


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    only = re.compile(sys.argv[2]) if len(sys.argv) == 3 else None
    threads, layers, calls = collections.Counter(), collections.Counter(), collections.Counter()
    total = kernel = 0
    with open(sys.argv[1], errors="replace") as f:
        for comm, frames in samples(f):
            if comm == "swapper" or (only and not only.search(comm)):
                continue
            total += 1
            threads[thread_group(comm)] += 1
            layer = leaf_layer(frames)
            layers[layer] += 1
            if layer == "kernel":
                kernel += 1
                calls[syscall(frames)] += 1
    if total == 0:
        sys.exit("no samples (wrong file, or no thread matches)")
    print(f"{total} samples")
    show("thread groups", threads, total, 20)
    show("innermost frame, by layer", layers, total, 20)
    if kernel:
        show(f"kernel share ({100.0 * kernel / total:.1f}%), by system call", calls, total, 10)


if __name__ == "__main__":
    main()
