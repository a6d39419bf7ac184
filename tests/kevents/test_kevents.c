/* SPDX-License-Identifier: MIT */
/* Kernel event counts of the timed region, checked against the runner's
 * own measurements: the device bytes of a cold run (/proc/self/io), the
 * pages the ops touched, the perf_event fault counter. Counts only, never
 * times. */
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmbench/kevents.h"
#include "mmbench/result.h"
#include "mmbench/workload.h"
#include "fixture.h"
#include "runopts.h"
#include "test.h"

static struct mmb_run_opts run_opts(const char *workload, uint64_t size,
				    uint64_t ops, const struct mmb_backend **b,
				    unsigned n)
{
	return th_run_opts(workload, kev_path, size, ops, 3, b, n);
}

/* The repetition the kernel events were counted in: the evidence one
 * (--kernel-events separate, the default), else the first measured one;
 * its metrics are of the same run. */
#define SRC(br)	  ((br)->has_evidence ? &(br)->evidence : &(br)->reps[0])
#define M(br, k)  (SRC(br)->m[MMB_M_##k])
#define KV(br, k) (SRC(br)->kev.v[MMB_KEV_##k])

/* Why the tracepoints cannot be tested here, or NULL. */
static const char *no_tracepoints(const struct mmb_backend_result *br)
{
	static char why[MMB_KEV_WHY + 32];
	if (geteuid() != 0)
		return "not root: tracepoints need root";
	if (isnan(KV(br, PC_ADD))) {
		snprintf(why, sizeof(why), "no tracepoints: %s",
			 SRC(br)->kev.why[MMB_KEV_PC_ADD]);
		return why;
	}
	return NULL;
}

/* One cold random-4k mmap run with the given advice on a 64 MiB file;
 * *skip says why it cannot be judged here. */
static int cold_mmap(int advice, struct mmb_run_result **r, const char **skip)
{
	const struct mmb_backend *b[] = {mmb_backend_find("mmap")};

	*skip = NULL;
	if (geteuid() != 0) {
		*skip = "not root: tracepoints and drop_caches need root";
		return 0;
	}
	if (!b[0] || kev_setup(64 * MiB) < 0)
		return -1;
	struct mmb_run_opts o = run_opts("random-4k", 64 * MiB, 4000, b, 1);
	o.cache = MMB_CACHE_COLD;
	o.warmup = false;
	o.bopts.advice = advice;
	if (th_run_resolved(&o, r) < 0)
		return -1;
	const struct mmb_backend_result *br = &(*r)->b[0];
	if (br->status != 0)
		return -1;
	if ((*skip = no_tracepoints(br)))
		return 0;
	if (M(br, RESIDENT_BEFORE) >= 0.01)
		*skip = "page cache could not be dropped";
	else if (isnan(M(br, DEV_READ_BYTES)))
		*skip = "no device counters (/proc/self/io) here";
	return 0;
}

static bool within(double a, double b, double frac)
{
	return fabs(a - b) <= frac * (a > b ? a : b);
}

/* Issue 15: a cold --advice normal random mmap run's page-cache
 * insertions x 4 KiB agree with the device bytes within 10%, as do the
 * bios our tasks submitted; readahead brought in more than was asked. */
TEST_IMPL(kevents_cold_mmap_insertions_match_device)
{
	struct mmb_run_result *r = NULL;
	const char *skip;

	ASSERT_OK(cold_mmap(MMB_ADV_NORMAL, &r, &skip));
	if (skip) {
		mmb_run_result_free(r);
		kev_cleanup();
		SKIP("%s", skip);
	}
	const struct mmb_backend_result *br = &r->b[0];
	double dev = M(br, DEV_READ_BYTES), ins = KV(br, PC_ADD_PAGES) * 4096;
	fprintf(stderr,
		"dev_read_bytes %.0f, insertions %.0f pages = %.0f bytes, "
		"bios %.0f sectors, pages touched %.0f\n",
		dev, KV(br, PC_ADD_PAGES), ins, KV(br, BIO_SECTORS),
		M(br, PAGES_TOUCHED));
	ASSERT(dev > 0);
	ASSERT(within(ins, dev, 0.10));
	ASSERT(within(KV(br, BIO_SECTORS) * 512, dev, 0.10));
	ASSERT_EQ(KV(br, PC_ADD_BYTES), KV(br, PC_ADD_PAGES) * 4096);
	/* Read-around: more pages than the ops touched, through readahead. */
	ASSERT(KV(br, PC_ADD_PAGES) > 1.5 * M(br, PAGES_TOUCHED));
	ASSERT(KV(br, RA_ORDER) + KV(br, RA_SYNC) + KV(br, RA_UNBOUNDED) > 0);
	ASSERT(KV(br, PF_USER) > 0);
	mmb_run_result_free(r);
	kev_cleanup();
	return 0;
}

/* Issue 15: with --advice random, readahead is off for the mapping: the
 * pages brought in fall to about the pages asked for (those the ops
 * touched), and no readahead window is read. */
TEST_IMPL(kevents_advice_random_readahead_falls)
{
	struct mmb_run_result *r = NULL;
	const char *skip;

	ASSERT_OK(cold_mmap(MMB_ADV_RANDOM, &r, &skip));
	if (skip) {
		mmb_run_result_free(r);
		kev_cleanup();
		SKIP("%s", skip);
	}
	const struct mmb_backend_result *br = &r->b[0];
	double touched = M(br, PAGES_TOUCHED);
	double ra = KV(br, RA_ORDER_PAGES) + KV(br, RA_SYNC_PAGES) +
		    KV(br, RA_ASYNC_PAGES) + KV(br, RA_UNBOUNDED_PAGES);
	fprintf(stderr,
		"pages touched %.0f, insertions %.0f pages, readahead %.0f "
		"pages, major faults %.0f, dev_read_bytes %.0f\n",
		touched, KV(br, PC_ADD_PAGES), ra, M(br, MAJOR_FAULTS),
		M(br, DEV_READ_BYTES));
	ASSERT(touched > 1000);
	ASSERT(within(KV(br, PC_ADD_PAGES), touched, 0.10));
	ASSERT(ra <= 0.10 * touched);
	ASSERT(
	    within(KV(br, PC_ADD_PAGES) * 4096, M(br, DEV_READ_BYTES), 0.10));
	/* One fault per page brought in, each from user mode. */
	ASSERT(within(KV(br, PF_USER), M(br, FAULTS), 0.02));
	mmb_run_result_free(r);
	kev_cleanup();
	return 0;
}

/* Worker threads inherit the counters: with 2 threads the main thread
 * does no op, so every event is a worker's. Cold, --advice random: each
 * page the ops touch is one insertion and one user fault, and the
 * tracepoint's faults agree with the perf_event fault counter (inherited
 * the same way). */
TEST_IMPL(kevents_threads_inherit)
{
	const struct mmb_backend *b[] = {mmb_backend_find("mmap")};
	struct mmb_run_result *r;

	ASSERT(b[0]);
	if (geteuid() != 0)
		SKIP("not root: tracepoints and drop_caches need root");
	ASSERT_OK(kev_setup(32 * MiB));
	struct mmb_run_opts o = run_opts("random-4k", 32 * MiB, 4000, b, 1);
	o.wl.threads = 2;
	o.cache = MMB_CACHE_COLD;
	o.bopts.advice = MMB_ADV_RANDOM;
	/* inline: the perf_event fault counters and the tracepoints in the
	 * same (measured) repetitions, both inherited by the workers */
	ASSERT_OK(th_run_resolved_in(&o, &r, MMB_KEV_MODE_INLINE));
	const struct mmb_backend_result *br = &r->b[0];
	ASSERT_EQ(br->status, 0);
	const char *skip = no_tracepoints(br);
	if (!skip && strcmp(r->fault_source, "perf_event") != 0)
		skip = "faults come from getrusage here: nothing to compare";
	if (!skip && M(br, RESIDENT_BEFORE) >= 0.01)
		skip = "page cache could not be dropped";
	if (skip) {
		mmb_run_result_free(r);
		kev_cleanup();
		SKIP("%s", skip);
	}
	fprintf(stderr,
		"faults %.0f, page_fault_user %.0f, kernel %.0f, insertions "
		"%.0f, pages touched %.0f\n",
		M(br, FAULTS), KV(br, PF_USER), KV(br, PF_KERNEL),
		KV(br, PC_ADD_PAGES), M(br, PAGES_TOUCHED));
	ASSERT(M(br, PAGES_TOUCHED) > 1000);
	ASSERT(
	    within(KV(br, PF_USER) + KV(br, PF_KERNEL), M(br, FAULTS), 0.02));
	ASSERT(within(KV(br, PC_ADD_PAGES), M(br, PAGES_TOUCHED), 0.10));
	/* Sampled sums: the workers' samples land in the buffers of the
	 * events they inherited. */
	if (!isnan(M(br, DEV_READ_BYTES)))
		ASSERT(within(KV(br, BIO_SECTORS) * 512, M(br, DEV_READ_BYTES),
			      0.10));
	/* the aggregates carry them too */
	ASSERT_EQ(br->median.kev.v[MMB_KEV_PF_USER], KV(br, PF_USER));
	mmb_run_result_free(r);
	kev_cleanup();
	return 0;
}

/* A value that could not be had is NAN with a reason, in the result and
 * as null plus kernel_events_unavailable in the JSON; one that was counted
 * has none. */
TEST_IMPL(kevents_every_null_has_reason)
{
	const struct mmb_backend *b[] = {mmb_backend_find("pread")};
	struct mmb_run_result *r;
	char json[160];
	char *text;
	size_t len;

	ASSERT_OK(kev_setup(16 * MiB));
	struct mmb_run_opts o = run_opts("random-4k", 16 * MiB, 500, b, 1);
	ASSERT_OK(th_run_resolved(&o, &r));
	const struct mmb_backend_result *br = &r->b[0];
	ASSERT_EQ(br->status, 0);
	unsigned nan = 0;
	for (unsigned k = 0; k < MMB_KEV__COUNT; k++) {
		const struct mmb_kevents *e = &SRC(br)->kev;
		if (isnan(e->v[k])) {
			nan++;
			ASSERT(e->why[k][0] != 0);
			ASSERT(br->median.kev.why[k][0] != 0);
			ASSERT(isnan(br->median.kev.v[k]));
		} else {
			ASSERT(e->v[k] >= 0);
		}
	}
	snprintf(json, sizeof(json), "%s/r.json", kev_dir);
	ASSERT_OK(mmb_report_json(r, json));
	ASSERT_OK(mmb_read_file(json, &text, &len));
	ASSERT(strstr(text, "\"kernel_events\": {") != NULL);
	ASSERT(strstr(text, "\"pagecache_add_pages\": ") != NULL);
	ASSERT((strstr(text, "\"kernel_events_unavailable\"") != NULL) ==
	       (nan > 0));
	free(text);
	mmb_run_result_free(r);
	kev_cleanup();
	return 0;
}

/* Counting off: every value NAN with "not counted", never a 0. */
TEST_IMPL(kevents_off_is_null_not_zero)
{
	const struct mmb_backend *b[] = {mmb_backend_find("pread")};
	struct mmb_run_result *r;

	ASSERT_OK(kev_setup(16 * MiB));
	struct mmb_run_opts o = run_opts("random-4k", 16 * MiB, 500, b, 1);
	ASSERT_OK(mmb_workload_resolve(o.workload, &o.wl));
	mmb_kevents_enable(false);
	int rc = mmb_run(&o, &r);
	mmb_kevents_enable(true);
	ASSERT_OK(rc);
	const struct mmb_backend_result *br = &r->b[0];
	ASSERT_EQ(br->status, 0);
	ASSERT(!br->reps[0].kev.counted);
	for (unsigned k = 0; k < MMB_KEV__COUNT; k++) {
		ASSERT(isnan(br->reps[0].kev.v[k]));
		ASSERT(strstr(br->reps[0].kev.why[k], "not counted") != NULL);
	}
	mmb_run_result_free(r);
	kev_cleanup();
	return 0;
}

/* Perf event fds and all fds of process pid (/proc/PID/fd). */
static void fds_of(pid_t pid, int *perf, int *all)
{
	char dir[64];
	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	DIR *d = opendir(dir);
	struct dirent *e;

	*perf = *all = 0;
	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[600], link[64];
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		ssize_t k = readlink(path, link, sizeof(link) - 1);
		if (k <= 0)
			continue;
		link[k] = 0;
		(*all)++;
		*perf += strcmp(link, "anon_inode:[perf_event]") == 0;
	}
	closedir(d);
}

/* Open perf events of this process: fds whose link is
 * anon_inode:[perf_event]. */
static int perf_fds(void)
{
	int perf, all;

	fds_of(getpid(), &perf, &all);
	return perf;
}

/* A short warm pread run (500 random 4 KiB reads) on a new 16 MiB file;
 * *o for more runs of it, *skip why the tracepoints cannot be counted
 * here (NULL: they can). */
static int short_pread_run(struct mmb_run_opts *o, const char **skip)
{
	static const struct mmb_backend *b[1];
	struct mmb_run_result *r;

	b[0] = mmb_backend_find("pread");
	ASSERT(b[0]);
	ASSERT_OK(kev_setup(16 * MiB));
	*o = run_opts("random-4k", 16 * MiB, 500, b, 1);
	ASSERT_OK(th_run_resolved(o, &r));
	ASSERT_EQ(r->b[0].status, 0);
	*skip = no_tracepoints(&r->b[0]);
	mmb_run_result_free(r);
	return 0;
}

/* The tracepoints stay registered from one set of events to the next
 * (posix/kevents.c, anchor_all): closing a repetition's events must not
 * wait ~50 ms per tracepoint for the kernel to unregister it. After a
 * run, one disabled event per tracepoint is left, and a second run adds
 * none (the repetitions' own events are all closed). */
TEST_IMPL(kevents_tracepoints_stay_registered)
{
	struct mmb_run_result *r;
	struct mmb_run_opts o;
	const char *skip;

	ASSERT_OK(short_pread_run(&o, &skip));
	if (skip) {
		kev_cleanup();
		SKIP("%s", skip);
	}
	int after1 = perf_fds();
	ASSERT(after1 > 0);
	ASSERT_OK(th_run_resolved(&o, &r));
	ASSERT_EQ(r->b[0].status, 0);
	mmb_run_result_free(r);
	ASSERT_EQ(perf_fds(), after1);
	kev_cleanup();
	return 0;
}

/* The children of this process (/proc/PID/stat's ppid), up to max. */
static int children(pid_t *out, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) && n < max) {
		char path[300], buf[512];
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		size_t k = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[k] = 0;
		/* pid (comm) state ppid ...: comm may hold spaces */
		const char *rp = strrchr(buf, ')');
		int ppid;
		if (rp && sscanf(rp + 1, " %*c %d", &ppid) == 1 &&
		    ppid == (int)getpid())
			out[n++] = (pid_t)atoi(e->d_name);
	}
	closedir(d);
	return n;
}

/* A process does not wait ~50 ms per tracepoint when it exits: a child
 * shares the anchors (posix/kevents.c, hand_over), holding them and one
 * pipe and nothing else -- not this process's terminal, output pipes or
 * files, which would keep a reader of its output waiting -- so that the
 * kernel unregisters the tracepoints after this process is gone. */
TEST_IMPL(kevents_anchors_held_by_a_child)
{
	struct mmb_run_opts o;
	const char *skip;
	pid_t kids[64];

	ASSERT_OK(short_pread_run(&o, &skip));
	if (skip) {
		kev_cleanup();
		SKIP("%s", skip);
	}
	int mine = perf_fds(), found = 0;
	ASSERT(mine > 0);
	int n = children(kids, 64);
	ASSERT(n >= 1);
	for (int i = 0; i < n; i++) {
		int perf, all;
		fds_of(kids[i], &perf, &all);
		if (perf == 0)
			continue;
		found++;
		/* the anchors (this process's perf events after a run) and
		 * the pipe whose end tells it this process ended */
		ASSERT_EQ(perf, mine);
		ASSERT_EQ(all, mine + 1);
	}
	ASSERT_EQ(found, 1);
	kev_cleanup();
	return 0;
}
