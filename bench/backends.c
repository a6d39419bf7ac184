/* SPDX-License-Identifier: MIT */
/* backends.c - every backend of the registry through its ops table:
 *   backend/NAME/random-4k   4 KiB reads at random aligned offsets
 *   backend/NAME/seq-read    1 MiB reads front to back, wrapping
 * on the warm file. A backend that cannot run here (MMB_ESKIP) is reported
 * as skipped with its reason. items = ops, bytes = bytes read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmbench/backend.h>

#include "bench.h"

#define RANDOM_BS    4096
#define SEQ_BS	     (1u << 20)
#define MAX_BACKENDS 64

static const struct bench_env *env;

struct backend_case {
	const struct mmb_backend *be;
	bool seq;
};

static void bm_backend(struct mmb_bench_state *st, void *ud)
{
	const struct backend_case *c = ud;
	const struct mmb_backend *be = c->be;
	size_t bs = c->seq ? SEQ_BS : RANDOM_BS;
	struct mmb_backend_opts o = {
	    .block_size = SEQ_BS,
	    .advice = -1,
	    .sync = MMB_WSYNC_NONE,
	    .threads = 1,
	};
	char why[256] = "", msg[256];
	void *state, *ts;
	bench_warm(env->path);
	int rc = be->open(env->path, env->size, &o, &state, why, sizeof(why));
	if (rc == MMB_ESKIP) {
		mmb_bench_skip(st, "%s", why);
		return;
	}
	if (rc < 0) {
		mmb_bench_error(st, "%s", mmb_errmsg(msg, sizeof(msg)));
		return;
	}
	ts = state;
	if (be->thread_open && (rc = be->thread_open(state, 0, &ts)) < 0) {
		mmb_bench_error(st, "%s", mmb_errmsg(msg, sizeof(msg)));
		goto err_close;
	}
	void *buf;
	/* 2 MiB alignment suits O_DIRECT and avoids bounce copies */
	if (posix_memalign(&buf, 2u << 20, SEQ_BS) != 0) {
		mmb_bench_error(st, "posix_memalign: out of memory");
		goto err_thread;
	}
	uint64_t s = 0x2545f4914f6cdd1dull, pos = 0, not_served = 0;
	while (mmb_bench_keep_running(st)) {
		uint64_t off;
		if (c->seq) {
			if (pos + bs > env->size)
				pos = 0;
			off = pos;
			pos += bs;
		} else {
			off = bench_next_offset(&s, env->size, bs);
		}
		int64_t n = be->read(ts, buf, bs, off);
		if (n == MMB_EAGAIN && (be->caps & MMB_CAP_NONBLOCK)) {
			not_served++; /* backend.h: counted, not fatal */
			continue;
		}
		if (n != (int64_t)bs) {
			if (n < 0)
				mmb_bench_error(st, "%s",
						mmb_errmsg(msg, sizeof(msg)));
			else
				mmb_bench_error(
				    st, "%s: short read %lld at %llu", be->name,
				    (long long)n, (unsigned long long)off);
			break;
		}
	}
	if (be->caps & MMB_CAP_NONBLOCK)
		mmb_bench_counter(st, "ops_not_served", (double)not_served,
				  MMB_BENCH_COUNTER_DEFAULT);
	mmb_bench_set_items_processed(st, mmb_bench_iterations(st));
	mmb_bench_set_bytes_processed(st,
				      mmb_bench_iterations(st) * (int64_t)bs);
	free(buf);
err_thread:
	if (be->thread_open && be->thread_close)
		be->thread_close(ts);
err_close:
	be->close(state);
}

void bench_register_backends(const struct bench_env *e)
{
	/* static: Google Benchmark keeps the pointers until exit */
	static struct backend_case cases[2 * MAX_BACKENDS];
	env = e;
	for (size_t i = 0; mmb_backends[i]; i++) {
		const struct mmb_backend *be = mmb_backends[i];
		/* checked before the skip below: cases[] is indexed by i, so
		 * an unreadable backend still uses up its two slots */
		if (i == MAX_BACKENDS) {
			fprintf(stderr,
				"mmb_bench: more than %d backends; raise "
				"MAX_BACKENDS in bench/backends.c\n",
				MAX_BACKENDS);
			break;
		}
		if (!(be->caps & MMB_CAP_READ) || !be->read)
			continue;
		char name[128];
		cases[2 * i] = (struct backend_case){be, false};
		cases[2 * i + 1] = (struct backend_case){be, true};
		snprintf(name, sizeof(name), "backend/%s/random-4k", be->name);
		mmb_bench_use_real_time(
		    mmb_bench_register(name, bm_backend, &cases[2 * i]));
		snprintf(name, sizeof(name), "backend/%s/seq-read", be->name);
		mmb_bench_use_real_time(
		    mmb_bench_register(name, bm_backend, &cases[2 * i + 1]));
	}
}
