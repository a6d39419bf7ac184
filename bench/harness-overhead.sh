#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# harness-overhead.sh - how much does `mmbench run` cost over a bare loop?
#
# Runs random 4 KiB reads on the same file with the harness and with the
# bare loops of bench/bare.c, for every backend that has one: pread, mmap,
# mmap-populate, io_uring (queue depth 1) and pread-direct, and prints
# ops/s and the ratio harness/bare per backend. Issue 13's target: every
# ratio >= 0.97.
#
# "The same calls" means, for every repetition on both sides:
#   - a fresh start: open the file (pread, pread-direct: O_DIRECT), open +
#     a 1-entry ring with the file registered (io_uring), or open + mmap
#     (whole file, PROT_READ, MAP_SHARED; mmap-populate: | MAP_POPULATE)
#     + close; untimed, as is the munmap/close at the end. A fresh mapping
#     pays its page faults again in every repetition, inside both timed
#     regions (mmap-populate pays them in the untimed mmap);
#   - the same ops (mmbench --ops, mmb_bench --mmb_ops): pread(4 KiB), one
#     read SQE + io_uring_submit_and_wait(1), or memcpy(4 KiB) out of the
#     mapping, at the same offsets (the same generator and --seed), adding
#     the first 8-byte word of each op's buffer to a checksum;
#   - one discarded warm-up repetition (mmbench's default; the bare side
#     runs REPS+1 repetitions and drops its first).
# The checksums of both sides must be equal (the script fails otherwise).
# What only the harness does per op: the call through the backend's ops
# table, the length check, the op read from the op list, and one op in N
# timed with fenced TSC reads (the latency sampling, one op about every
# 200 us; its own cost: mmb_overhead --sampling). mmb_overhead
# (bench/overhead.c) makes the same comparison in one process, pair by
# pair, which this machine's drift disturbs far less.
#
# The machine's speed drifts and it is shared, so the two sides are
# interleaved per backend in ROUNDS short rounds (each: mmbench run -b BE
# with REPS repetitions, then the bare loop with REPS+1, the order
# alternating between rounds). A round's ratio is the median of its
# mmbench repetitions over the median of its bare ones; the result is the
# median round ratio with its quartiles and a 95 % bootstrap interval of
# that median (the rounds resampled 4000 times, seeded: the same rounds
# give the same interval). The verdict per backend is "met" when the
# whole interval is >= 0.97, "NOT met" when all of it is below, and
# "undecided" when it straddles 0.97 (more ROUNDS, or a quieter machine). "best" is the fastest repetition
# of each side over all rounds, the least disturbed one; "cpu" is the
# median round ratio on CPU time per op (bare over harness: user+sys of
# the process for mmbench, of the thread for the bare loop), which is
# immune to preemption but not to the machine's drift. The load average
# before and after is printed. VERBOSE=1 prints every round.
#
#   bench/harness-overhead.sh [BUILD_DIR] [SIZE] [REPS] [ROUNDS]
# BUILD_DIR defaults to build/ (needs cli/mmbench and bench/mmb_bench;
# build it Release), SIZE to 512M, REPS to 3, ROUNDS to 15; OPS
# (environment) to 262144, OPS_DIRECT (pread-direct's, every op a device
# read) to 20000; BACKENDS to all five. The file lives in
# $MMBENCH_DATA_DIR (default /var/tmp/mmbench-UID) and is reused. Needs
# python3 to read the JSON. Exit 0 whether or not the target is met (it
# prints which); 1 when a run fails or the checksums differ.
set -euo pipefail

build=${1:-build}
size=${2:-512M}
reps=${3:-3}
rounds=${4:-15}
ops=${OPS:-262144}
ops_direct=${OPS_DIRECT:-20000}
backends=${BACKENDS:-pread mmap mmap-populate io_uring pread-direct}
seed=1
mmbench=$build/cli/mmbench
bench=$build/bench/mmb_bench
for b in "$mmbench" "$bench"; do
	if [ ! -x "$b" ]; then
		echo "harness-overhead.sh: $b not found (build first)" >&2
		exit 2
	fi
done
command -v python3 >/dev/null || {
	echo "harness-overhead.sh: python3 is needed to read the JSON" >&2
	exit 2
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmb-overhead-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

bare_name() { # backend -> bare loop
	case $1 in
	mmap) echo mmap-memcpy ;;
	*) echo "$1" ;;
	esac
}
ops_of() { [ "$1" = pread-direct ] && echo "$ops_direct" || echo "$ops"; }

run_harness() { # backend round
	"$mmbench" run -w random-4k -b "$1" --size "$size" \
		--ops "$(ops_of "$1")" --seed "$seed" --reps "$reps" \
		--json "$tmp/run-$1-$2.json" >"$tmp/run-$1-$2.txt" 2>&1 || {
		cat "$tmp/run-$1-$2.txt" >&2
		exit 1
	}
}
run_bare() { # backend round file
	# the bare loops warm the file themselves before each repetition
	"$bench" --mmb_file="$3" --mmb_ops="$(ops_of "$1")" \
		--mmb_seed="$seed" \
		--benchmark_filter="^bare/$(bare_name "$1")/" \
		--benchmark_repetitions="$((reps + 1))" \
		--benchmark_out="$tmp/bare-$1-$2.json" \
		--benchmark_out_format=json \
		>"$tmp/bare-$1-$2.txt" 2>"$tmp/bare-$1-$2.err" || {
		cat "$tmp/bare-$1-$2.err" >&2
		exit 1
	}
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# the first harness run makes the file if needed and names it
first=${backends%% *}
run_harness "$first" prep
file=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["context"]["file"])' "$tmp/run-$first-prep.json")
for ((i = 0; i < rounds; i++)); do
	for be in $backends; do
		if ((i % 2)); then
			run_bare "$be" "$i" "$file"
			run_harness "$be" "$i"
		else
			run_harness "$be" "$i"
			run_bare "$be" "$i" "$file"
		fi
	done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$tmp" "$rounds" "$file" "$size" "$ops" "$ops_direct" "$reps" \
	"${VERBOSE:-0}" "$load_before" "$load_after" $backends <<'PY'
import json, random, statistics, sys
(tmp, rounds, file, size, ops, ops_direct, reps, verbose, lb,
 la) = sys.argv[1:11]
backends = sys.argv[11:]
rounds, verbose = int(rounds), verbose not in ("", "0")

def bare_name(be):
    return "mmap-memcpy" if be == "mmap" else be

def harness(rnd, be):
    d = json.load(open(f"{tmp}/run-{be}-{rnd}.json"))
    e = [b for b in d["benchmarks"]
         if b.get("run_type") == "iteration"
         and b.get("run_name") == f"random-4k/{be}"]
    err = [b for b in d["benchmarks"] if b.get("error_occurred")]
    if err:
        sys.exit(f"harness-overhead.sh: {be}: {err[0].get('error_message')}")
    return ([b["items_per_second"] for b in e], [b["cpu_time"] for b in e],
            {b["checksum"] for b in e}, d["context"])

def bare(rnd, be):
    prefix = f"bare/{bare_name(be)}/random-4k/"
    e = [b for b in json.load(open(f"{tmp}/bare-{be}-{rnd}.json"))["benchmarks"]
         if b.get("run_type") == "iteration"
         and b.get("run_name", b["name"]).startswith(prefix)]
    if any(b.get("error_occurred") for b in e):
        sys.exit(f"harness-overhead.sh: {prefix}: "
                 f"{e[0].get('error_message')}")
    e = e[1:]  # the warm-up repetition
    return ([b["items_per_second"] for b in e],
            [b["cpu_per_op_ns"] for b in e],
            {b.get("label", "").removeprefix("checksum ") for b in e})

ctx = harness(0, backends[0])[3]
print(f"file {file} ({size}), random 4 KiB reads, {ops} ops "
      f"(pread-direct {ops_direct}) x {reps} reps (+1 warm-up) per side, "
      f"{rounds} rounds interleaved per backend")
print(f"cpu {ctx.get('cpu_model')}, {ctx.get('num_cpus')} cpus, kernel "
      f"{ctx.get('kernel')}, {ctx.get('library_build_type')} build; "
      f"load average before {lb}, after {la}")
if verbose:
    print(f"{'backend':14} {'round':>5} {'mmbench ops/s':>14} "
          f"{'bare ops/s':>12} {'ratio':>6} {'cpu':>6}")
def boot(xs, n=4000):
    """95 % bootstrap interval of the median of xs (seeded)."""
    if len(xs) < 2:
        return (xs[0], xs[0])
    rnd = random.Random(1)
    ms = sorted(statistics.median(rnd.choices(xs, k=len(xs)))
                for _ in range(n))
    return (ms[int(0.025 * n)], ms[int(0.975 * n) - 1])

bad, rows = False, []
for be in backends:
    ratios, cpus, best_r, best_b = [], [], 0, 0
    for rnd in range(rounds):
        r, rc, rs, _ = harness(rnd, be)
        b, bc, bs = bare(rnd, be)
        if not r or not b:
            sys.exit(f"harness-overhead.sh: round {rnd}: no {be} results")
        if len(rs | bs) != 1:
            print(f"{be}: checksums differ (mmbench {sorted(rs)}, "
                  f"bare {sorted(bs)}): not the same ops", file=sys.stderr)
            bad = True
        ratio = statistics.median(r) / statistics.median(b)
        cpu = statistics.median(bc) / statistics.median(rc)
        ratios.append(ratio)
        cpus.append(cpu)
        best_r, best_b = max(best_r, *r), max(best_b, *b)
        if verbose:
            print(f"{be:14} {rnd:5} {statistics.median(r):14,.0f} "
                  f"{statistics.median(b):12,.0f} {ratio:6.3f} {cpu:6.3f}")
    m = statistics.median(ratios)
    q = (statistics.quantiles(ratios, n=4, method="inclusive")
         if rounds > 1 else [m, m, m])
    ci = boot(ratios)
    verdict = ("met" if ci[0] >= 0.97 else
               "NOT met" if ci[1] < 0.97 else "undecided")
    rows.append((be, best_r, best_b, m, q, ci, verdict,
                 statistics.median(cpus)))
print(f"{'backend':14} {'best mmbench ops/s':>18} {'best bare ops/s':>16} "
      f"{'best':>6} {'median':>6} {'quartiles':>11} {'95% interval':>12} "
      f"{'cpu':>6}  verdict")
for be, br, bb, m, q, ci, v, c in rows:
    print(f"{be:14} {br:18,.0f} {bb:16,.0f} {br / bb:6.3f} {m:6.3f} "
          f"{q[0]:5.3f}-{q[2]:5.3f} {ci[0]:6.3f}-{ci[1]:5.3f} {c:6.3f}  {v}")
if bad:
    sys.exit(1)
verdicts = {v for *_, v, _ in rows}
overall = ("NOT met" if "NOT met" in verdicts else
           "undecided" if "undecided" in verdicts else "met")
worst = min(m for _, _, _, m, *_ in rows)
print(f"target: median ratio >= 0.97 for every backend, judged on the 95 % "
      f"interval; {overall} (worst median {worst:.3f})")
PY
