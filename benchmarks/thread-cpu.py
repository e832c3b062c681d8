#!/usr/bin/env python3
"""CPU time and wake-ups by thread group of running JVMs over a window, from /proc: no profiler needed.

    benchmarks/thread-cpu.py --seconds 20 PID [PID ...]
    benchmarks/thread-cpu.py --seconds 20 --ops-per-second 450 $(cat benchmarks/target/cluster/n*.pid)

Reads every thread's CPU time (utime + stime) and voluntary context switches at the start and the end of
the window, and names threads by their full Java names (`jcmd PID Thread.print`; the kernel keeps 15
characters). A voluntary switch is a thread going to sleep to wait (a futex, a poll, a read), so at a steady
load the switches per operation count the hand-offs an operation takes: the figure that CPU time alone
hides when a lone request's latency is the question. Thread names have their numbers folded (apply-3 and
apply-7 add up), so the groups of the three nodes add up too. With --ops-per-second (from the benchmark's
own report for the same window) the table is per operation; without it, per second.
"""
import argparse
import collections
import os
import re
import subprocess
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def fold(name):
    """A thread group's name: numbers and Ratis group ids folded."""
    name = re.sub(r"group-[0-9A-F]{12}", "group", name)
    name = re.sub(r"^apply-[0-9a-f]+$", "apply", name)
    name = re.sub(r"\b(n|ds)\d+\b", "node", name)
    return re.sub(r"\d+", "#", name)


def java_names(pids):
    """(pid, tid) -> the Java thread's full name, from `jcmd PID Thread.print` (the kernel keeps 15 chars)."""
    names = {}
    for pid in pids:
        try:
            dump = subprocess.run(["jcmd", str(pid), "Thread.print"], capture_output=True, text=True,
                                  timeout=30).stdout
        except (OSError, subprocess.TimeoutExpired):
            continue
        for m in re.finditer(r'^"(.+?)" .*? nid=0x([0-9a-f]+)', dump, re.MULTILINE):
            names[(pid, str(int(m.group(2), 16)))] = m.group(1)
    return names


def sample(pids):
    """(pid, tid) -> (group, cpu seconds, voluntary switches)."""
    threads = {}
    for pid in pids:
        task_dir = f"/proc/{pid}/task"
        try:
            tids = os.listdir(task_dir)
        except FileNotFoundError:
            continue
        for tid in tids:
            try:
                with open(f"{task_dir}/{tid}/stat") as f:
                    stat = f.read()
                with open(f"{task_dir}/{tid}/status") as f:
                    status = f.read()
            except (FileNotFoundError, ProcessLookupError):
                continue
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2:].split()
            cpu = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
            switches = int(re.search(r"voluntary_ctxt_switches:\s+(\d+)", status).group(1))
            threads[(pid, tid)] = (fold(comm), cpu, switches)
    return threads


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--ops-per-second", type=float, default=0)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("pids", nargs="+", type=int)
    args = parser.parse_args()

    before = sample(args.pids)
    start = time.monotonic()
    time.sleep(args.seconds)
    after = sample(args.pids)
    elapsed = time.monotonic() - start
    names = java_names(args.pids)

    cpu = collections.Counter()
    switches = collections.Counter()
    for key, (group, c1, s1) in after.items():
        _, c0, s0 = before.get(key, (group, 0.0, 0))  # a thread born in the window counts from zero
        group = fold(names[key]) if key in names else group
        cpu[group] += c1 - c0
        switches[group] += s1 - s0

    per = args.ops_per_second * elapsed if args.ops_per_second > 0 else elapsed
    unit = "op" if args.ops_per_second > 0 else "s"
    total_cpu = sum(cpu.values())
    print(f"window {elapsed:.1f} s; CPU {total_cpu / elapsed * 100:.0f} % of one core; "
          f"{total_cpu * 1e6 / per:,.0f} us CPU and {sum(switches.values()) / per:,.1f} wake-ups per {unit}")
    print(f"{'thread group':<64} {'us CPU/' + unit:>12} {'wake-ups/' + unit:>14}")
    for group, c in cpu.most_common(args.top):
        print(f"{group[:64]:<64} {c * 1e6 / per:>12,.0f} {switches[group] / per:>14,.2f}")


if __name__ == "__main__":
    main()
