"""Converts the Alibaba 2023 openb pod list (alibaba/clusterdata, cluster-trace-gpu-v2023) into a gwsim job trace.

Usage: openb_to_trace.py POD_LIST_CSV OUT_CSV SHAPE
Keeps the pods that ask for at least one GPU and were scheduled; each becomes a job submitted at its
creation_time, on num_gpu accelerators (a fractional GPU, gpu_milli < 1000, counts as a whole one; gwsim places
jobs on whole nodes anyway), running deletion_time - scheduled_time at full speed (a pod still running when the
trace ends has its deletion_time at the trace's end), with the given shape. Pods never scheduled (Pending) and
GPU-less pods are left out; the counts are printed. Output: submit_s,accelerators,steps,duration_s,shape
(docs/site.md, "Traces").
"""
import csv
import sys


def main():
    src, out, shape = sys.argv[1:4]
    kept, no_gpu, unscheduled, empty = [], 0, 0, 0
    with open(src, newline="", encoding="utf-8") as f:
        for pod in csv.DictReader(f):
            if int(pod["num_gpu"] or 0) < 1:
                no_gpu += 1
                continue
            if not pod["scheduled_time"]:
                unscheduled += 1
                continue
            duration = float(pod["deletion_time"]) - float(pod["scheduled_time"])
            if duration <= 0:
                empty += 1
                continue
            kept.append((float(pod["creation_time"]), int(pod["num_gpu"]), duration))
    kept.sort(key=lambda row: row[0])
    with open(out, "w", encoding="utf-8") as f:
        f.write("# Alibaba 2023 openb pods converted by configs/site/openb_to_trace.py\n")
        f.write("submit_s,accelerators,steps,duration_s,shape\n")
        for submit, gpus, duration in kept:
            f.write(f"{submit:.17g},{gpus},,{duration:.17g},{shape}\n")
    print(f"{len(kept)} jobs; left out {no_gpu} GPU-less, {unscheduled} never scheduled, {empty} of zero length")
    return 0


if __name__ == "__main__":
    sys.exit(main())
