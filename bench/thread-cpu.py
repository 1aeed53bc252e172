#!/usr/bin/env python3
"""Per-thread CPU of a running process, to find a serial stage (one thread near a whole core).

Usage: python3 bench/thread-cpu.py PID SECONDS [--every 1]

Reads /proc/PID/task/*/stat (utime + stime, clock ticks of 1/100 s, and comm, the thread's name cut to
15 characters) every --every seconds for SECONDS seconds, then prints, for each thread that used CPU, its
share of one core over the whole window and its busiest interval, busiest first, and the same summed by
name (the .NET runtime names its pools: ".NET TP Worker", ".NET Server GC", ".NET SigHandler", ...).
A thread-pool worker's name says nothing about the work it ran; a dedicated thread's does.
"""
import argparse
import collections
import os
import time

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def read(pid):
    threads = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue  # the thread ended between listing and reading
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        threads[int(tid)] = (name, int(fields[11]) + int(fields[12]))
    return threads


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pid", type=int)
    parser.add_argument("seconds", type=float)
    parser.add_argument("--every", type=float, default=1.0)
    args = parser.parse_args()

    first = read(args.pid)
    last = dict(first)
    busiest = collections.defaultdict(float)
    start = time.monotonic()
    previous_time = start
    while time.monotonic() - start < args.seconds:
        time.sleep(args.every)
        now = read(args.pid)
        now_time = time.monotonic()
        for tid, (name, ticks) in now.items():
            before = last.get(tid, (name, 0))[1]
            share = (ticks - before) / TICKS_PER_SECOND / (now_time - previous_time)
            busiest[tid] = max(busiest[tid], share)
        last.update(now)
        previous_time = now_time
    window = previous_time - start

    used = {tid: (name, (ticks - first.get(tid, (name, 0))[1]) / TICKS_PER_SECOND) for tid, (name, ticks) in last.items()}
    total = sum(seconds for _, seconds in used.values())
    print(f"window {window:.1f} s, process {total / window:.2f} cores")
    print("| thread | name | share of a core (window) | busiest interval |")
    print("|---|---|---|---|")
    for tid, (name, seconds) in sorted(used.items(), key=lambda t: -t[1][1]):
        if seconds > 0:
            print(f"| {tid} | {name} | {seconds / window:.0%} | {busiest[tid]:.0%} |")
    by_name = collections.defaultdict(lambda: [0, 0.0])
    for name, seconds in used.values():
        by_name[name][0] += 1
        by_name[name][1] += seconds
    print()
    print("| name | threads | cores (window) |")
    print("|---|---|---|")
    for name, (count, seconds) in sorted(by_name.items(), key=lambda n: -n[1][1]):
        if seconds > 0:
            print(f"| {name} | {count} | {seconds / window:.2f} |")


if __name__ == "__main__":
    main()
