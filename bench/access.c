/* SPDX-License-Identifier: MIT */
/* access.c - the cost of consuming an op's bytes where they lie (mmbench
 * run --access, workloads/consume.c), against the copy it replaces:
 *   access/consume/len:N          the consumer (mmb__consume_all) over an
 *                                 N-byte buffer in L1: its GB/s here
 *   access/memcpy/len:N           memcpy of the same buffer: the copy
 *   access/inplace4k/{unguarded,guarded}
 *                                 the consumer over random 4 KiB ops of a
 *                                 warm mapping of the file (up to 256 MiB),
 *                                 called directly or through mmb_map_guard:
 *                                 the guarded in-place loop of mmap
 *                                 --access inplace, and the same loop bare
 *   access/copy4k/{memcpy,mmb_map_read}
 *                                 the same ops copied out, plain or through
 *                                 the guarded copy of the mmap backends'
 *                                 --access copy
 *   access/inplace4k/paired       both in one loop: blocks of 256 ops
 *                                 guarded, then 256 unguarded (the order
 *                                 alternates), each block timed; counters
 *                                 guarded_ns and unguarded_ns per op and
 *                                 overhead_pct, the median over block pairs
 *                                 of (guarded / unguarded - 1): the two share
 *                                 every disturbance of a loaded machine.
 *                                 Guarded as mmbench runs it: the block in
 *                                 one mmb_map_guard_scope, the consumer on
 *                                 the mapping (the runner's loop inside the
 *                                 mapped backends' .scope): what the scope
 *                                 costs
 *   access/inplace4k/paired_call  the same with each guarded op through
 *                                 mmb_map_guard, which arms nothing inside
 *                                 the scope: what the API's call costs
 *   access/copy4k/paired          the copy: mmb_map_read (in the scope, as
 *                                 the mapped backends' .read) against
 *                                 memcpy
 *   access/{inplace,copy}4k/paired_perop
 *                                 no scope: the guard armed by every op's
 *                                 mmb_map_guard / mmb_map_read (mmbench
 *                                 before the scope)
 * Both variants of a pair run the same block function (same offsets, one
 * xorshift per op, the same consumer through the same pointer), so they
 * differ only by the guard. bytes_per_second is the op bytes.
 *   access/consume4k/paired/NAME[/faults]
 *                                 a consumer against memcpy, in the same
 *                                 alternating blocks: NAME "best" is the
 *                                 one mmbench runs, the others are
 *                                 consume.c's other widths (level0..3) and
 *                                 the candidates of consume_cand.c; the
 *                                 median block-pair ratio is printed
 *                                 (bm_consume_paired) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mmb/map.h>

#include "bench.h"
#include "bench_cand.h"
#include "consume.h"

static const struct bench_env *env;

static void seterr(struct mmb_bench_state *st)
{
	char buf[256];
	mmb_bench_error(st, "%s", mmb_errmsg(buf, sizeof(buf)));
}

static void bm_consume(struct mmb_bench_state *st, void *ud)
{
	size_t len = (size_t)mmb_bench_range(st, 0);
	static unsigned char a[1 << 16] __attribute__((aligned(64)));
	static unsigned char b[1 << 16] __attribute__((aligned(64)));
	struct mmb__consumer c = {0};
	mmb_view_fn volatile fn = mmb__consume_all;
	bool copy = ud != NULL;

	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = (unsigned char)(i * 131 + 7);
	while (mmb_bench_keep_running(st)) {
		if (copy)
			memcpy(b, a, len);
		else
			fn(a, len, &c);
		__asm__ volatile("" : : "r"(b), "r"(&c) : "memory");
	}
	mmb_bench_set_bytes_processed(st,
				      mmb_bench_iterations(st) * (int64_t)len);
}

/* The warm mapping of the 4 KiB op benchmarks: the file, up to 256 MiB
 * of it (*len), read into the page cache, mapped read-only and
 * populated. NULL with the benchmark's error set. */
static struct mmb_map *open_warm_map(struct mmb_bench_state *st, uint64_t *len)
{
	*len = env->size < (256ull << 20) ? env->size : 256ull << 20;
	struct mmb_map_opts o = {.access = MMB_ACCESS_READ,
				 .flags = MMB_MAP_POPULATE,
				 .length = *len};
	struct mmb_map *m;

	bench_warm(env->path);
	if (mmb_map_open(&m, env->path, &o) < 0) {
		seterr(st);
		return NULL;
	}
	return m;
}

static void bm_ops(struct mmb_bench_state *st, void *ud)
{
	enum bench_map_op mode = (enum bench_map_op)(intptr_t)ud;
	struct mmb__consumer c = {0};
	mmb_view_fn volatile fnp = mmb__consume_all;
	static unsigned char buf[4096];
	uint64_t s = 88172645463325252ull, len;
	struct mmb_map *m = open_warm_map(st, &len);

	if (!m)
		return;
	char *base = mmb_map_data(m);
	while (mmb_bench_keep_running(st)) {
		uint64_t off = bench_next_offset(&s, len, 4096);
		int rc = bench_map_op(m, base, mode, off, 4096, fnp, &c, buf);
		if (rc) {
			seterr(st);
			break;
		}
		__asm__ volatile("" : : "r"(buf), "r"(&c) : "memory");
	}
	mmb_map_close(m);
	mmb_bench_set_items_processed(st, mmb_bench_iterations(st));
	mmb_bench_set_bytes_processed(st, mmb_bench_iterations(st) * 4096);
}

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

#define PAIR_OPS   256
#define PAIRS_KEPT 65536

/* What a paired benchmark compares (its user data). */
enum pair_kind {
	PAIR_INPLACE = 0,
	PAIR_COPY = 1,	/* the copy of --access copy, not the consumer */
	PAIR_PEROP = 2, /* the guard armed per op, not once per block */
	PAIR_CALL = 4,	/* in place: each op through mmb_map_guard */
};

/* One block of PAIR_OPS ops, the same code guarded or not: guarded, a
 * copy goes through mmb_map_read (inside a scope it arms nothing), the
 * consumer runs on the pointer as mmbench's runner does inside its scope,
 * or (call) through mmb_map_guard; unguarded, memcpy / the consumer on
 * the pointer. */
struct block {
	struct mmb_map *m;
	char *base;
	uint64_t *s, len;
	size_t op; /* 4096, read at run time: memcpy is the library's on
		    * both sides, as in mmb_map_read */
	bool copy, guarded, call;
	mmb_view_fn fn;
	struct mmb__consumer *c;
	unsigned char *buf;
};

static int run_block(void *p, size_t n, void *arg)
{
	const struct block *b = arg;

	(void)p;
	(void)n;
	for (int k = 0; k < PAIR_OPS; k++) {
		uint64_t off = bench_next_offset(b->s, b->len, 4096);
		int rc = 0;
		if (b->copy && b->guarded)
			rc = mmb_map_read(b->m, off, b->buf, b->op);
		else if (b->copy)
			memcpy(b->buf, b->base + off, b->op);
		else if (b->guarded && b->call)
			rc = mmb_map_guard(b->m, off, b->op, b->fn, b->c, NULL);
		else
			b->fn(b->base + off, b->op, b->c);
		if (rc < 0)
			return rc;
		__asm__ volatile("" : : "r"(b->buf) : "memory");
	}
	return 0;
}

static void bm_paired(struct mmb_bench_state *st, void *ud)
{
	const int kind = (int)(intptr_t)ud;
	struct mmb__consumer c = {0};
	mmb_view_fn volatile fnp = mmb__consume_all;
	uint64_t s = 88172645463325252ull, it = 0, len;
	static unsigned char buf[4096];
	double tg = 0, tu = 0, *ratio = malloc(PAIRS_KEPT * sizeof(double));
	size_t nr = 0;
	struct mmb_map *m;

	if (!ratio) {
		mmb_bench_error(st, "malloc(%zu): out of memory",
				PAIRS_KEPT * sizeof(double));
		return;
	}
	if (!(m = open_warm_map(st, &len))) {
		free(ratio);
		return;
	}
	struct block b = {.m = m,
			  .base = mmb_map_data(m),
			  .s = &s,
			  .len = len,
			  .op = 4096,
			  .copy = (kind & PAIR_COPY) != 0,
			  .call = (kind & (PAIR_CALL | PAIR_PEROP)) != 0,
			  .fn = fnp,
			  .c = &c,
			  .buf = buf};
	while (mmb_bench_keep_running(st)) {
		double t[2];
		for (int half = 0; half < 2; half++) {
			int rc;
			b.guarded = (half ^ (int)(it & 1)) != 0;
			double t0 = mono_ns();
			if (b.guarded && !(kind & PAIR_PEROP))
				rc =
				    mmb_map_guard_scope(m, run_block, &b, NULL);
			else
				rc = run_block(NULL, 0, &b);
			t[b.guarded] = mono_ns() - t0;
			if (rc < 0) {
				seterr(st);
				goto out;
			}
		}
		tu += t[0];
		tg += t[1];
		if (nr < PAIRS_KEPT && t[0] > 0)
			ratio[nr++] = t[1] / t[0] - 1;
		it++;
		__asm__ volatile("" : : "r"(&c) : "memory");
	}
	qsort(ratio, nr, sizeof(*ratio), cmp_double);
	double n = (double)it * PAIR_OPS;
	mmb_bench_counter(st, "guarded_ns", n ? tg / n : 0, 0);
	mmb_bench_counter(st, "unguarded_ns", n ? tu / n : 0, 0);
	mmb_bench_counter(st, "overhead_pct", nr ? 100 * ratio[nr / 2] : 0, 0);
	mmb_bench_set_items_processed(st, (int64_t)(2 * n));
out:
	mmb_map_close(m);
	free(ratio);
}

/* access/consume4k/paired/NAME[/faults]: a consumer (bench_cands[]:
 * mmb__consume_all or a candidate) against memcpy on random 4 KiB ops of
 * a warm mapping, as mmbench's runner runs the two (--access inplace on
 * the mapping, --access copy's memcpy out of it and its first word into
 * the checksum): blocks of PAIR_OPS ops of each, the order alternating,
 * each block timed. Counters: consume_ns and memcpy_ns per op, ratio =
 * the median over block pairs of consume / memcpy (< 1: the consumer is
 * faster). /faults: the mapping's page tables are dropped
 * (MADV_DONTNEED) every ZAP_PAIRS block pairs, outside the timing, so
 * that ops fault in the pages again as a run's first pass does. */
#define ZAP_PAIRS 64

struct cblock {
	const unsigned char *base;
	uint64_t *s, len;
	size_t op; /* 4096, read at run time as the runner's op->len */
	mmb_view_fn fn;
	struct mmb__consumer *c;
	unsigned char *buf;
};

static __attribute__((noinline)) void run_cblock(const struct cblock *b,
						 bool copy)
{
	for (int k = 0; k < PAIR_OPS; k++) {
		uint64_t off = bench_next_offset(b->s, b->len, 4096);
		if (copy) {
			uint64_t v;
			memcpy(b->buf, b->base + off, b->op);
			__asm__ volatile("" : : "r"(b->buf) : "memory");
			memcpy(&v, b->buf, sizeof(v));
			b->c->sum += v;
		} else {
			b->fn((void *)(b->base + off), b->op, b->c);
			mmb__consume_end(b->c);
		}
	}
}

#define CAND_FAULTS 0x100

static void bm_consume_paired(struct mmb_bench_state *st, void *ud)
{
	const int u = (int)(intptr_t)ud;
	const struct bench_cand *k = &bench_cands[u & 0xff];
	const bool faults = (u & CAND_FAULTS) != 0;
	struct mmb__consumer c = {0};
	uint64_t s = 88172645463325252ull, it = 0, len;
	static unsigned char buf[4096] __attribute__((aligned(64)));
	double tc = 0, tm = 0, *ratio = malloc(PAIRS_KEPT * sizeof(double));
	size_t nr = 0;
	struct mmb_map *m;

	if (!ratio) {
		mmb_bench_error(st, "malloc(%zu): out of memory",
				PAIRS_KEPT * sizeof(double));
		return;
	}
	mmb_view_fn kfn = bench_cand_fn(k);
	if (!kfn) {
		mmb_bench_skip(st,
			       "this CPU lacks the candidate's instructions");
		free(ratio);
		return;
	}
	if (!k->floor && bench_cand_check(k) != 0) {
		mmb_bench_error(st, "%s: sum differs from the plain word sum's",
				k->name);
		free(ratio);
		return;
	}
	if (!(m = open_warm_map(st, &len))) {
		free(ratio);
		return;
	}
	struct cblock b = {.base = mmb_map_data(m),
			   .s = &s,
			   .len = len,
			   .op = 4096,
			   .fn = kfn,
			   .c = &c,
			   .buf = buf};
	__asm__ volatile("" : "+m"(b.op), "+m"(b.fn));
	while (mmb_bench_keep_running(st)) {
		double t[2];
		if (faults && it % ZAP_PAIRS == 0) {
			mmb_bench_pause_timing(st);
			int rc = mmb_map_advise(m, MMB_ADV_DONTNEED, 0, 0);
			mmb_bench_resume_timing(st);
			if (rc < 0) {
				seterr(st);
				goto out;
			}
		}
		for (int half = 0; half < 2; half++) {
			bool copy = (half ^ (int)(it & 1)) != 0;
			double t0 = mono_ns();
			run_cblock(&b, copy);
			t[copy] = mono_ns() - t0;
		}
		tc += t[0];
		tm += t[1];
		if (nr < PAIRS_KEPT && t[1] > 0)
			ratio[nr++] = t[0] / t[1];
		it++;
		__asm__ volatile("" : : "r"(&c) : "memory");
	}
	qsort(ratio, nr, sizeof(*ratio), cmp_double);
	double n = (double)it * PAIR_OPS;
	mmb_bench_counter(st, "consume_ns", n ? tc / n : 0, 0);
	mmb_bench_counter(st, "memcpy_ns", n ? tm / n : 0, 0);
	mmb_bench_counter(st, "ratio", nr ? ratio[nr / 2] : 0, 0);
	mmb_bench_set_items_processed(st, (int64_t)(2 * n));
out:
	mmb_map_close(m);
	free(ratio);
}

void bench_register_access(const struct bench_env *e)
{
	static const char *const len_name[] = {"len"};
	static const char *const names[] = {
	    [BENCH_OP_DIRECT] = "access/inplace4k/unguarded",
	    [BENCH_OP_GUARDED] = "access/inplace4k/guarded",
	    [BENCH_OP_MEMCPY] = "access/copy4k/memcpy",
	    [BENCH_OP_MAP_READ] = "access/copy4k/mmb_map_read"};
	struct mmb_bench *b;

	env = e;
	b = mmb_bench_register("access/consume", bm_consume, NULL);
	mmb_bench_arg_names(b, len_name, 1);
	mmb_bench_add_arg(b, 4096);
	mmb_bench_add_arg(b, 65536);
	b = mmb_bench_register("access/memcpy", bm_consume, (void *)1);
	mmb_bench_arg_names(b, len_name, 1);
	mmb_bench_add_arg(b, 4096);
	mmb_bench_add_arg(b, 65536);
	for (int i = 0; i < 4; i++)
		mmb_bench_register(names[i], bm_ops, (void *)(intptr_t)i);
	mmb_bench_register("access/inplace4k/paired", bm_paired,
			   (void *)(intptr_t)PAIR_INPLACE);
	mmb_bench_register("access/copy4k/paired", bm_paired,
			   (void *)(intptr_t)PAIR_COPY);
	mmb_bench_register("access/inplace4k/paired_call", bm_paired,
			   (void *)(intptr_t)(PAIR_INPLACE | PAIR_CALL));
	mmb_bench_register("access/inplace4k/paired_perop", bm_paired,
			   (void *)(intptr_t)(PAIR_INPLACE | PAIR_PEROP));
	mmb_bench_register("access/copy4k/paired_perop", bm_paired,
			   (void *)(intptr_t)(PAIR_COPY | PAIR_PEROP));
	static char cname[2 * 64][64];
	for (size_t i = 0; i < bench_ncands && i < 64; i++)
		for (int f = 0; f < 2; f++) {
			char *nm = cname[2 * i + (size_t)f];
			snprintf(nm, sizeof(cname[0]),
				 "access/consume4k/paired/%s%s",
				 bench_cands[i].name, f ? "/faults" : "");
			mmb_bench_register(
			    nm, bm_consume_paired,
			    (void *)(intptr_t)(i | (f ? CAND_FAULTS : 0)));
		}
}
