#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# vs-fio.sh - mmbench's numbers next to fio's for the same job.
#
# fio is the tool people already trust; a benchmark that disagrees with it
# on the same file, access pattern and op count needs a reason. This runs
# random 4 KiB reads on the same warm file through fio (ioengine psync,
# then mmap) and mmbench (pread, then mmap), one job each, and prints ops/s
# side by side with the ratio mmbench/fio. fio's mmap engine maps the file
# once per job and copies out with memcpy, as mmbench's `mmap` does.
#
#   bench/vs-fio.sh [BUILD_DIR] [SIZE] [OPS]
# BUILD_DIR defaults to build/release, SIZE to 1G, OPS to 262144. The file
# is mmbench's own test file ($MMBENCH_DATA_DIR or /var/tmp/mmbench).
set -euo pipefail

build=${1:-build/release}
size=${2:-1G}
ops=${3:-262144}
mmbench=$build/cli/mmbench
[ -x "$mmbench" ] || {
	echo "vs-fio.sh: $mmbench not found (build first)" >&2
	exit 2
}
for t in fio python3; do
	command -v $t >/dev/null || {
		echo "vs-fio.sh: $t not found (scripts/deps.sh bench)" >&2
		exit 2
	}
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmb-fio-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# mmbench first: it creates (or reuses) the file and warms it.
"$mmbench" run -w random-4k -b pread,mmap --size "$size" --ops "$ops" \
	--reps 3 --json "$tmp/mmb.json" >/dev/null
file=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["context"]["file"])' "$tmp/mmb.json")

for engine in psync mmap; do
	# invalidate=0 keeps the warm page cache; number_ios fixes the op count;
	# norandommap gives independent uniform offsets, like mmbench's.
	fio --name=vs-mmbench --filename="$file" --rw=randread --bs=4k \
		--ioengine=$engine --invalidate=0 --norandommap \
		--randrepeat=1 --number_ios="$ops" --size="$size" \
		--loops=3 --output-format=json --output="$tmp/fio-$engine.json" \
		>/dev/null
done

python3 - "$tmp/mmb.json" "$tmp/fio-psync.json" "$tmp/fio-mmap.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
med = {b["backend"]: b["items_per_second"] for b in run["benchmarks"]
       if b.get("aggregate_name") == "median"}
fio = {}
for name, path in (("pread", sys.argv[2]), ("mmap", sys.argv[3])):
    job = json.load(open(path))["jobs"][0]["read"]
    fio[name] = job["iops"]
print(f"random 4 KiB reads, warm file {run['context']['file']}")
print(f"{'method':8} {'mmbench ops/s':>14} {'fio ops/s':>12} {'mmbench/fio':>12}")
for name, engine in (("pread", "psync"), ("mmap", "mmap")):
    m, f = med.get(name, float("nan")), fio[name]
    print(f"{name:8} {m:14.0f} {f:12.0f} {m / f:12.2f}   (fio ioengine={engine})")
PY
