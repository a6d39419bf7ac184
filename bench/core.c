/* SPDX-License-Identifier: MIT */
/* core.c - benchmarks of the mapping core (libmmb):
 *   core/map_unmap/len:N          mmb_map_fd + mmb_map_close of N bytes
 *   core/window_remap/window:N    mmb_window_pread that lands in another
 *                                 window every time (one remap per op)
 *   core/fault/{warm,cold}/len:N  first touch of each 4 KiB page of a fresh
 *                                 mapping (MADV_NOHUGEPAGE); cold drops the
 *                                 file's pages (fadvise DONTNEED) before
 *                                 each iteration with the timer paused
 *   core/madvise_scan/ADVICE      fault-driven cold scan of the file under
 *                                 normal / sequential / random advice
 *   core/guard/sum4k/{unguarded,guarded}
 *                                 a 64-bit word sum over one 4 KiB op of a
 *                                 warm mapping (16 MiB, ops in order),
 *                                 called directly or through mmb_map_guard;
 *                                 the difference is the guard's cost
 *   core/guard/empty/{direct,guarded}
 *                                 a function that does nothing: the guard's
 *                                 fixed cost per call, alone
 *   core/guard/copy4k/{memcpy,mmb_map_read}
 *                                 a 4 KiB copy out, plain or guarded
 * Per-page benchmarks report items = pages, so items_per_second is pages/s;
 * counters: faults (and major_faults) per iteration, pages_per_fault. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <mmb/map.h>

#include "bench.h"

static const struct bench_env *env;

/* Fail the benchmark with the library's last error message. */
static void seterr(struct mmb_bench_state *st)
{
	char buf[256];
	mmb_bench_error(st, "%s", mmb_errmsg(buf, sizeof(buf)));
}

static void bm_map_unmap(struct mmb_bench_state *st, void *ud)
{
	(void)ud;
	uint64_t len = (uint64_t)mmb_bench_range(st, 0);
	int fd = open(env->path, O_RDONLY);
	if (fd < 0) {
		mmb_bench_error(st, "open(%s): %s", env->path, strerror(errno));
		return;
	}
	struct mmb_map_opts o = {.access = MMB_ACCESS_READ, .length = len};
	while (mmb_bench_keep_running(st)) {
		struct mmb_map *m;
		int rc = mmb_map_fd(&m, fd, &o);
		if (rc < 0) {
			seterr(st);
			break;
		}
		mmb_map_close(m);
	}
	close(fd);
	mmb_bench_set_items_processed(st, mmb_bench_iterations(st));
}

static void bm_window_remap(struct mmb_bench_state *st, void *ud)
{
	(void)ud;
	uint64_t win = (uint64_t)mmb_bench_range(st, 0);
	uint64_t nwin = env->size / win;
	struct mmb_window *w;
	int rc = mmb_window_open(&w, env->path, MMB_ACCESS_READ, win, 0);
	if (rc < 0) {
		seterr(st);
		return;
	}
	char buf[64];
	uint64_t i = 0, before = mmb_window_remaps(w);
	while (mmb_bench_keep_running(st)) {
		/* the next window each time: every read remaps */
		uint64_t off = (i++ % nwin) * win + 128;
		if (mmb_window_pread(w, buf, sizeof(buf), off) < 0) {
			seterr(st);
			break;
		}
	}
	double iters = (double)mmb_bench_iterations(st);
	if (iters > 0)
		mmb_bench_counter(
		    st, "remaps_per_op",
		    (double)(mmb_window_remaps(w) - before) / iters, 0);
	mmb_window_close(w);
	mmb_bench_set_items_processed(st, mmb_bench_iterations(st));
}

/* Drop the file's clean pages from the page cache. */
static int drop_cache(int fd)
{
	int e = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	return e ? -e : 0;
}

struct fault_args {
	bool cold;
	int advice; /* enum mmb_advice, or -1 */
};

/* Map `len` bytes, touch one byte of every page in order, unmap; only the
 * touching is timed. */
static void fault_loop(struct mmb_bench_state *st, uint64_t len,
		       const struct fault_args *a)
{
	int fd = open(env->path, O_RDONLY);
	if (fd < 0) {
		mmb_bench_error(st, "open(%s): %s", env->path, strerror(errno));
		return;
	}
	if (!a->cold)
		bench_warm(env->path);
	size_t ps = mmb_page_size();
	uint64_t pages = len / ps;
	int64_t faults = 0, majors = 0;
	struct mmb_map_opts o = {.access = MMB_ACCESS_READ,
				 .flags = MMB_MAP_NOHUGEPAGE,
				 .length = len};
	volatile unsigned char sink = 0;
	while (mmb_bench_keep_running(st)) {
		mmb_bench_pause_timing(st);
		struct mmb_map *m;
		int rc = a->cold ? drop_cache(fd) : 0;
		if (rc < 0) {
			mmb_bench_error(st, "posix_fadvise(DONTNEED): %s",
					strerror(-rc));
			break;
		}
		if ((rc = mmb_map_fd(&m, fd, &o)) < 0) {
			seterr(st);
			break;
		}
		if (a->advice >= 0 &&
		    (rc = mmb_map_advise(m, (enum mmb_advice)a->advice, 0, 0)) <
			0) {
			mmb_map_close(m);
			seterr(st);
			break;
		}
		const unsigned char *p = mmb_map_data(m);
		int64_t maj0, f0 = bench_faults(&maj0);
		mmb_bench_resume_timing(st);

		for (uint64_t i = 0; i < pages; i++)
			sink += p[i * ps];

		mmb_bench_pause_timing(st);
		int64_t maj1, f1 = bench_faults(&maj1);
		faults += f1 - f0;
		majors += maj1 - maj0;
		mmb_map_close(m);
		mmb_bench_resume_timing(st);
	}
	(void)sink;
	close(fd);
	int64_t iters = mmb_bench_iterations(st);
	if (iters <= 0)
		return;
	mmb_bench_set_items_processed(st, iters * (int64_t)pages);
	mmb_bench_set_bytes_processed(st, iters * (int64_t)len);
	mmb_bench_counter(st, "faults", (double)faults / (double)iters, 0);
	mmb_bench_counter(st, "major_faults", (double)majors / (double)iters,
			  0);
	mmb_bench_counter(
	    st, "pages_per_fault",
	    faults ? (double)(iters * (int64_t)pages) / (double)faults : 0.0,
	    0);
}

/* ---- guarded access ---------------------------------------------------- */

/* The in-place consumer of the zero-copy workloads: sum the 64-bit words
 * of the op. noinline, and called through the same pointer in both
 * variants, so the guarded and unguarded loops differ only by the guard. */
__attribute__((noinline)) static int sum_op(void *p, size_t len, void *arg)
{
	const uint64_t *w = p;
	uint64_t s = 0;

	for (size_t i = 0; i < len / 8; i++)
		s += w[i];
	*(uint64_t *)arg += s;
	return 0;
}

__attribute__((noinline)) static int empty_op(void *p, size_t len, void *arg)
{
	(void)p;
	(void)len;
	(void)arg;
	return 0;
}

struct guard_args {
	enum bench_map_op mode;
	mmb_guard_fn fn;
	size_t op;
};

static void bm_guard(struct mmb_bench_state *st, void *ud)
{
	const struct guard_args *a = ud;
	uint64_t len = env->size < (16ull << 20) ? env->size : 16ull << 20;
	uint64_t nops = len / 4096, i = 0, sum = 0;
	struct mmb_map_opts o = {.access = MMB_ACCESS_READ,
				 .flags = MMB_MAP_POPULATE,
				 .length = len};
	struct mmb_map *m;
	static char buf[4096];
	mmb_guard_fn volatile fnp = a->fn;

	bench_warm(env->path);
	if (mmb_map_open(&m, env->path, &o) < 0) {
		seterr(st);
		return;
	}
	char *base = mmb_map_data(m);
	while (mmb_bench_keep_running(st)) {
		uint64_t off = (i++ % nops) * 4096;
		int rc =
		    bench_map_op(m, base, a->mode, off, a->op, fnp, &sum, buf);
		if (rc) {
			seterr(st);
			break;
		}
		__asm__ volatile("" : : "r"(buf), "r"(&sum) : "memory");
	}
	mmb_map_close(m);
	mmb_bench_set_items_processed(st, mmb_bench_iterations(st));
	if (a->op)
		mmb_bench_set_bytes_processed(st, mmb_bench_iterations(st) *
						      (int64_t)a->op);
}

static struct guard_args guard_runs[] = {
    {BENCH_OP_DIRECT, sum_op, 4096}, {BENCH_OP_GUARDED, sum_op, 4096},
    {BENCH_OP_DIRECT, empty_op, 0},  {BENCH_OP_GUARDED, empty_op, 0},
    {BENCH_OP_MEMCPY, NULL, 4096},   {BENCH_OP_MAP_READ, NULL, 4096},
};
static const char *const guard_names[] = {
    "core/guard/sum4k/unguarded", "core/guard/sum4k/guarded",
    "core/guard/empty/direct",	  "core/guard/empty/guarded",
    "core/guard/copy4k/memcpy",	  "core/guard/copy4k/mmb_map_read",
};

static struct fault_args warm = {false, -1}, cold = {true, -1};
static struct fault_args scan[] = {
    {true, MMB_ADV_NORMAL},
    {true, MMB_ADV_SEQUENTIAL},
    {true, MMB_ADV_RANDOM},
};

static void bm_fault(struct mmb_bench_state *st, void *ud)
{
	fault_loop(st, (uint64_t)mmb_bench_range(st, 0), ud);
}

static void bm_scan(struct mmb_bench_state *st, void *ud)
{
	/* the whole file, or 64 MiB of it: enough for readahead to matter */
	uint64_t len = env->size < (64ull << 20) ? env->size : 64ull << 20;
	fault_loop(st, len, ud);
}

void bench_register_core(const struct bench_env *e)
{
	static const char *const len_name[] = {"len"};
	static const char *const win_name[] = {"window"};
	env = e;
	uint64_t max = e->size < (256ull << 20) ? e->size : 256ull << 20;

	struct mmb_bench *b =
	    mmb_bench_register("core/map_unmap", bm_map_unmap, NULL);
	mmb_bench_arg_names(b, len_name, 1);
	for (uint64_t len = 4096; len <= max; len *= 16)
		mmb_bench_add_arg(b, (int64_t)len);

	b = mmb_bench_register("core/window_remap", bm_window_remap, NULL);
	mmb_bench_arg_names(b, win_name, 1);
	for (uint64_t w = 1ull << 20; w <= e->size / 4; w *= 16)
		mmb_bench_add_arg(b, (int64_t)w);

	for (size_t i = 0; i < sizeof(guard_runs) / sizeof(guard_runs[0]); i++)
		mmb_bench_register(guard_names[i], bm_guard, &guard_runs[i]);

	uint64_t flen = e->size < (16ull << 20) ? e->size : 16ull << 20;
	b = mmb_bench_register("core/fault/warm", bm_fault, &warm);
	mmb_bench_arg_names(b, len_name, 1);
	mmb_bench_add_arg(b, (int64_t)flen);
	mmb_bench_use_real_time(b);
	if (!e->own_file)
		return; /* never evict a file that is not ours */
	b = mmb_bench_register("core/fault/cold", bm_fault, &cold);
	mmb_bench_arg_names(b, len_name, 1);
	mmb_bench_add_arg(b, (int64_t)flen);
	mmb_bench_use_real_time(b);

	static const char *const names[] = {"core/madvise_scan/normal",
					    "core/madvise_scan/sequential",
					    "core/madvise_scan/random"};
	for (size_t i = 0; i < 3; i++) {
		b = mmb_bench_register(names[i], bm_scan, &scan[i]);
		mmb_bench_use_real_time(b);
	}
}
