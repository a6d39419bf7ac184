/* SPDX-License-Identifier: MIT */
/* bench/bufferpool.c - the bufferpool's hit path at a 100 % hit ratio
 * against pread on a warm file, at 1 and 2 threads (issue 16).
 *
 *   mmb_bench_bufferpool [--size SIZE] [--ops N] [--reps N] [--dir DIR]
 *
 * Makes a file of SIZE (default 64 MiB) in DIR ($TMPDIR, else /var/tmp),
 * reads it once through pread (the page cache is warm) and opens the
 * bufferpool backend with a pool as large as the file, then reads every
 * page through it once (every frame loaded: from then on every access is
 * a hit). Each case runs N random page-aligned ops per thread (default
 * 1M) REPS times (default 5) and prints the median wall time per op of
 * one thread (ns/op), the fastest run's (on a shared machine the least
 * disturbed), the median thread CPU time per op (what descheduling does
 * not inflate) and the median ops per second of all threads together:
 *
 *   pread        4 KiB pread(2) into the thread's buffer (warm cache)
 *   bufferpool   4 KiB through the pool: lookup, pin, memcpy, unpin
 *   memcpy       4 KiB memcpy from a buffer as large as the file: the
 *                copy alone, what the pool cannot avoid
 *   bufferpool   64 B through the pool: the hit path with almost no copy
 *   (64 B)
 *
 * The pool's own cost per hit is about "bufferpool 4 KiB - memcpy". The
 * metrics are checked after each case: a miss fails the benchmark. Plain
 * C (no Google Benchmark: it needs threads sharing one backend state).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mmb/error.h"
#include "mmb/map.h"
#include "mmbench/backend.h"
#include "mmbench/units.h"

#define MAXT 2
#define PG   4096u

enum kind { K_PREAD, K_POOL, K_MEMCPY, K__COUNT };

struct ctx {
	enum kind kind;
	size_t len;
	uint64_t size, ops;
	int fd;
	const struct mmb_backend *b;
	void *st;
	const char *src; /* K_MEMCPY */
	pthread_barrier_t bar;
};

struct worker {
	struct ctx *c;
	unsigned idx;
	void *ts;
	uint64_t ns, cpu_ns, sum;
	int err;
};

static uint64_t clock_ns(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct ctx *c = w->c;
	uint64_t s = 0x2545f4914f6cdd1dull * (w->idx + 1), pages = c->size / PG;
	char *buf = aligned_alloc(PG, PG);

	if (!buf) {
		w->err = 1;
		pthread_barrier_wait(&c->bar);
		return NULL;
	}
	memset(buf, 0, PG);
	pthread_barrier_wait(&c->bar);
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC);
	uint64_t c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	for (uint64_t i = 0; i < c->ops; i++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		uint64_t off = (s % pages) * PG;
		int64_t n;
		switch (c->kind) {
		case K_PREAD:
			n = pread(c->fd, buf, c->len, (off_t)off);
			break;
		case K_POOL:
			n = c->b->read(w->ts, buf, c->len, off);
			break;
		default:
			memcpy(buf, c->src + off, c->len);
			n = (int64_t)c->len;
		}
		if (n != (int64_t)c->len) {
			w->err = 1;
			break;
		}
		w->sum += (unsigned char)buf[c->len - 1];
	}
	w->cpu_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
	w->ns = clock_ns(CLOCK_MONOTONIC) - t0;
	free(buf);
	return NULL;
}

/* One run of nt threads: wall ns per op of one thread (the slowest), or
 * NaN on an error; its CPU ns per op (the threads' mean) in *cpu. */
static double run_once(struct ctx *c, unsigned nt, double *cpu)
{
	struct worker w[MAXT] = {{0}};
	pthread_t th[MAXT];
	uint64_t most = 0, cpu_sum = 0;
	int err = 0;

	pthread_barrier_init(&c->bar, NULL, nt);
	for (unsigned i = 0; i < nt; i++) {
		w[i] = (struct worker){.c = c, .idx = i, .ts = c->st};
		if (c->kind == K_POOL && c->b->thread_open &&
		    c->b->thread_open(c->st, i, &w[i].ts) < 0)
			return NAN;
	}
	for (unsigned i = 1; i < nt; i++)
		pthread_create(&th[i], NULL, worker_main, &w[i]);
	worker_main(&w[0]);
	for (unsigned i = 1; i < nt; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&c->bar);
	for (unsigned i = 0; i < nt; i++) {
		err |= w[i].err;
		most = w[i].ns > most ? w[i].ns : most;
		cpu_sum += w[i].cpu_ns;
		if (c->kind == K_POOL && c->b->thread_close)
			c->b->thread_close(w[i].ts);
	}
	*cpu = (double)cpu_sum / nt / (double)c->ops;
	return err ? NAN : (double)most / (double)c->ops;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double metric(const struct ctx *c, const char *name)
{
	struct mmb_backend_metric m[16];
	unsigned n = c->b->metrics(c->st, m, 16);

	for (unsigned i = 0; i < n; i++)
		if (strcmp(m[i].name, name) == 0)
			return m[i].value;
	return NAN;
}

static int make_file(const char *path, uint64_t size)
{
	static char buf[1 << 16];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 131 + 7);
	for (uint64_t done = 0; done < size; done += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
			close(fd);
			return -1;
		}
	return close(fd);
}

int main(int argc, char **argv)
{
	uint64_t size = 64ull << 20, ops = 1000000, reps = 5;
	const char *dir = getenv("TMPDIR");
	char tmp[4096], path[4200], why[512] = "", msg[512];
	int rc = 1;

	for (int i = 1; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t *dst = strcmp(a, "--size") == 0   ? &size
				: strcmp(a, "--ops") == 0  ? &ops
				: strcmp(a, "--reps") == 0 ? &reps
							   : NULL;
		if (strcmp(a, "--dir") == 0 && v) {
			dir = v;
			continue;
		}
		if (!dst || !v || mmb_parse_u64(v, true, dst) < 0 ||
		    *dst == 0) {
			fprintf(stderr,
				"usage: %s [--size SIZE] [--ops N] [--reps N] "
				"[--dir DIR]\n",
				argv[0]);
			return 2;
		}
	}
	size = size / (1 << 16) * (1 << 16);
	if (size < (1 << 20) || reps > 101) {
		fprintf(stderr, "%s: --size at least 1M, --reps at most 101\n",
			argv[0]);
		return 2;
	}
	snprintf(tmp, sizeof(tmp), "%s/mmb-bench-bp-XXXXXX",
		 dir && *dir ? dir : "/var/tmp");
	if (!mkdtemp(tmp)) {
		fprintf(stderr, "mkdtemp(%s): %s\n", tmp, strerror(errno));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/data", tmp);
	struct ctx c = {.size = size, .ops = ops, .fd = -1};
	char *src = NULL;
	if (make_file(path, size) < 0) {
		fprintf(stderr, "write %s: %s\n", path, strerror(errno));
		goto out;
	}
	c.fd = open(path, O_RDONLY | O_CLOEXEC);
	/* 2 MiB-aligned and advised as the pool's frames are, so the two
	 * copy from the same kind of memory */
	src = aligned_alloc(2u << 20, size);
	if (src)
		(void)madvise(src, size, MADV_HUGEPAGE);
	if (c.fd < 0 || !src || pread(c.fd, src, size, 0) != (ssize_t)size) {
		fprintf(stderr, "read %s: %s\n", path, strerror(errno));
		goto out;
	}
	c.src = src;
	c.b = mmb_backend_find("bufferpool");
	struct mmb_backend_opts o = {
	    .block_size = PG, .advice = -1, .threads = MAXT, .pool_size = size};
	int orc = c.b ? c.b->open(path, size, &o, &c.st, why, sizeof(why))
		      : MMB_ENOENT;
	if (orc == MMB_ESKIP) {
		printf("bufferpool skipped: %s\n", why);
		rc = 77;
		goto out;
	}
	if (orc < 0) {
		fprintf(stderr, "bufferpool: %s\n", why);
		goto out;
	}
	for (uint64_t off = 0; off < size; off += PG)
		if (c.b->read(c.st, src, PG, off) != PG) {
			fprintf(stderr, "bufferpool: %s\n",
				mmb_errmsg(msg, sizeof(msg)));
			goto close;
		}
	double loaded = metric(&c, "pool_misses");

	static const struct {
		const char *name;
		enum kind k;
		size_t len;
	} cases[] = {
	    {"pread 4 KiB (warm)", K_PREAD, PG},
	    {"bufferpool 4 KiB", K_POOL, PG},
	    {"memcpy 4 KiB", K_MEMCPY, PG},
	    {"bufferpool 64 B", K_POOL, 64},
	};
	printf("random page-aligned reads over a %llu MiB file, %llu ops per "
	       "thread, median of %llu runs\n",
	       (unsigned long long)(size >> 20), (unsigned long long)ops,
	       (unsigned long long)reps);
	printf("%-20s %8s %10s %10s %10s %14s\n", "case", "threads", "ns/op",
	       "(fastest)", "CPU ns/op", "Mops/s (all)");
	rc = 0;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
		for (unsigned nt = 1; nt <= MAXT; nt++) {
			double t[101], u[101];
			c.kind = cases[k].k;
			c.len = cases[k].len;
			for (uint64_t r = 0; r < reps; r++)
				t[r] = run_once(&c, nt, &u[r]);
			qsort(t, reps, sizeof(t[0]), cmp);
			qsort(u, reps, sizeof(u[0]), cmp);
			double med = t[reps / 2];
			if (isnan(med))
				rc = 1;
			printf("%-20s %8u %10.1f %10.1f %10.1f %14.2f\n",
			       cases[k].name, nt, med, t[0], u[reps / 2],
			       nt * 1e3 / med);
		}
	double misses = metric(&c, "pool_misses") - loaded;
	printf("bufferpool: %.0f hits, %.0f misses after the load (hit ratio "
	       "%.4f)\n",
	       metric(&c, "pool_hits"), misses, metric(&c, "pool_hit_ratio"));
	if (misses != 0) {
		fprintf(stderr, "bufferpool: a miss after every page was "
				"loaded: not a 100%% hit ratio\n");
		rc = 1;
	}
close:
	c.b->close(c.st);
out:
	free(src);
	if (c.fd >= 0)
		close(c.fd);
	unlink(path);
	rmdir(tmp);
	return rc;
}
