/* SPDX-License-Identifier: MIT */
/* bare.c - the bare loops of bare_loops.c as Google Benchmark benchmarks,
 * for bench/harness-overhead.sh:
 *   bare/pread/random-4k  bare/pread-direct/random-4k  bare/io_uring/random-4k
 *   bare/mmap-memcpy/random-4k  bare/mmap-populate/random-4k
 * One iteration is one repetition of --mmb_ops ops (default 262144, as
 * mmbench's --ops; pread-direct 20000), timed by the loop itself (manual time:
 * the loop's CLOCK_MONOTONIC ends, no call per op). Counters: "faults" (page
 * faults of the timed loop) and "cpu_per_op_ns" (the thread's CPU time per op);
 * the label carries the checksum, so the script can check that both sides
 * ran the same ops. Plus the buffer-offset pairs below. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "bare_loops.h"
#include "bench.h"

#define BS	    4096
#define DEFAULT_OPS 262144 /* mmbench's --ops */
#define DIRECT_OPS  20000  /* pread-direct's: every op a device read */

static const struct bench_env *env;

static void bm_bare(struct mmb_bench_state *st, void *ud)
{
	const enum bare_kind k = (enum bare_kind)(intptr_t)ud;
	const uint64_t ops = env->ops		      ? env->ops
			     : k == BARE_PREAD_DIRECT ? DIRECT_OPS
						      : DEFAULT_OPS;
	double cpu = 0, faults = 0;
	uint64_t n = 0, sum = 0;
	char err[256];

	while (mmb_bench_keep_running(st)) {
		struct bare_rep r;
		if (bare_rep(k, env->path, env->size, ops, env->seed, &r, err,
			     sizeof(err)) < 0) {
			mmb_bench_error(st, "%s", err);
			return;
		}
		mmb_bench_set_iteration_time(st, r.ns / 1e9);
		n += r.ops;
		cpu += r.cpu_ns;
		faults += (double)r.faults;
		sum = r.sum;
	}
	mmb_bench_set_items_processed(st, (int64_t)n);
	mmb_bench_set_bytes_processed(st, (int64_t)n * BS);
	mmb_bench_counter(st, "faults", faults, MMB_BENCH_COUNTER_DEFAULT);
	mmb_bench_counter(st, "cpu_per_op_ns", n ? cpu / (double)n : 0,
			  MMB_BENCH_COUNTER_DEFAULT);
	char label[40];
	snprintf(label, sizeof(label), "checksum 0x%016llx",
		 (unsigned long long)sum);
	mmb_bench_set_label(st, label);
}

/* ---- the buffer's place (mmbench run --buf-offset) -------------------
 *   bare/pread/paired/bufoffset:64         blocks of 256 random 4 KiB
 *   bare/mmap-populate/paired/bufoffset:64 preads (or memcpys out of a
 *                                          populated mapping) into a
 *                                          page-aligned buffer, then 256
 *                                          into the same buffer + 64
 *                                          bytes (the order alternates),
 *                                          each block timed. Counters
 *                                          aligned_ns and offset_ns per op
 *                                          and change_pct, the median over
 *                                          block pairs of (offset /
 *                                          aligned - 1): the two share
 *                                          every disturbance of a loaded
 *                                          machine, which separate runs
 *                                          did not (issue 13's 4 KiB
 *                                          aliasing pair). */
#define BUFOFF_OPS   256
#define BUFOFF_PAIRS 65536

static double mono_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* One block: BUFOFF_OPS ops into dst; 0 or -1 (pread failed). */
static int bufoff_block(int fd, const unsigned char *map, unsigned char *dst,
			uint64_t *s, size_t op)
{
	for (int k = 0; k < BUFOFF_OPS; k++) {
		uint64_t off = bench_next_offset(s, env->size, BS);
		if (map)
			memcpy(dst, map + off, op);
		else if (pread(fd, dst, op, (off_t)off) != (ssize_t)op)
			return -1;
		__asm__ volatile("" : : "r"(dst) : "memory");
	}
	return 0;
}

static void bm_bufoff(struct mmb_bench_state *st, void *ud)
{
	const bool mapped = ud != NULL;
	const size_t shift = (size_t)mmb_bench_range(st, 0);
	size_t op = BS; /* at run time, as mmbench's: the library's memcpy */
	unsigned char *buf = NULL;
	double *ratio = malloc(BUFOFF_PAIRS * sizeof(double)), ta = 0, to = 0;
	uint64_t s = 88172645463325252ull, it = 0;
	size_t nr = 0;
	const unsigned char *map = NULL;
	int fd = -1;

	if (!ratio || posix_memalign((void **)&buf, BS, 2 * BS) != 0) {
		mmb_bench_error(st, "out of memory");
		goto out;
	}
	memset(buf, 0, 2 * BS);
	bare_warm(env->path, env->size);
	if ((fd = open(env->path, O_RDONLY | O_CLOEXEC)) < 0) {
		mmb_bench_error(st, "open(%s): %s", env->path, strerror(errno));
		goto out;
	}
	if (mapped) {
		void *p = mmap(NULL, env->size, PROT_READ,
			       MAP_SHARED | MAP_POPULATE, fd, 0);
		if (p == MAP_FAILED) {
			mmb_bench_error(st, "mmap(len=%llu): %s",
					(unsigned long long)env->size,
					strerror(errno));
			goto out;
		}
		map = p;
	}
	__asm__ volatile("" : "+r"(op));
	while (mmb_bench_keep_running(st)) {
		double t[2];
		for (int half = 0; half < 2; half++) {
			int shifted = half ^ (int)(it & 1);
			double t0 = mono_ns();
			if (bufoff_block(fd, map, buf + (shifted ? shift : 0),
					 &s, op) < 0) {
				mmb_bench_error(st, "pread: %s",
						strerror(errno));
				goto out;
			}
			t[shifted] = mono_ns() - t0;
		}
		ta += t[0];
		to += t[1];
		if (nr < BUFOFF_PAIRS && t[0] > 0)
			ratio[nr++] = t[1] / t[0] - 1;
		it++;
	}
	qsort(ratio, nr, sizeof(*ratio), cmp_double);
	double n = (double)it * BUFOFF_OPS;
	mmb_bench_counter(st, "aligned_ns", n ? ta / n : 0, 0);
	mmb_bench_counter(st, "offset_ns", n ? to / n : 0, 0);
	mmb_bench_counter(st, "change_pct", nr ? 100 * ratio[nr / 2] : 0, 0);
	mmb_bench_set_items_processed(st, (int64_t)(2 * n));
out:
	if (map)
		munmap((void *)map, env->size);
	if (fd >= 0)
		close(fd);
	free(buf);
	free(ratio);
}

void bench_register_bare(const struct bench_env *e)
{
	static const char *const off_name[] = {"bufoffset"};
	/* The pread-direct file is not warmed: O_DIRECT reads the device
	 * whatever is cached. */
	static const struct {
		const char *name;
		enum bare_kind k;
	} loops[] = {
	    {"bare/pread/random-4k", BARE_PREAD},
	    {"bare/mmap-memcpy/random-4k", BARE_MMAP},
	    {"bare/mmap-populate/random-4k", BARE_MMAP_POPULATE},
	    {"bare/io_uring/random-4k", BARE_IO_URING},
	    {"bare/pread-direct/random-4k", BARE_PREAD_DIRECT},
	};
	env = e;
	for (size_t i = 0; i < sizeof(loops) / sizeof(loops[0]); i++) {
		struct mmb_bench *b = mmb_bench_register(
		    loops[i].name, bm_bare, (void *)(intptr_t)loops[i].k);
		mmb_bench_use_manual_time(b);
		mmb_bench_set_iterations(b, 1);
	}
	struct mmb_bench *b =
	    mmb_bench_register("bare/pread/paired", bm_bufoff, NULL);
	mmb_bench_arg_names(b, off_name, 1);
	mmb_bench_add_arg(b, 64);
	b = mmb_bench_register("bare/mmap-populate/paired", bm_bufoff,
			       (void *)1);
	mmb_bench_arg_names(b, off_name, 1);
	mmb_bench_add_arg(b, 64);
}
