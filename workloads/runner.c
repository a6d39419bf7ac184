/* SPDX-License-Identifier: MIT */
/* runner.c - the timed loop.
 *
 * Per backend and per repetition (the warm-up included): open the backend
 * (timed as setup_ns), prepare the page cache, measure residency, open the
 * fault counters, start the worker threads, release them together from a
 * barrier, join, stop the counters, read smaps for the mapping, sync,
 * close. Each repetition starts from a fresh open, so a mapping's faults
 * are paid in every repetition, as a real program pays them.
 *
 * The loop is lean, since bench/harness-overhead.sh holds it to 97% of a
 * bare loop's ops/s: the ops are precomputed, no clock is read per op
 * (one op in lat_every is timed, fenced, for the latency histogram:
 * run_loop), a fixed-size histogram whose count, sum, min and max stay in
 * registers, and one 8-byte word of every read added to a checksum so that
 * the copy out of a mapping cannot be optimised away and backends can be
 * compared (--access inplace and touch: the consumer's sum, consume.h). The
 * loop's start and end are read from CLOCK_MONOTONIC.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "consume.h"
#include "folios.h"
#include "internal.h"
#include "iostat.h"
#include "kevents.h"
#include "profile.h"
#include "mmb/map.h"
#include "mmbench/pressure.h"
#include "timeseries.h"

#define PATTERN_PAGE 4096u

struct shared {
	const struct mmb_backend *b;
	void *state;
	/* What reads do with their bytes (--access, consume.h). */
	enum mmb_access_mode access;
	uint64_t duration_ns;  /* 0: run the slice once */
	struct mmb__clock clk; /* calibrated before the workers start */
	uint64_t lat_every;    /* time one op in this many; 0: none */
	uint64_t lat_seed;     /* of the timed ops' places (+ thread index) */
	/* Start gate: workers report ready, then wait for go, so they start
	 * together once the counters run. abort: a thread could not be
	 * created, nobody runs. */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned ready;
	bool go, abort;
	/* o->stop, never NULL */
	const volatile sig_atomic_t *stop;
};

struct worker {
	pthread_t tid;
	struct shared *s;
	unsigned idx;
	/* Its slice of the op sequence: n ops, made in chunks of at most cap
	 * into ops[] (ops[0] is op `base` of the slice, nchunk of them) by
	 * gen, which restarts from start (the sequence at the slice's first
	 * op) every repetition. */
	const struct mmb_workload *wl;
	const struct mmb_workload_opts *wo;
	struct mmb_gen start, gen;
	struct mmb_op *ops;
	uint64_t n, cap, base, nchunk;
	uint64_t paused_ns;	    /* making chunks inside the timed loop */
	uint64_t gen_cpu_ns;	    /* the thread CPU time that took */
	unsigned char *rbuf, *wbuf; /* buf_offset past rbase, wbase */
	unsigned char *rbase, *wbase;
	size_t buflen;
	struct mmb_hist *hist;
	/* results */
	int err;
	bool interrupted; /* stopped early by Ctrl-C */
	char errmsg[MMB_RESULT_MSG];
	uint64_t start_ns, end_ns, done, bytes_read, bytes_written, checksum;
	uint64_t not_served; /* MMB_CAP_NONBLOCK: ops answered MMB_EAGAIN */
	uint64_t consumed, viewed; /* --access: bytes_consumed, ops_viewed */
	uint64_t done_racy;  /* ops done so far, for the --interval sampler */
	uint64_t chunk_done; /* done_racy when ops[] was last refilled */
};

/* Make wbuf hold the file's pattern for [off, off+len). Ops of one
 * workload share their length and usually their offset within a 4 KiB
 * page, so normally only the page-header words change: a few stores, not a
 * refill, inside the timed loop. */
static void write_prep(struct worker *w, const struct mmb_op *op,
		       uint64_t *phase_len)
{
	uint64_t off = op->off, end = op->off + op->len;
	uint64_t key = (off % PATTERN_PAGE) | ((uint64_t)op->len << 12);

	if (*phase_len != key) {
		mmb_pattern_fill(w->wbuf, off, op->len);
		*phase_len = key;
		return;
	}
	for (uint64_t pg = off - off % PATTERN_PAGE; pg < end;
	     pg += PATTERN_PAGE) {
		uint64_t word = mmb_pattern_page_word(pg);
		uint64_t a = pg > off ? pg : off;
		uint64_t e = pg + 8 < end ? pg + 8 : end;
		if (a < e)
			memcpy(w->wbuf + (a - off),
			       (unsigned char *)&word + (a - pg), e - a);
	}
}

/* ---- ops in bounded chunks ----------------------------------------------
 *
 * The runner's memory does not grow with the op count: each worker holds
 * at most `cap` ops (MMB_OP_CHUNK over the threads, 4 MiB in all by
 * default, at least 4096 each). A slice that fits is made once and its
 * chunk reused by every repetition (and cycled by --duration); a longer
 * one is made chunk by chunk, the first before the timed loop starts, the
 * others when the loop reaches the end of a chunk. That time is taken out
 * of the loop's elapsed time (paused_ns) and its thread CPU time out of
 * the repetition's user time, so the rates are those of the ops. */
#define MMB_OP_CHUNK	 (262144u) /* ops per run, over all threads */
#define MMB_OP_CHUNK_MIN 4096u

/* In a workload that writes, each thread keeps to its own part of the
 * file: with --threads N, thread t's ops go to the t-th of N equal runs of
 * whole blocks (the op's block taken modulo the run's blocks, its offset
 * in the block kept), so no thread reads or writes bytes another thread
 * writes and a mapped backend's copies never race (a data race under
 * TSan otherwise, issue 20: random-write-4k and rw-mix, -b all --threads
 * 2). Read-only workloads keep their offsets (reads do not race); the
 * ops are as deterministic as before and the same for every backend. A
 * file with fewer blocks than threads keeps them as generated
 * (docs/results.md, "Threads"). */
void mmb_thread_region(const struct mmb_workload *w,
		       const struct mmb_workload_opts *wl, unsigned t,
		       struct mmb_op *ops, uint64_t n)
{
	uint64_t bs = wl->block_size, blocks = bs ? wl->file_size / bs : 0;

	if (!(w->flags & MMB_WL_WRITES) || wl->threads < 2 ||
	    blocks < wl->threads)
		return;
	uint64_t lo =
	    blocks / wl->threads * t + blocks % wl->threads * t / wl->threads;
	uint64_t hi = blocks / wl->threads * (t + 1) +
		      blocks % wl->threads * (t + 1) / wl->threads;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t off =
		    (lo + ops[i].off / bs % (hi - lo)) * bs + ops[i].off % bs;
		if (off + ops[i].len > hi * bs && hi * bs >= ops[i].len)
			off = hi * bs - ops[i].len;
		ops[i].off = off;
	}
}

/* Fill ops[] with the next chunk of w's slice (from base + nchunk). */
static int chunk_fill(struct worker *w)
{
	w->base += w->nchunk;
	w->nchunk = w->n - w->base < w->cap ? w->n - w->base : w->cap;
	int rc = mmb_gen_fill(w->wl, w->wo, &w->gen, w->ops, w->nchunk);
	if (rc == 0)
		mmb_thread_region(w->wl, w->wo, w->idx, w->ops, w->nchunk);
	return rc;
}

/* Back to the slice's first op. A slice held whole in ops[] is kept. */
static int chunk_restart(struct worker *w)
{
	if (w->base == 0 && w->nchunk == w->n)
		return 0;
	mmb_gen_free(&w->gen);
	int rc = mmb_gen_copy(&w->gen, &w->start);
	if (rc < 0)
		return rc;
	w->base = w->nchunk = 0;
	return chunk_fill(w);
}

/* The loop is at the end of ops[]: make the next chunk (or, with cycle,
 * start over at the end of the slice). false: the slice is done, or the
 * chunk could not be made (w->err set). Its time is not the ops'. */
static bool __attribute__((noinline)) chunk_next(struct worker *w, bool cycle)
{
	bool whole = w->base == 0 && w->nchunk == w->n;
	int rc;

	if (w->base + w->nchunk >= w->n && (!cycle || whole))
		return cycle; /* done; or cycling a slice held whole */
	uint64_t t0 = mmb__now_ns(), c0 = mmb__thread_cpu_ns();
	if (w->base + w->nchunk >= w->n)
		rc = chunk_restart(w);
	else
		rc = chunk_fill(w);
	w->gen_cpu_ns += mmb__thread_cpu_ns() - c0;
	w->paused_ns += mmb__now_ns() - t0;
	if (rc < 0) {
		char m[MMB_RESULT_MSG - 32];
		w->err = rc;
		snprintf(w->errmsg, sizeof(w->errmsg), "making ops: %s",
			 mmb_errmsg(m, sizeof(m)));
		return false;
	}
	return true;
}

/* --trace-pace recorded (MMB_WL_PACED): wait until due (CLOCK_MONOTONIC
 * ns), asleep while more than 200 us are left, in naps of at most 50 ms
 * so that a stop request is seen, then spinning; the wait is loop time
 * (the ops/s are the trace's pace), never an op's latency. */
static void __attribute__((noinline))
pace_wait(uint64_t due, const volatile sig_atomic_t *stop)
{
	for (;;) {
		uint64_t now = mmb__now_ns();
		if (now >= due || *stop)
			return;
		uint64_t left = due - now;
		if (left > 200000) {
			uint64_t nap = left - 100000;
			nap = nap > 50000000 ? 50000000 : nap;
			struct timespec ts = {.tv_sec = 0,
					      .tv_nsec = (long)nap};
			nanosleep(&ts, NULL);
		}
	}
}

/* The timed loop. Nothing in it reads a clock per op: the ops/s comes
 * from CLOCK_MONOTONIC at its two ends, so consecutive ops overlap as they
 * do in a program's own loop (a TSC read between two 4 KiB copies out of
 * a mapping cost a third of mmap's ops/s on the reference VM, issue 13).
 * One op in s.every is timed with fenced TSC reads for the latency
 * histogram (mmb__latsample, clock.h). Every op goes through the one
 * dispatch below, timed or not. The stop flag and --duration are looked
 * at every CHECK_OPS ops. */
#define CHECK_OPS_RUN 1024u /* ops between stop checks, --ops */
#define CHECK_OPS_DUR 64u   /* ... with --duration: one clock read each */

static inline __attribute__((always_inline)) void
run_loop_body(struct worker *w, void *ts, const void *map, uint64_t map_len,
	      const bool paced)
{
	/* Everything the loop reads in locals: the backend call is opaque to
	 * the compiler, which would otherwise reload it all after each op. */
	/* The read path of --access (consume.h): backend, mode, consumer. */
	struct mmb__access acc = mmb__access_init(w->s->b, w->s->access);
	if (acc.view) {
		acc.map = map;
		acc.map_len = map_len;
	}
	int64_t (*const wr)(void *, const void *, size_t, uint64_t) =
	    w->s->b->write;
	const struct mmb__clock clk = w->s->clk;
	const struct mmb_op *const ops = w->ops;
	unsigned char *const rbuf = w->rbuf;
	uint64_t n = w->nchunk; /* ops in ops[] now */
	const uint64_t dur = w->s->duration_ns;
	/* Paced: when each op is due (chunk by chunk), and the clock time
	 * the slice's first op was, less the time spent making chunks. */
	const uint64_t *at = paced ? w->gen.at_ns : NULL;
	uint64_t pace_base = 0;
	/* paced ops come seldom enough to look at the stop flag and the
	 * duration after each */
	const uint64_t check = paced ? 0
			       : dur ? CHECK_OPS_DUR - 1
				     : CHECK_OPS_RUN - 1;
	struct mmb_hist *const h = w->hist;
	const volatile sig_atomic_t *const stop = w->s->stop;
	const bool nonblock = (w->s->b->caps & MMB_CAP_NONBLOCK) != 0;
	struct mmb__latsample smp;
	uint64_t br = 0, bw = 0, done = 0, j = 0, not_served = 0;
	uint64_t lat_sum = 0, lat_min = UINT64_MAX, lat_max = 0, timed = 0;
	uint64_t phase = UINT64_MAX;

	mmb__latsample_init(&smp, w->s->lat_every, w->s->lat_seed + w->idx);
	w->chunk_done = 0;
	uint64_t start_ns = mmb__now_ns();
	if (paced)
		pace_base = start_ns - w->paused_ns - at[0];
	for (;;) {
		if (j == n) {
			if (!chunk_next(w, dur != 0))
				break;
			n = w->nchunk;
			j = 0;
			/* a new chunk has its own times; the slice's first
			 * again (--duration) starts the clock again */
			if (paced) {
				at = w->gen.at_ns;
				if (w->base == 0)
					pace_base = mmb__now_ns() -
						    w->paused_ns - at[0];
			}
			w->chunk_done = done; /* for run_timed, at a fault */
		}
		if (paced)
			pace_wait(pace_base + w->paused_ns + at[j], stop);
		const struct mmb_op *op = &ops[j++];
		const bool due = mmb__latsample_due(&smp);
		uint64_t t0 = due ? mmb__clock_ticks_fenced(&clk) : 0;
		int64_t r;
		if (op->is_write) {
			write_prep(w, op, &phase);
			r = wr(ts, w->wbuf, op->len, op->off);
		} else {
			r = mmb__access_read(&acc, ts, rbuf, op->len, op->off);
		}
		if (due) {
			/* mmb_hist_add with count, sum, min and max kept in
			 * registers. */
			uint64_t t1 = mmb__clock_ticks_fenced(&clk);
			uint64_t d = t1 > t0 ? mmb__clock_ns(&clk, t1 - t0) : 0;
			h->b[mmb_hist_index(d)]++;
			lat_sum += d;
			lat_min = d < lat_min ? d : lat_min;
			lat_max = d > lat_max ? d : lat_max;
			timed++;
		}
		if (r == (int64_t)op->len) {
			if (op->is_write) {
				bw += (uint64_t)r;
			} else {
				br += (uint64_t)r;
			}
		} else if (r == MMB_EAGAIN && nonblock) {
			/* Not served (backend.h): counted, no bytes, not in
			 * the checksum; the loop goes on. */
			not_served++;
		} else {
			char m[MMB_RESULT_MSG - 64];
			if (r < 0)
				mmb_errmsg(m, sizeof(m));
			else
				snprintf(m, sizeof(m), "%lld bytes",
					 (long long)r);
			w->err = r < 0 ? (int)r : MMB_EIO;
			snprintf(w->errmsg, sizeof(w->errmsg),
				 "%s(offset=%llu, len=%u): %s",
				 op->is_write ? "write" : "read",
				 (unsigned long long)op->off, op->len, m);
			break;
		}
		/* For the --interval sampler (ops_done_racy): one relaxed
		 * store, no fence. */
		__atomic_store_n(&w->done_racy, ++done, __ATOMIC_RELAXED);
		if ((done & check) == 0) {
			/* Ctrl-C ends a long repetition within CHECK_OPS ops
			 * instead of after --duration. */
			if (*stop) {
				w->interrupted = true;
				break;
			}
			if (dur &&
			    mmb__now_ns() - start_ns - w->paused_ns >= dur)
				break;
		}
	}
	w->end_ns = mmb__now_ns();
	w->start_ns = start_ns;
	h->count = timed;
	h->sum = lat_sum;
	h->min = timed ? lat_min : 0;
	h->max = lat_max;
	w->done = done;
	w->checksum = acc.c.sum;
	w->consumed = acc.c.loaded;
	w->viewed = acc.viewed;
	w->bytes_read = br;
	w->bytes_written = bw;
	w->not_served = not_served;
}

/* Two copies of the loop: the pacing of --trace-pace recorded costs the
 * others nothing, not even a test per op. */
static void run_loop(struct worker *w, void *ts, const void *map,
		     uint64_t map_len)
{
	if (mmb_workload_flags(w->wl, w->wo) & MMB_WL_PACED)
		run_loop_body(w, ts, map, map_len, true);
	else
		run_loop_body(w, ts, map, map_len, false);
}

struct loop_call {
	struct worker *w;
	void *ts;
};

static int loop_in_scope(void *p, size_t n, void *arg)
{
	const struct loop_call *c = arg;

	run_loop(c->w, c->ts, p, n);
	return 0;
}

/* run_loop, inside the backend's guard scope when it has one (mapped
 * backends): the ops then arm no SIGBUS guard each, which cost
 * mmap-populate 7-8 % of its ops/s, and reads copy out of (--access copy)
 * or consume (inplace, touch) the scope's mapping directly, as .read and
 * .view would, without a call per op into the backend (each call layer
 * cost a loop of 4 KiB ops 2-3 %, bench/access.c).
 * A bus error abandons the loop, whose locals are lost: the op is found
 * again from what it stored as it went (done_racy, chunk_done), and the
 * error reads as the loop's own would. */
static void run_timed(struct worker *w, void *ts)
{
	int (*const scope)(void *, mmb_view_fn, void *) = w->s->b->scope;
	struct loop_call c = {w, ts};

	if (!scope) {
		run_loop(w, ts, NULL, 0);
		return;
	}
	int rc = scope(ts, loop_in_scope, &c);
	if (rc >= 0)
		return;
	uint64_t k = w->done_racy - w->chunk_done;
	char m[MMB_RESULT_MSG - 64];
	mmb_errmsg(m, sizeof(m));
	w->end_ns = mmb__now_ns();
	w->done = w->done_racy;
	w->err = rc;
	if (!w->nchunk) { /* the scope failed before any op */
		snprintf(w->errmsg, sizeof(w->errmsg), "scope: %s", m);
		return;
	}
	const struct mmb_op *op = &w->ops[k < w->nchunk ? k : w->nchunk - 1];
	snprintf(w->errmsg, sizeof(w->errmsg), "%s(offset=%llu, len=%u): %s",
		 op->is_write ? "write" : "read", (unsigned long long)op->off,
		 op->len, m);
}

/* The state w's ops get: the backend's per-thread state, or the shared
 * one. Returns true when it must be given back with thread_close; on
 * failure sets w->err. */
static bool worker_open(struct worker *w, void **ts)
{
	const struct mmb_backend *b = w->s->b;

	*ts = w->s->state;
	if (!b->thread_open)
		return false;
	int rc = b->thread_open(w->s->state, w->idx, ts);
	if (rc >= 0)
		return true;
	char m[MMB_RESULT_MSG - 32];
	w->err = rc;
	snprintf(w->errmsg, sizeof(w->errmsg), "thread_open: %s",
		 mmb_errmsg(m, sizeof(m)));
	return false;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct shared *s = w->s;
	const struct mmb_backend *b = s->b;
	void *ts;
	bool own = worker_open(w, &ts);

	pthread_mutex_lock(&s->mu);
	s->ready++;
	pthread_cond_broadcast(&s->cv);
	while (!s->go)
		pthread_cond_wait(&s->cv, &s->mu);
	bool abort = s->abort;
	pthread_mutex_unlock(&s->mu);
	if (!w->err && !abort)
		run_timed(w, ts);
	if (own && b->thread_close)
		b->thread_close(ts);
	return NULL;
}

static const volatile sig_atomic_t never_stop;

/* One op in this many is timed, the same for every backend; 0: none, or
 * chosen per backend (lat_auto). */
static uint64_t lat_every(const struct mmb_run_opts *o)
{
	return o->no_latency ? 0 : o->lat_every;
}

/* Is N chosen per backend from its warm-up (the default)? */
static bool lat_auto(const struct mmb_run_opts *o)
{
	return !o->no_latency && !o->lat_every;
}

uint64_t mmb__lat_every_for(const struct mmb_rep *w, unsigned threads)
{
	double el = w->m[MMB_M_ELAPSED_NS], ops = w->m[MMB_M_OPS];
	if (!(el > 0) || !(ops >= 1))
		return MMB_LAT_EVERY_NOWARMUP;
	double per_op = el * (threads ? threads : 1) / ops;
	double n = ceil((double)MMB_LAT_SPACING_NS / per_op);
	return n < 1 ? 1 : n > 1e9 ? 1000000000u : (uint64_t)n;
}

/* Where the workers look for a stop request. */
static const volatile sig_atomic_t *stop_flag(const struct mmb_run_opts *o)
{
	return o->stop ? o->stop : &never_stop;
}

/* Everything one mmb_run() shares across backends and repetitions. */
struct ctx {
	const struct mmb_run_opts *o;
	bool has_reads; /* some op reads */
	int fd;		/* the file, read-only: cache control and residency */
	uint64_t page_size;
	uint64_t pages_all;	  /* pages touched by the whole op list */
	struct worker *w;	  /* o->wl.threads */
	struct mmb_series series; /* --interval: the last rep's (pressure) */
	struct mmb__clock clk;	  /* the timed loop's, calibrated per rep */
	int replaced; /* the validated file was replaced: stop everything */
};

static uint64_t pages_done(const struct ctx *c)
{
	const struct mmb_workload_opts *wl = &c->o->wl;
	uint64_t pages = (wl->file_size + c->page_size - 1) / c->page_size;
	uint64_t *bits, count = 0;

	bits = calloc((pages + 63) / 64, sizeof(*bits));
	if (!bits)
		return 0;
	/* The ops done, made again from each slice's start (the chunk
	 * buffers are free between repetitions). */
	for (unsigned t = 0; t < wl->threads && count != UINT64_MAX; t++) {
		struct worker *w = &c->w[t];
		uint64_t n = w->done < w->n ? w->done : w->n;
		mmb_gen_free(&w->gen);
		if (mmb_gen_copy(&w->gen, &w->start) < 0) {
			count = 0;
			break;
		}
		w->base = w->nchunk = 0;
		while (w->base + w->nchunk < n) {
			if (chunk_fill(w) < 0) {
				count = 0;
				break;
			}
			uint64_t k =
			    n - w->base < w->nchunk ? n - w->base : w->nchunk;
			count += mmb__pages_mark(bits, pages, w->ops, k,
						 c->page_size);
		}
		/* the next repetition starts from the slice's start */
		if (chunk_restart(w) < 0)
			count = 0;
	}
	free(bits);
	return count;
}

static int prepare_cache(struct ctx *c, struct mmb_backend_result *br)
{
	uint64_t size = c->o->wl.file_size;
	double left;
	char hint[128] = "";
	int rc;

	if (c->o->cache == MMB_CACHE_WARM)
		return mmb__cache_warm(c->fd, size);
	rc = mmb__cache_drop(c->fd, size, &left, hint, sizeof(hint));
	if (rc < 0)
		return rc;
	if (left >= 0.01 && !br->note[0])
		snprintf(br->note, sizeof(br->note),
			 "cold cache asked for, but %.1f%% of the file stayed "
			 "resident%s",
			 left * 100, hint);
	/* The OS cannot tell (Windows): say so, never claim it is cold. */
	if (isnan(left) && !br->note[0])
		snprintf(br->note, sizeof(br->note),
			 "cold cache asked for, not checked%s", hint);
	return 0;
}

/* Ops finished so far by all workers, for the --interval sampler thread
 * while they run: each worker's done_racy, stored plainly once per
 * op by its owner and read here with relaxed atomic loads (a sample may
 * miss the op under way, never a torn value). */
static uint64_t ops_done_racy(void *arg)
{
	const struct ctx *c = arg;
	uint64_t n = 0;

	for (unsigned t = 0; t < c->o->wl.threads; t++)
		n += __atomic_load_n(&c->w[t].done_racy, __ATOMIC_RELAXED);
	return n;
}

/* Keys a backend-specific metric must not take: the entry's own. */
static bool xmetric_name_ok(const char *name)
{
	static const char *const taken[] = {"name",
					    "run_name",
					    "run_type",
					    "repetitions",
					    "repetition_index",
					    "aggregate_name",
					    "threads",
					    "iterations",
					    "time_unit",
					    "backend",
					    "workload",
					    "sweep_value",
					    "checksum",
					    "interrupted",
					    "skipped",
					    "error_occurred",
					    "error_message",
					    "metric_units",
					    "latency_histogram"};
	size_t len = name ? strlen(name) : 0;

	if (len == 0 || len >= sizeof(((struct mmb_xmetric *)0)->name) ||
	    strncmp(name, "lat_", 4) == 0)
		return false;
	if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != len)
		return false;
	for (unsigned k = 0; k < MMB_M__COUNT; k++)
		if (strcmp(name, mmb_metric_key((enum mmb_metric)k)) == 0)
			return false;
	for (size_t k = 0; k < sizeof(taken) / sizeof(taken[0]); k++)
		if (strcmp(name, taken[k]) == 0)
			return false;
	return true;
}

/* The backend-specific metrics of the repetition just run into x[], in
 * the order of br->xdef (named by the first repetition that reports
 * them, the warm-up included): ops_not_served for a MMB_CAP_NONBLOCK
 * backend, then what its .metrics hook reports. x[k] is NaN for a metric
 * this repetition did not report. 0, or MMB_EINVAL (recorded) for a name
 * that cannot be a key. */
static int backend_metrics(const struct ctx *c, const struct mmb_backend *b,
			   void *state, struct mmb_backend_result *br,
			   double x[MMB_XMETRICS_MAX])
{
	struct mmb_backend_metric got[MMB_XMETRICS_MAX];
	unsigned n = 0;

	if (b->caps & MMB_CAP_NONBLOCK) {
		uint64_t ns = 0;
		for (unsigned t = 0; t < c->o->wl.threads; t++)
			ns += c->w[t].not_served;
		got[n++] = (struct mmb_backend_metric){.name = "ops_not_served",
						       .unit = "ops",
						       .value = (double)ns};
	}
	if (c->o->bopts.access != MMB_AM_COPY && n + 2 <= MMB_XMETRICS_MAX) {
		/* --access: the bytes brought to the CPU, and how many ops a
		 * view served (0: the backend copied them, consume.h). */
		uint64_t bc = 0, nv = 0;
		for (unsigned t = 0; t < c->o->wl.threads; t++) {
			bc += c->w[t].consumed;
			nv += c->w[t].viewed;
		}
		got[n++] = (struct mmb_backend_metric){.name = "bytes_consumed",
						       .unit = "bytes",
						       .value = (double)bc};
		got[n++] = (struct mmb_backend_metric){
		    .name = "ops_viewed", .unit = "ops", .value = (double)nv};
	}
	if (b->metrics && n < MMB_XMETRICS_MAX) {
		unsigned m = b->metrics(state, got + n, MMB_XMETRICS_MAX - n);
		n += m < MMB_XMETRICS_MAX - n ? m : MMB_XMETRICS_MAX - n;
	}
	for (unsigned k = 0; k < MMB_XMETRICS_MAX; k++)
		x[k] = NAN;
	for (unsigned i = 0; i < n; i++) {
		unsigned k = 0;
		if (!xmetric_name_ok(got[i].name))
			return mmb_seterr(MMB_EINVAL, 0,
					  "%s: metric name '%s' cannot be a "
					  "results key",
					  b->name,
					  got[i].name ? got[i].name : "(null)");
		while (k < br->nx && strcmp(br->xdef[k].name, got[i].name))
			k++;
		if (k == MMB_XMETRICS_MAX)
			continue; /* a new name once all slots are named */
		if (k == br->nx) {
			snprintf(br->xdef[k].name, sizeof(br->xdef[k].name),
				 "%s", got[i].name);
			snprintf(br->xdef[k].unit, sizeof(br->xdef[k].unit),
				 "%s", got[i].unit ? got[i].unit : "");
			br->nx++;
		}
		x[k] = got[i].value;
	}
	return 0;
}

/* What a run of a backend is for. */
enum rep_kind {
	REP_WARMUP,   /* discarded; nothing counted but what it costs */
	REP_MEASURED, /* in the statistics */
	/* after the measured ones, for the kernel events and --profile
	 * (mmbench/kevents.h); never in the statistics */
	REP_EVIDENCE,
};

/* Whether a run of this kind counts the kernel events, and samples
 * --profile (when on): the measured runs only with --kernel-events
 * inline, the evidence run always (its events unless they are off). */
static bool kev_in(enum rep_kind kind)
{
	enum mmb_kevents_mode m = mmb_kevents_mode();

	return kind == REP_EVIDENCE   ? m == MMB_KEV_MODE_SEPARATE
	       : kind == REP_MEASURED ? m == MMB_KEV_MODE_INLINE
				      : false;
}

static bool prof_in(enum rep_kind kind)
{
	return kind == REP_EVIDENCE ||
	       (kind == REP_MEASURED &&
		mmb_kevents_mode() == MMB_KEV_MODE_INLINE);
}

/* An evidence repetition is run (after the measured ones) when there is
 * something to count in it. */
static bool wants_evidence(void)
{
	enum mmb_kevents_mode m = mmb_kevents_mode();

	return (m == MMB_KEV_MODE_SEPARATE && mmb__kevents_platform()) ||
	       (m != MMB_KEV_MODE_INLINE && mmb__prof_on());
}

/* < MMB_KEV_WHY */
#define KEV_ELSEWHERE                                                    \
	"counted in the evidence repetition, not in this one (--kernel-" \
	"events separate)"

/* One run of backend b: fills rep unless NULL (warm-up), adds to hist
 * (measured runs). Returns 0, MMB_ESKIP or MMB_E* with br->message set. */
static int run_once(struct ctx *c, const struct mmb_backend *b,
		    struct mmb_backend_result *br, struct mmb_rep *rep,
		    struct mmb_hist *hist, enum rep_kind kind)
{
	const struct mmb_run_opts *o = c->o;
	unsigned threads = o->wl.threads;
	struct mmb_backend_opts bo = o->bopts;
	struct shared s = {
	    .b = b, .access = o->bopts.access, .stop = stop_flag(o)};
	struct mmb__counters ctr;
	struct mmb__counts cnt = {0};
	struct mmb__kevents *kev = NULL;
	struct mmb_kevents kcounts;
	struct mmb__prof *prof = NULL;
	struct mmb__io io = {0};
	char why[MMB_RESULT_MSG] = "";
	unsigned started = 0;
	double resident;
	uint64_t t0, setup_ns;
	int rc;

	bo.block_size = (size_t)o->wl.block_size;
	bo.writable =
	    (mmb_workload_flags(o->workload, &o->wl) & MMB_WL_WRITES) != 0;
	bo.threads = threads;
	s.duration_ns = (uint64_t)(o->duration_s * 1e9);
	mmb__clock_calibrate(&c->clk);
	s.clk = c->clk;
	s.lat_every = br->lat_every;
	s.lat_seed = o->wl.seed;

	mmb_clearerr();
	/* Backends that open through the mapping core cannot check the
	 * inode themselves: check the path still names it right before. */
	if (bo.file_id.set &&
	    (rc = mmb__file_check_id(o->path, -1, &bo.file_id)) < 0) {
		c->replaced = rc;
		snprintf(br->message, sizeof(br->message), "%s",
			 mmb_last_error()->call);
		return rc;
	}
	t0 = mmb__now_ns();
	rc = b->open(o->path, o->wl.file_size, &bo, &s.state, why, sizeof(why));
	setup_ns = mmb__now_ns() - t0;
	if (rc < 0) {
		if (!why[0])
			mmb_errmsg(why, sizeof(why));
		snprintf(br->message, sizeof(br->message), "%s", why);
		return rc;
	}

	rc = prepare_cache(c, br);
	if (rc < 0)
		goto err_close;
	resident = mmb__resident(c->fd, o->wl.file_size);
	if (resident < 0) {
		rc = (int)resident;
		goto err_close;
	}
	/* perf_event's fault counters only beside the kernel events: in the
	 * other repetitions getrusage, the same kernel counts (min_flt,
	 * maj_flt) without a cost at every context switch. */
	rc = mmb__counters_open(&ctr, kev_in(kind));
	if (rc < 0)
		goto err_close;
	/* The kernel events and the profile only where they are wanted:
	 * ~50 per-task perf events switched at every context switch cost
	 * pread-direct (two switches per op) 17.5 us of CPU per op against
	 * 11.8 us without (README "harness overhead", issue 13). */
	rc = kev_in(kind) ? mmb__kevents_open(&kev) : 0;
	if (rc >= 0 && prof_in(kind))
		rc = mmb__prof_open(&prof, threads);
	if (rc < 0) {
		mmb__kevents_close(kev);
		mmb__counters_close(&ctr);
		goto err_close;
	}

	for (unsigned t = 0; t < threads; t++) {
		struct worker *w = &c->w[t];
		memset(w->hist, 0, sizeof(*w->hist));
		w->s = &s;
		w->err = 0;
		w->interrupted = false;
		w->errmsg[0] = 0;
		w->done = w->bytes_read = w->bytes_written = w->checksum = 0;
		w->not_served = w->consumed = w->viewed = w->done_racy = 0;
		w->start_ns = w->end_ns = 0;
		w->paused_ns = w->gen_cpu_ns = 0;
		/* every repetition runs the slice from its first op */
		if ((rc = chunk_restart(w)) < 0) {
			mmb__counters_close(&ctr);
			goto err_close;
		}
	}
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);
	if (threads == 1 && !(o->pressure && o->pressure->interval_ms)) {
		/* One worker and no sampler: it runs on this thread. While a
		 * second thread lives, even blocked in pthread_join, the fd
		 * table is shared and every syscall takes and drops a
		 * reference on its file: 4-15% of a warm 4 KiB pread on the
		 * reference VM, which a single-threaded program (and the bare
		 * loop of bench/harness-overhead.sh) does not pay. */
		void *ts;
		bool own = worker_open(&c->w[0], &ts);
		mmb__io_start(&io, c->fd);
		mmb__kevents_start(kev);
		mmb__prof_start(prof);
		mmb__counters_start(&ctr);
		if (!c->w[0].err)
			run_timed(&c->w[0], ts);
		mmb__counters_stop(&ctr, &cnt);
		mmb__prof_stop(prof);
		mmb__kevents_stop(kev);
		if (own && b->thread_close)
			b->thread_close(ts);
		started = threads;
		goto joined;
	}
	for (; started < threads; started++) {
		rc = pthread_create(&c->w[started].tid, NULL, worker_main,
				    &c->w[started]);
		if (rc != 0) {
			rc = mmb_seterr(-rc, rc, "pthread_create(thread %u)",
					started);
			break;
		}
	}
	pthread_mutex_lock(&s.mu);
	while (s.ready < started)
		pthread_cond_wait(&s.cv, &s.mu);
	pthread_mutex_unlock(&s.mu);
	if (started == threads) {
		/* Storage counters just outside the CPU counters, so their
		 * reads are not charged to the ops. */
		mmb__io_start(&io, c->fd);
		mmb__kevents_start(kev);
		mmb__prof_start(prof);
		mmb__counters_start(&ctr);
	}
	struct mmb__sampler smp = {0};
	if (started == threads && o->pressure && o->pressure->interval_ms &&
	    mmb__sampler_start(&smp, o->pressure->interval_ms, c->fd,
			       o->wl.file_size, ops_done_racy, c) < 0)
		snprintf(br->note, sizeof(br->note), "no time series: %s",
			 mmb_errmsg(why, sizeof(why)));
	pthread_mutex_lock(&s.mu);
	s.abort = started < threads;
	s.go = true;
	pthread_cond_broadcast(&s.cv);
	pthread_mutex_unlock(&s.mu);
	for (unsigned t = 0; t < started; t++)
		pthread_join(c->w[t].tid, NULL);
	mmb__sampler_stop(&smp, &c->series);
	if (started == threads) {
		mmb__counters_stop(&ctr, &cnt);
		mmb__prof_stop(prof);
		mmb__kevents_stop(kev);
	}
joined:
	pthread_cond_destroy(&s.cv);
	pthread_mutex_destroy(&s.mu);
	mmb__counters_close(&ctr);
	if (kev_in(kind) || !mmb__kevents_platform())
		mmb__kevents_read(kev, &kcounts); /* or why not */
	else
		mmb__kevents_none(&kcounts,
				  mmb_kevents_mode() == MMB_KEV_MODE_OFF
				      ? "not counted (kernel events off)"
				      : KEV_ELSEWHERE);
	mmb__kevents_close(kev);
	if (rep && started == threads && mmb__prof_read(prof, &br->profile) < 0)
		snprintf(br->note, sizeof(br->note), "profile incomplete: %s",
			 mmb_errmsg(why, sizeof(why)));
	mmb__prof_close(prof);
	if (started < threads)
		goto err_close;

	uint64_t pmd_kb = 0, anon_kb = 0;
	if ((b->caps & MMB_CAP_MAPPED) && b->mapping) {
		size_t len = 0;
		void *addr = b->mapping(s.state, &len);
		if (addr && len) {
			rc = mmb__smaps_huge(addr, len, &pmd_kb, &anon_kb);
			if (rc < 0)
				goto err_close;
			/* the evidence for pages per fault; not an error when
			 * it cannot be read */
			if (kind == REP_MEASURED) {
				br->folio_known =
				    mmb__folio_orders(
					addr, len, br->folio_pages,
					br->folio_why,
					sizeof(br->folio_why)) == 0;
				if (br->folio_known)
					br->folio_why[0] = 0;
			}
		}
	}

	for (unsigned t = 0; t < threads; t++)
		if (c->w[t].err) {
			rc = c->w[t].err;
			snprintf(br->message, sizeof(br->message), "%s",
				 c->w[t].errmsg);
			b->close(s.state);
			return rc;
		}

	double x[MMB_XMETRICS_MAX];
	rc = backend_metrics(c, b, s.state, br, x);
	if (rc < 0)
		goto err_close;
	if (b->sync) {
		rc = b->sync(s.state);
		if (rc < 0)
			goto err_close;
	}
	/* After the end-of-run sync: the write-back it forces is part of
	 * what the writes cost the device (disk_write_bytes). */
	mmb__io_stop(&io);
	b->close(s.state);

	if (!rep)
		return 0;
	uint64_t active = 0, ops = 0, rd = 0, wr = 0, gen_cpu = 0;
	uint64_t sum = 0;
	bool interrupted = false;
	for (unsigned t = 0; t < threads; t++) {
		const struct worker *w = &c->w[t];
		interrupted |= w->interrupted;
		/* The longest worker's loop, less its chunk making. */
		uint64_t a = w->end_ns - w->start_ns - w->paused_ns;
		active = a > active ? a : active;
		gen_cpu += w->gen_cpu_ns;
		/* Not-served ops are in the histogram (their time is in
		 * elapsed), not in ops or the rates per op. */
		ops += w->done - w->not_served;
		rd += w->bytes_read;
		wr += w->bytes_written;
		sum += w->checksum;
		if (hist)
			mmb_hist_merge(hist, w->hist);
	}
	double el = (double)active, *m = rep->m;
	/* making chunks is user time of the workers, not of the ops */
	uint64_t user = cnt.user_ns > gen_cpu ? cnt.user_ns - gen_cpu : 0;
	memset(rep, 0, sizeof(*rep));
	rep->kev = kcounts;
	rep->checksum = sum;
	rep->interrupted = interrupted;
	memcpy(rep->x, x, sizeof(rep->x));
	m[MMB_M_OPS] = (double)ops;
	m[MMB_M_BYTES_READ] = (double)rd;
	m[MMB_M_BYTES_WRITTEN] = (double)wr;
	m[MMB_M_ELAPSED_NS] = el;
	m[MMB_M_REAL_TIME] = ops ? el / (double)ops : 0;
	m[MMB_M_USER_NS] = (double)user;
	m[MMB_M_SYS_NS] = (double)cnt.sys_ns;
	m[MMB_M_CPU_TIME] = ops ? (double)(user + cnt.sys_ns) / (double)ops : 0;
	m[MMB_M_ITEMS_PER_SECOND] = el > 0 ? (double)ops * 1e9 / el : 0;
	m[MMB_M_BYTES_PER_SECOND] = el > 0 ? (double)(rd + wr) * 1e9 / el : 0;
	/* Not told apart here (Windows): unavailable, not zero. */
	m[MMB_M_MINOR_FAULTS] = cnt.split ? (double)cnt.minor : NAN;
	m[MMB_M_MAJOR_FAULTS] = cnt.split ? (double)cnt.major : NAN;
	m[MMB_M_FAULTS] = (double)cnt.faults;
	m[MMB_M_FAULTS_RUSAGE] = (double)cnt.ru_faults;
	uint64_t touched =
	    o->duration_s > 0 || interrupted ? pages_done(c) : c->pages_all;
	m[MMB_M_PAGES_TOUCHED] = (double)touched;
	/* Faults cover file pages only through a mapping; pread's one fault
	 * on its buffer "covering" every page read would be nonsense. */
	m[MMB_M_PAGES_PER_FAULT] = !(b->caps & MMB_CAP_MAPPED) ? NAN
				   : cnt.faults
				       ? (double)touched / (double)cnt.faults
				       : 0;
	m[MMB_M_RESIDENT_BEFORE] = resident;
	m[MMB_M_FILE_PMD_MAPPED_KB] = (double)pmd_kb;
	m[MMB_M_ANON_HUGE_KB] = (double)anon_kb;
	m[MMB_M_SETUP_NS] = (double)setup_ns;
	mmb__io_metrics(&io, m);
	return 0;

err_close:
	snprintf(br->message, sizeof(br->message), "%s",
		 mmb_errmsg(why, sizeof(why)));
	b->close(s.state);
	return rc;
}

/* Memory pressure (mmbench/pressure.h): the repetition runs inside the
 * cgroup, and its time series goes to br->series[its index]. */
static int run_once_pressure(struct ctx *c, const struct mmb_backend *b,
			     struct mmb_backend_result *br, struct mmb_rep *rep,
			     struct mmb_hist *hist, enum rep_kind kind)
{
	const struct mmb_pressure *p = c->o->pressure;
	struct mmb_cgroup *cg = p ? p->cgroup : NULL;
	char m[MMB_RESULT_MSG];
	int rc, lrc;

	if (cg && (rc = mmb_cgroup_enter(cg)) < 0) {
		snprintf(br->message, sizeof(br->message), "%s",
			 mmb_errmsg(m, sizeof(m)));
		return rc;
	}
	rc = run_once(c, b, br, rep, hist, kind);
	if (cg && (lrc = mmb_cgroup_leave(cg)) < 0 && rc == 0) {
		rc = lrc;
		snprintf(br->message, sizeof(br->message), "%s",
			 mmb_errmsg(m, sizeof(m)));
	}
	if (kind != REP_MEASURED)
		rep = NULL; /* its series is not kept */
	if (rep && rc == 0 && c->series.n && !br->series)
		br->series = calloc(c->o->reps, sizeof(*br->series));
	if (rep && rc == 0 && c->series.n && br->series)
		br->series[rep - br->reps] = c->series;
	else
		free(c->series.s);
	memset(&c->series, 0, sizeof(c->series));
	return rc;
}

/* ---- labels that promise a page size -------------------------------------
 *
 * A backend whose name promises how the file is mapped must show it in
 * its own run, or its numbers are withheld (skipped, with what was
 * measured): on kernels whose page cache holds large folios, and with
 * fault-around, MADV_NOHUGEPAGE does not make one fault map one 4 KiB
 * page (issue 13: 256 pages per fault on ext4), and MADV_HUGEPAGE gives
 * no 2 MiB mapping when the file's folios are smaller. Checked on the
 * median of the measured repetitions. */
struct label_check {
	const char *backend;
	double max_pages_per_fault; /* 0: not checked */
	bool needs_pmd;		    /* FilePmdMapped > 0 */
};

static const struct label_check label_checks[] = {
    {.backend = "mmap-4k", .max_pages_per_fault = 1.5},
    {.backend = "mmap-thp", .needs_pmd = true},
};

/* The folio evidence of br's run as text: "pages in 1 MiB folios: 100%". */
static const char *folio_text(const struct mmb_backend_result *br, char *buf,
			      size_t n)
{
	uint64_t all = 0, most = 0;
	unsigned k = 0;

	for (unsigned i = 0; i < MMB_FOLIO_ORDERS; i++) {
		all += br->folio_pages[i];
		if (br->folio_pages[i] > most) {
			most = br->folio_pages[i];
			k = i;
		}
	}
	if (!br->folio_known || !all)
		snprintf(buf, n, "folio sizes unknown: %.60s",
			 br->folio_why[0] ? br->folio_why : "nothing mapped");
	else
		snprintf(buf, n,
			 "%.0f%% of its mapped pages in %llu KiB folios",
			 100.0 * (double)most / (double)all,
			 (unsigned long long)(4ull << k));
	return buf;
}

/* 0, or MMB_ESKIP with the reason in br->message. */
static int check_label(struct mmb_backend_result *br)
{
	const double *m = br->median.m;
	char ev[112];

	for (size_t i = 0; i < sizeof(label_checks) / sizeof(label_checks[0]);
	     i++) {
		const struct label_check *k = &label_checks[i];
		if (strcmp(k->backend, br->name) != 0)
			continue;
		if (k->max_pages_per_fault > 0 && m[MMB_M_FAULTS] > 0 &&
		    m[MMB_M_PAGES_PER_FAULT] > k->max_pages_per_fault) {
			/* A long folio list may be cut short: the message
			 * keeps its start (the return value checked, which
			 * is what -Wformat-truncation at -O3 asks for). */
			if (snprintf(
				br->message, sizeof(br->message),
				"%s mapped %.1f pages per fault in its run, "
				"not one 4 KiB page (%s; fault-around; "
				"MADV_NOHUGEPAGE stops only PMD mappings): "
				"numbers withheld",
				br->name, m[MMB_M_PAGES_PER_FAULT],
				folio_text(br, ev, sizeof(ev))) < 0)
				br->message[0] = '\0';
			return MMB_ESKIP;
		}
		if (k->needs_pmd && !(m[MMB_M_FILE_PMD_MAPPED_KB] > 0)) {
			snprintf(br->message, sizeof(br->message),
				 "%s: FilePmdMapped was 0 kB after its run, no "
				 "2 MiB mapping of the file (%s): no huge-page "
				 "numbers, withheld",
				 br->name, folio_text(br, ev, sizeof(ev)));
			return MMB_ESKIP;
		}
	}
	return 0;
}

/* ---- noise -----------------------------------------------------------------
 *
 * Said, never hidden: a backend's numbers are marked noisy when its
 * repetitions' ops/s spread more than MMB_NOISE_SPREAD of their median,
 * or when during a repetition the whole disk read or wrote more than
 * twice what this process did and at least MMB_NOISE_DISK bytes more (the
 * device was busy for someone else; its latency and the page cache's
 * state are then not this run's alone). */
#define MMB_NOISE_SPREAD 0.10
#define MMB_NOISE_DISK	 (8.0 * 1024 * 1024)

void mmb__check_noise(struct mmb_backend_result *br)
{
	const double med = br->median.m[MMB_M_ITEMS_PER_SECOND];
	const double lo = br->min.m[MMB_M_ITEMS_PER_SECOND];
	const double hi = br->max.m[MMB_M_ITEMS_PER_SECOND];
	size_t len = 0, n = sizeof(br->noisy_why);
	double worst = 0;
	unsigned at = 0;

	br->noisy = false;
	br->noisy_why[0] = 0;
	if (br->nreps >= 2 && med > 0 && (hi - lo) / med > MMB_NOISE_SPREAD) {
		br->noisy = true;
		len += (size_t)snprintf(br->noisy_why, n,
					"ops/s spread %.0f%% over %u reps "
					"(> %.0f%%)",
					100 * (hi - lo) / med, br->nreps,
					100 * MMB_NOISE_SPREAD);
	}
	for (unsigned k = 0; k < br->nreps; k++) {
		const double *m = br->reps[k].m;
		double own = m[MMB_M_DEV_READ_BYTES] + m[MMB_M_DEV_WRITE_BYTES];
		double disk =
		    m[MMB_M_DISK_READ_BYTES] + m[MMB_M_DISK_WRITE_BYTES];
		if (isnan(own) || isnan(disk))
			continue;
		double other = disk - own;
		if (other > own && other >= MMB_NOISE_DISK && other > worst) {
			worst = other;
			at = k;
		}
	}
	if (worst > 0 && len < n) {
		const double *m = br->reps[at].m;
		br->noisy = true;
		snprintf(
		    br->noisy_why + len, n - len,
		    "%sthe whole disk moved %.1f MiB during rep %u, this "
		    "process %.1f MiB (another process used the disk)",
		    len ? "; " : "",
		    (m[MMB_M_DISK_READ_BYTES] + m[MMB_M_DISK_WRITE_BYTES]) /
			(1024 * 1024),
		    at,
		    (m[MMB_M_DEV_READ_BYTES] + m[MMB_M_DEV_WRITE_BYTES]) /
			(1024 * 1024));
	}
}

/* The evidence repetition, after br's measured ones: the kernel events
 * and --profile. Whatever becomes of it, the measured numbers stand: when
 * it cannot finish (Ctrl-C, an error) nothing of it is kept and the
 * measured repetitions' kernel events say why there are none. Only a
 * replaced file (c->replaced) still ends the run. */
static void run_evidence(struct ctx *c, const struct mmb_backend *b,
			 struct mmb_backend_result *br)
{
	const struct mmb_run_opts *o = c->o;
	char msg[MMB_RESULT_MSG], note[sizeof(br->note)], why[MMB_KEV_WHY];
	int rc = 0;

	memcpy(msg, br->message, sizeof(msg));
	memcpy(note, br->note, sizeof(note));
	if (*stop_flag(o)) {
		snprintf(why, sizeof(why),
			 "not counted: interrupted before the evidence "
			 "repetition (--kernel-events separate)");
	} else {
		if (o->progress)
			o->progress(o->progress_ctx, b->name, (int)o->reps,
				    o->reps);
		rc = run_once_pressure(c, b, br, &br->evidence, NULL,
				       REP_EVIDENCE);
		if (rc == 0 && !br->evidence.interrupted) {
			br->has_evidence = true;
			return;
		}
		if (c->replaced)
			return; /* br->message says it; the run ends */
		if (rc < 0)
			snprintf(why, sizeof(why),
				 "not counted: the evidence repetition failed: "
				 "%.40s",
				 br->message);
		else
			snprintf(why, sizeof(why),
				 "not counted: the evidence repetition was "
				 "interrupted (Ctrl-C)");
	}
	memcpy(br->message, msg, sizeof(msg));
	memcpy(br->note, note, sizeof(note));
	/* Part of one repetition is no evidence. */
	mmb_profile_free(br->profile);
	br->profile = NULL;
	memset(&br->evidence, 0, sizeof(br->evidence));
	if (mmb_kevents_mode() == MMB_KEV_MODE_SEPARATE)
		for (unsigned r = 0; r < br->nreps; r++)
			mmb__kevents_none(&br->reps[r].kev, why);
}

static void run_backend(struct ctx *c, const struct mmb_backend *b,
			struct mmb_backend_result *br)
{
	const struct mmb_run_opts *o = c->o;
	int rc = 0;

	snprintf(br->name, sizeof(br->name), "%s", b->name);
	br->caps = b->caps;
	/* The caps say what the backend serves; its table must agree. */
	rc = mmb_backend_check(b, br->message, sizeof(br->message));
	if (rc < 0) {
		br->status = rc;
		return;
	}
	bool reads = c->has_reads;
	const char *cannot =
	    (mmb_workload_flags(o->workload, &o->wl) & MMB_WL_WRITES) &&
		    !(b->caps & MMB_CAP_WRITE)
		? "write"
	    : reads && !(b->caps & MMB_CAP_READ) ? "read"
						 : NULL;
	if (cannot) {
		br->status = MMB_ESKIP;
		snprintf(br->message, sizeof(br->message),
			 "%s cannot %s (workload %s %ss)", b->name, cannot,
			 o->workload->name, cannot);
		return;
	}
	if ((b->caps & MMB_CAP_DIRECT) && o->buf_offset % c->page_size) {
		br->status = MMB_EALIGN;
		snprintf(br->message, sizeof(br->message),
			 "%s bypasses the page cache (O_DIRECT) and needs "
			 "buffers aligned to %llu bytes: --buf-offset %llu "
			 "breaks that (use a multiple of %llu); refused, not "
			 "copied through a bounce buffer",
			 b->name, (unsigned long long)c->page_size,
			 (unsigned long long)o->buf_offset,
			 (unsigned long long)c->page_size);
		return;
	}
	br->reps = calloc(o->reps, sizeof(*br->reps));
	br->hist = calloc(1, sizeof(*br->hist));
	if (!br->reps || !br->hist) {
		br->status = MMB_ENOMEM;
		snprintf(br->message, sizeof(br->message),
			 "out of memory for %u repetitions", o->reps);
		return;
	}
	/* The latency sampling: the run's N, or (by default) one chosen
	 * from the warm-up's speed, which runs with the fallback. */
	br->lat_every = lat_auto(o) ? MMB_LAT_EVERY_NOWARMUP : lat_every(o);
	if (o->warmup) {
		struct mmb_rep warm;
		if (o->progress)
			o->progress(o->progress_ctx, b->name, -1, o->reps);
		rc = run_once_pressure(c, b, br, lat_auto(o) ? &warm : NULL,
				       NULL, REP_WARMUP);
		if (rc == 0 && lat_auto(o))
			br->lat_every =
			    mmb__lat_every_for(&warm, o->wl.threads);
	}
	for (unsigned r = 0;
	     rc == 0 && r < o->reps && !*stop_flag(o) && !c->replaced; r++) {
		if (o->progress)
			o->progress(o->progress_ctx, b->name, (int)r, o->reps);
		rc = run_once_pressure(c, b, br, &br->reps[r], br->hist,
				       REP_MEASURED);
		if (rc == 0)
			br->nreps++;
	}
	if (rc == 0 && br->nreps > 0 && wants_evidence())
		run_evidence(c, b, br);
	if (rc == 0 && br->nreps == 0) {
		rc = MMB_ESKIP;
		snprintf(br->message, sizeof(br->message),
			 "interrupted before a repetition finished");
	}
	if (rc == 0) {
		mmb_backend_result_aggregate(br);
		mmb__check_noise(br);
		rc = check_label(br);
		if (rc < 0)
			br->nreps = 0; /* withheld: written as skipped */
	}
	br->status = rc;
}

/* The caller's resolved options, then the workload's own parameters. */
static void record_options(struct mmb_run_result *r,
			   const struct mmb_run_opts *o)
{
	const struct mmb_param *p = o->workload->params;

	for (unsigned i = 0; i < o->ncontext && r->nopts < MMB_CTX_MAX; i++)
		r->opts[r->nopts++] = o->context[i];
	for (unsigned i = 0; p && p[i].name && r->nopts < MMB_CTX_MAX; i++)
		mmb_param_ctx(&p[i], o->wl.param[i], &r->opts[r->nopts++]);
	if (o->workload->context)
		r->nopts += o->workload->context(&o->wl, r->opts + r->nopts,
						 MMB_CTX_MAX - r->nopts);
}

/* One pass over the whole op sequence, in chunks, before anything is
 * timed: the generator at each slice's first op (w->start), the pages the
 * ops touch, whether any op reads; then each slice's first chunk. */
static int survey_ops(struct ctx *c)
{
	const struct mmb_workload_opts *wl = &c->o->wl;
	uint64_t pages = (wl->file_size + c->page_size - 1) / c->page_size;
	uint64_t *bits = calloc((pages + 63) / 64, sizeof(*bits));
	struct mmb_gen g = {0};
	int rc = 0;

	if (!bits)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "calloc(page bitmap)");
	for (unsigned t = 0; t < wl->threads && rc == 0; t++) {
		struct worker *w = &c->w[t];
		rc = mmb_gen_copy(&w->start, &g);
		for (uint64_t done = 0; rc == 0 && done < w->n;) {
			uint64_t k =
			    w->n - done < w->cap ? w->n - done : w->cap;
			rc = mmb_gen_fill(c->o->workload, wl, &g, w->ops, k);
			if (rc < 0)
				break;
			mmb_thread_region(c->o->workload, wl, t, w->ops, k);
			c->pages_all += mmb__pages_mark(bits, pages, w->ops, k,
							c->page_size);
			for (uint64_t i = 0; i < k && !c->has_reads; i++)
				c->has_reads = !w->ops[i].is_write;
			done += k;
		}
	}
	mmb_gen_free(&g);
	free(bits);
	for (unsigned t = 0; t < wl->threads && rc == 0; t++) {
		struct worker *w = &c->w[t];
		rc = mmb_gen_copy(&w->gen, &w->start);
		if (rc == 0)
			rc = chunk_fill(w);
	}
	return rc;
}

int mmb_run(const struct mmb_run_opts *o, struct mmb_run_result **out)
{
	const struct mmb_workload_opts *wl = &o->wl;
	struct mmb_run_result *r;
	struct ctx c = {.o = o, .fd = -1};
	uint64_t fsize;
	bool regular;
	int rc;

	if (o->reps < 1 || wl->threads < 1 || !o->workload || !o->path)
		return mmb_seterr(MMB_EINVAL, 0,
				  "mmb_run: reps, threads, "
				  "workload and path are "
				  "required");
	/* the tracepoints registered before any cgroup is entered */
	mmb__kevents_prepare();
	r = calloc(1, sizeof(*r));
	if (!r)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "calloc(result)");
	r->b = calloc(o->nbackends ? o->nbackends : 1, sizeof(*r->b));
	if (!r->b) {
		rc = mmb_seterr(MMB_ENOMEM, ENOMEM, "calloc(%u backends)",
				o->nbackends);
		goto err_free;
	}
	/* Hole punching under a write workload would leave the file
	 * corrupted for every later run that reuses it. */
	if ((mmb_workload_flags(o->workload, wl) & MMB_WL_WRITES) &&
	    o->bopts.advice == MMB_ADV_REMOVE) {
		rc = mmb_seterr(MMB_EINVAL, 0,
				"--advice remove with %s, a writing workload: "
				"it punches holes in %s; refused",
				o->workload->name, o->path);
		goto err_free;
	}
	/* Held for the whole run, this descriptor also keeps the validated
	 * inode from being freed and its number reused by another file. */
	if (o->bopts.file_id.set) {
		struct mmb__file_info fi;
		rc = mmb__file_open_nofollow(o->path, &c.fd, &fi);
		if (rc == 0) {
			fsize = fi.size;
			regular = fi.regular;
			rc = mmb__file_check_id(o->path, c.fd,
						&o->bopts.file_id);
			if (rc < 0)
				mmb__file_close(c.fd);
		}
	} else
		rc = mmb__file_open_ro(o->path, &c.fd, &fsize, &regular);
	if (rc < 0)
		goto err_free;
	if (fsize < wl->file_size) {
		rc = mmb_seterr(MMB_EBADOFF, 0,
				"%s is %llu bytes, shorter than %llu", o->path,
				(unsigned long long)fsize,
				(unsigned long long)wl->file_size);
		goto err_close;
	}
	c.page_size = (uint64_t)mmb_page_size();
	mmb__clock_init(&c.clk);

	c.w = calloc(wl->threads, sizeof(*c.w));
	if (!c.w) {
		rc = mmb_seterr(MMB_ENOMEM, ENOMEM, "calloc(%u workers)",
				wl->threads);
		goto err_close;
	}
	uint64_t cap = MMB_OP_CHUNK / wl->threads;
	cap = cap < MMB_OP_CHUNK_MIN ? MMB_OP_CHUNK_MIN : cap;
	for (unsigned t = 0; t < wl->threads; t++) {
		struct worker *w = &c.w[t];
		uint64_t b, e;
		mmb_thread_slice(wl->ops, wl->threads, t, &b, &e);
		w->wl = o->workload;
		w->wo = wl;
		w->idx = t; /* before survey_ops: mmb_thread_region needs it */
		w->n = e - b;
		w->cap = w->n < cap ? w->n : cap;
		w->ops = malloc((w->cap ? w->cap : 1) * sizeof(*w->ops));
		if (!w->ops) {
			rc = mmb_seterr(MMB_ENOMEM, ENOMEM,
					"malloc(%llu ops) for thread %u",
					(unsigned long long)w->cap, t);
			goto err_workers;
		}
	}
	rc = survey_ops(&c);
	if (rc < 0)
		goto err_workers;

	size_t buflen = wl->block_size > 8 ? (size_t)wl->block_size : 8;
	size_t align = (size_t)c.page_size;
	for (unsigned t = 0; t < wl->threads; t++) {
		struct worker *w = &c.w[t];
		w->idx = t;
		w->buflen = buflen;
		w->hist = malloc(sizeof(*w->hist));
		/* Page-aligned for O_DIRECT backends, then --buf-offset. */
		w->rbase = mmb__aligned_alloc(align, buflen + o->buf_offset);
		w->wbase = mmb__aligned_alloc(align, buflen + o->buf_offset);
		if (!w->hist || !w->rbase || !w->wbase) {
			rc = mmb_seterr(MMB_ENOMEM, ENOMEM,
					"buffers of %zu bytes for thread %u",
					buflen, t);
			goto err_workers;
		}
		w->rbuf = w->rbase + o->buf_offset;
		w->wbuf = w->wbase + o->buf_offset;
		/* Touched now so their first-touch faults stay out of the
		 * timed region. */
		memset(w->rbuf, 0, buflen);
		memset(w->wbuf, 0, buflen);
	}

	mmb_env_capture(&r->env, o->path);
	snprintf(r->command_line, sizeof(r->command_line), "%s",
		 o->command_line ? o->command_line : "");
	snprintf(r->workload, sizeof(r->workload), "%s", o->workload->name);
	snprintf(r->file, sizeof(r->file), "%s", o->path);
	r->file_size = wl->file_size;
	r->block_size = wl->block_size;
	r->ops = wl->ops;
	r->duration_s = o->duration_s;
	r->threads = wl->threads;
	r->seed = wl->seed;
	snprintf(r->cache, sizeof(r->cache), "%s",
		 o->cache == MMB_CACHE_COLD ? "cold" : "warm");
	r->reps = o->reps;
	r->advice = o->bopts.advice;
	r->lat_every = lat_every(o);
	r->lat_spacing_ns = lat_auto(o) ? MMB_LAT_SPACING_NS : 0;
	snprintf(r->lat_timer, sizeof(r->lat_timer), "%s",
		 mmb__clock_source(&c.clk));
	if (o->pressure && o->pressure->cgroup) {
		r->memory_limit = o->pressure->cgroup->limit;
		r->cgroup_version = o->pressure->cgroup->version;
	}
	r->interval_ms = o->pressure ? o->pressure->interval_ms : 0;
	record_options(r, o);
	/* The measured repetitions' source: perf_event only when they
	 * count the kernel events too (inline); the evidence repetition
	 * counts with it in the default mode. */
	const char *fsrc =
	    mmb__fault_source(r->fault_source_why, sizeof(r->fault_source_why));
	if (strcmp(fsrc, "perf_event") == 0 &&
	    mmb_kevents_mode() != MMB_KEV_MODE_INLINE) {
		fsrc = "getrusage";
		snprintf(r->fault_source_why, sizeof(r->fault_source_why), "%s",
			 mmb_kevents_mode() == MMB_KEV_MODE_SEPARATE
			     ? "perf_event counts the faults of the evidence "
			       "repetition, beside the kernel events: in a "
			       "measured one its counters would cost every "
			       "context switch (--kernel-events inline puts "
			       "them there)"
			     : "kernel events off: no perf_event counters, "
			       "whose cost comes at every context switch "
			       "(--kernel-events inline counts with them)");
	}
	snprintf(r->fault_source, sizeof(r->fault_source), "%s", fsrc);

	for (unsigned i = 0; i < o->nbackends; i++) {
		if (*stop_flag(o)) {
			/* Ctrl-C: what ran is kept, the rest is marked. */
			struct mmb_backend_result *br = &r->b[i];
			snprintf(br->name, sizeof(br->name), "%s",
				 o->backends[i]->name);
			br->caps = o->backends[i]->caps;
			br->status = MMB_ESKIP;
			snprintf(br->message, sizeof(br->message),
				 "interrupted before it ran");
			r->nbackends++;
			continue;
		}
		run_backend(&c, o->backends[i], &r->b[i]);
		r->noisy |= r->b[i].status == 0 && r->b[i].noisy;
		r->nbackends++;
		if (c.replaced) {
			rc = mmb_seterr(c.replaced, 0, "%s", r->b[i].message);
			goto err_workers;
		}
	}
	mmb__make_verdict(r);
	mmb__verdict_why(r);
	r->partial = *stop_flag(o) != 0;
	rc = 0;
	*out = r;
	r = NULL;

err_workers:
	for (unsigned t = 0; t < wl->threads; t++) {
		free(c.w[t].hist);
		mmb__aligned_free(c.w[t].rbase);
		mmb__aligned_free(c.w[t].wbase);
		free(c.w[t].ops);
		mmb_gen_free(&c.w[t].start);
		mmb_gen_free(&c.w[t].gen);
	}
	free(c.w);
err_close:
	mmb__file_close(c.fd);
err_free:
	mmb_run_result_free(r);
	return rc;
}
