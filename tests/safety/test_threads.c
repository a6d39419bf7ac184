/* SPDX-License-Identifier: MIT */
/* test_threads.c - threads never touch bytes another thread writes
 * (issue 20, item 15): with --threads N every thread's ops of a workload
 * that writes fall in its own part of the file, so a mapped backend's
 * copies cannot race. A recording backend notes, per thread, the range
 * its ops touched. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "mmbench/backend.h"
#include "mmbench/workload.h"
#include "runopts.h"
#include "safety.h"
#include "test.h"
#include "testutil.h"

#define THREADS 4

struct span {
	uint64_t lo, hi, writes;
};

static struct span spans[THREADS];

static int rec_open(const char *p, uint64_t size,
		    const struct mmb_backend_opts *o, void **state, char *why,
		    size_t whylen)
{
	(void)p, (void)size, (void)o, (void)why, (void)whylen;
	for (int t = 0; t < THREADS; t++)
		spans[t] = (struct span){UINT64_MAX, 0, 0};
	*state = spans;
	return 0;
}

static int rec_thread_open(void *state, unsigned idx, void **ts)
{
	*ts = &((struct span *)state)[idx];
	return 0;
}

static void rec_thread_close(void *ts)
{
	(void)ts;
}

static int64_t rec_write(void *ts, const void *buf, size_t len, uint64_t off)
{
	struct span *s = ts;
	(void)buf;
	s->lo = off < s->lo ? off : s->lo;
	s->hi = off + len > s->hi ? off + len : s->hi;
	s->writes++;
	return (int64_t)len;
}

static int64_t rec_read(void *ts, void *buf, size_t len, uint64_t off)
{
	struct span *s = ts;
	(void)buf;
	s->lo = off < s->lo ? off : s->lo;
	s->hi = off + len > s->hi ? off + len : s->hi;
	return (int64_t)len;
}

static void rec_close(void *state)
{
	(void)state;
}

static const struct mmb_backend recorder = {
    .name = "recorder",
    .help = "records each thread's range",
    .caps = MMB_CAP_READ | MMB_CAP_WRITE,
    .open = rec_open,
    .thread_open = rec_thread_open,
    .thread_close = rec_thread_close,
    .read = rec_read,
    .write = rec_write,
    .close = rec_close,
};

TEST_IMPL(threads_write_apart)
{
	static const char *const wls[] = {"random-write-4k", "seq-write",
					  "rw-mix"};
	const struct mmb_backend *b[] = {&recorder};
	char path[300];
	bool created;

	ASSERT_OK(sf_setup());
	snprintf(path, sizeof(path), "%s", sf_in("data"));
	ASSERT_OK(mmb_testfile_prepare(path, 16 << 20, NULL, &created, NULL));
	for (size_t k = 0; k < sizeof(wls) / sizeof(wls[0]); k++) {
		struct mmb_run_result *r;
		struct mmb_run_opts o =
		    th_run_opts(wls[k], path, 16 << 20, 20000, 3, b, 1);
		ASSERT(o.workload);
		o.wl.threads = THREADS;
		ASSERT_OK(th_run_resolved(&o, &r));
		ASSERT_EQ(r->b[0].status, 0);
		mmb_run_result_free(r);
		for (int t = 0; t < THREADS; t++) {
			fprintf(stderr,
				"%s thread %d: %llu writes in [%llu, %llu)\n",
				wls[k], t, (unsigned long long)spans[t].writes,
				(unsigned long long)spans[t].lo,
				(unsigned long long)spans[t].hi);
			ASSERT(spans[t].writes > 0);
			ASSERT(spans[t].hi <= 16 << 20);
			for (int u = 0; u < t; u++)
				ASSERT(spans[u].hi <= spans[t].lo ||
				       spans[t].hi <= spans[u].lo);
		}
	}
	sf_cleanup();
	return 0;
}

/* The case through mmbench: every backend, writes from two
 * threads. Under TSan (scripts/test.sh's tsan build) a race between the
 * threads' stores makes mmbench exit 66. */
TEST_IMPL(threads_mapped_writes_clean)
{
	ASSERT_OK(sf_setup());
	int rc = sf_run("run", "-w", "random-write-4k", "-b", "all",
			"--threads", "2", "--size", "16M", "--ops", "20000",
			"--reps", "1", "--no-warmup", NULL);
	if (rc != 0)
		fprintf(stderr, "exit %d: %s\n", rc, sf_err());
	ASSERT_EQ(rc, 0);
	sf_cleanup();
	return 0;
}
