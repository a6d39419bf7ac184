#!/bin/sh
# SPDX-License-Identifier: MIT
# overhead.sh - what counting kernel events in the measured repetitions
# costs: warm random-4k, pread and mmap, median ops/s and CPU time per op
# with --kernel-events inline (counted in every measured repetition)
# against the default (counted in an extra repetition, not in the measured
# ones), the CPU time suffering less from other load; runs alternated
# (ROUNDS each) so that drift on a shared machine falls on both.
# With --profile: what --profile costs instead (runs with --profile
# against runs without, both --kernel-events inline so that the profile
# samples the measured repetitions).
# usage: tests/kevents/overhead.sh [MMBENCH [--profile]]
#        (default build/dev/cli/mmbench; ROUNDS=3, SIZE=1G)
set -eu
mmbench=${1:-build/dev/cli/mmbench}
what=${2:-}
rounds=${ROUNDS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
while [ "$i" -lt "$rounds" ]; do
	for mode in on off; do
		flag=
		if [ "$what" = --profile ]; then
			flag="--kernel-events inline"
			[ "$mode" = on ] && flag="$flag --profile"
		else
			[ "$mode" = on ] && flag="--kernel-events inline"
		fi
		"$mmbench" run -w random-4k -b pread,mmap --size "${SIZE:-1G}" \
			--reps 5 $flag --json "$tmp/$mode-$i.json" >/dev/null
	done
	i=$((i + 1))
done
python3 - "$tmp" "$rounds" "$what" <<'PY'
import json, statistics, sys
tmp, rounds, what = sys.argv[1], int(sys.argv[2]), sys.argv[3]
label = "profiling" if what == "--profile" else "counting"
ops, cpu = {}, {}
for mode in ("on", "off"):
    for i in range(rounds):
        d = json.load(open(f"{tmp}/{mode}-{i}.json"))
        for b in d["benchmarks"]:
            if b.get("aggregate_name") == "median" and "items_per_second" in b:
                ops.setdefault((b["backend"], mode), []).append(b["items_per_second"])
                cpu.setdefault((b["backend"], mode), []).append(b["cpu_time"])
ctx = d["context"]
print(f"{ctx['cpu_model']}, {ctx['num_cpus']} CPUs, {ctx['kernel']}; "
      f"random-4k warm, {ctx['file_size'] >> 20} MiB, 5 reps x {rounds} rounds")
for be in ("pread", "mmap"):
    on = statistics.median(ops[(be, "on")])
    off = statistics.median(ops[(be, "off")])
    con = statistics.median(cpu[(be, "on")])
    coff = statistics.median(cpu[(be, "off")])
    print(f"{be:6s} ops/s {label} {on:9.0f}, not {off:9.0f}: {100 * (off - on) / off:+5.1f}%;"
          f"  CPU ns/op {label} {con:7.1f}, not {coff:7.1f}: {100 * (con - coff) / coff:+5.1f}%")
PY
