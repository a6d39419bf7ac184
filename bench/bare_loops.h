/* SPDX-License-Identifier: MIT */
/* bare_loops.h - the bare loops of issue 13: for each backend that has
 * one, the least code that makes the same calls as one repetition of
 * `mmbench run --workload random-4k` (bare_loops.c says which). Shared by
 * the Google Benchmark benchmarks bare/NAME/random-4k (bare.c) and by the
 * in-process pairing of mmb_overhead (overhead.c). Plain C: no Google
 * Benchmark here. */
#ifndef MMB_BENCH_BARE_LOOPS_H
#define MMB_BENCH_BARE_LOOPS_H

#include <stddef.h>
#include <stdint.h>

enum bare_kind {
	BARE_PREAD,
	BARE_MMAP,
	BARE_MMAP_POPULATE,
	BARE_IO_URING,
	BARE_PREAD_DIRECT,
	BARE__COUNT
};

/* What one repetition measured: the timed loop's wall and thread CPU time
 * (CLOCK_MONOTONIC and CLOCK_THREAD_CPUTIME_ID at its two ends), the
 * checksum (the first 8-byte word of every op's buffer, summed as mmbench
 * sums it) and the page faults of the timed loop. */
struct bare_rep {
	uint64_t ops;
	double ns, cpu_ns;
	uint64_t sum;
	int64_t faults;
};

/* "pread", "mmap", "mmap-populate", "io_uring", "pread-direct": the
 * mmbench backend k stands for. */
const char *bare_backend(enum bare_kind k);
/* The loop of mmbench backend name, or -1 when it has none. */
int bare_kind_of(const char *backend);

/* One repetition of loop k on the file at path (size bytes): a fresh
 * open (and mapping), `ops` random 4 KiB reads from the offsets of seed,
 * then close. The file is read first when mincore says part of it is not
 * cached (not for pread-direct). 0, or -1 with the failing call in err. */
int bare_rep(enum bare_kind k, const char *path, uint64_t size, uint64_t ops,
	     uint64_t seed, struct bare_rep *out, char *err, size_t errlen);

/* As mmbench's warm cache: read the file at path (size bytes) only when
 * mincore, on a fresh mapping never touched, says part of it is not in the
 * page cache, so a repetition starts with the same caches on both sides. */
void bare_warm(const char *path, uint64_t size);

/* Minor + major page faults of the calling thread so far (major: the
 * major ones, may be NULL); -1 when getrusage fails. */
int64_t bench_faults(int64_t *major);

/* Read every byte of the file once so it is in the page cache. */
int bench_warm(const char *path);

#endif
