/* SPDX-License-Identifier: MIT */
/* posix/kevents.c - kernel event counts of the timed region (Linux).
 *
 * Every row of MMB_KEVENTS (mmbench/kevents.h) becomes perf events of
 * PERF_TYPE_TRACEPOINT with the id tracefs gives (events/SUBSYS/EVENT/id),
 * opened for this thread with inherit, so the worker threads created
 * afterwards count too, disabled until the timed region starts.
 *
 * - Counts (COUNT, EQ, PAGES): counting events, cpu -1, reading the fd
 *   sums the threads. A field with few values is counted in the kernel
 *   by tracepoint filters (PERF_EVENT_IOC_SET_FILTER): "reason == 2";
 *   a folio's pages with one counter per order ("order == k", weight
 *   2^k). Exact, no samples.
 * - Sums of a field (SUM): every event sampled (sample_period 1,
 *   PERF_SAMPLE_RAW) into one ring buffer per CPU (PERF_EVENT_IOC_SET_
 *   OUTPUT), read after the region. An inherited event with cpu -1
 *   cannot be mmapped (perf_mmap returns EINVAL for inherit on a
 *   per-task, any-CPU event), so these are per-task per-CPU events; the
 *   inherited children write into the parent's buffer. Nobody reads the
 *   buffers during the region (a reader thread would cost a
 *   single-threaded pread loop 4-15%, runner.c): when one overflows, the
 *   event's count (exact) exceeds the samples read and the sum is
 *   unavailable, with how many were lost.
 *
 * Why not a counter per bit of the field ("bytes & 2^b"), exact too: a
 * task's perf events are scheduled out and in at every context switch,
 * about 14 ns each way per event here, and ~250 events (tests/kevents
 * measured 16-20 us per pipe round trip against 3 us) made every I/O
 * wait of a cold run noticeably dearer. Only the events of the current
 * CPU and the cpu -1 ones are switched, ~50 as it is.
 *
 * tracefs is looked for at /sys/kernel/tracing, then
 * /sys/kernel/debug/tracing, and mounted at the first when absent and we
 * are root. What cannot be counted gets a reason, never a 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/perf_event.h>

#include "../kevents.h"
#include "perfbuf.h"
#include "mmb/error.h"

#define TRACEFS	    "/sys/kernel/tracing"
#define TRACEFS_OLD "/sys/kernel/debug/tracing"
/* PAGES rows: one counter per folio order 0..MAX_ORDER (x86-64: 9 for a
 * PMD-sized folio or a 2 MiB hugetlb page) and a guard for larger ones
 * (1 GiB hugetlb pages), which make the row unavailable. */
#define MAX_ORDER 9
#define MAX_FDS	  (MAX_ORDER + 2)
/* Ring buffer per CPU for the SUM rows, sized by mmb__perfbuf_alloc
 * (16 MiB over all CPUs). A sample of these events takes 48-88 bytes:
 * 8 MiB holds ~100k of them. */

/* What the probe found for one row, once per process. */
struct probe {
	long long id;	    /* tracepoint id; -1 unusable (why says why) */
	unsigned off, size; /* of the field in the raw record */
	char why[MMB_KEV_WHY];
};

struct counter {
	int fd;
	uint64_t weight; /* 0: a guard, whose count must stay 0 */
};

struct row {
	unsigned n; /* counters in c[]; SUM: one per CPU */
	struct counter c[MAX_FDS];
	int *cpu_fd;	    /* SUM: ncpu sampling events, -1 where not opened */
	uint64_t seen, sum; /* SUM: samples read and their field's sum */
	char why[MMB_KEV_WHY]; /* non-empty: unavailable */
};

struct mmb__kevents {
	struct row r[MMB_KEV__COUNT];
	int ncpu;
	int *rb_fd;	 /* per CPU: the event whose buffer the others share */
	void **rb;	 /* per CPU: its mapping, NULL none */
	size_t rb_pages; /* data pages of each */
	char rb_why[MMB_KEV_WHY];
};

static struct probe probes[MMB_KEV__COUNT];
static char tracefs[64];
static pthread_once_t probe_once = PTHREAD_ONCE_INIT;

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Where tracefs is, mounting it when absent and allowed; "" and why when
 * it cannot be had. */
static void find_tracefs(char *why, size_t n)
{
	if (is_dir(TRACEFS "/events")) {
		snprintf(tracefs, sizeof(tracefs), "%s", TRACEFS);
		return;
	}
	if (is_dir(TRACEFS_OLD "/events")) {
		snprintf(tracefs, sizeof(tracefs), "%s", TRACEFS_OLD);
		return;
	}
	if (geteuid() != 0) {
		struct stat st;
		if (stat(TRACEFS "/events", &st) != 0 && errno == EACCES)
			snprintf(why, n,
				 TRACEFS "/events: %s (tracepoints need root)",
				 strerror(errno));
		else
			snprintf(why, n,
				 "tracefs not mounted at " TRACEFS
				 " (not root: cannot mount it)");
		return;
	}
	if (mount("nodev", TRACEFS, "tracefs", 0, NULL) != 0) {
		snprintf(why, n, "mount(tracefs, " TRACEFS "): %s",
			 strerror(errno));
		return;
	}
	if (!is_dir(TRACEFS "/events")) {
		snprintf(why, n, "tracefs at " TRACEFS " has no events/");
		return;
	}
	snprintf(tracefs, sizeof(tracefs), "%s", TRACEFS);
}

/* Read a small file of tracefs into buf; false and why when it cannot. */
static bool read_small(const char *path, char *buf, size_t n, char *why,
		       size_t whylen, const char *what)
{
	FILE *f = fopen(path, "r");

	if (!f) {
		if (errno == ENOENT)
			snprintf(why, whylen, "no tracepoint %s in this kernel",
				 what);
		else
			snprintf(why, whylen, "open(%.48s): %s", path,
				 strerror(errno));
		return false;
	}
	size_t got = fread(buf, 1, n - 1, f);
	buf[got] = 0;
	fclose(f);
	return true;
}

/* Find field among the tracepoint's own fields in its format; its offset
 * and size in the raw record. "\tfield:unsigned char order;\toffset:36;
 * \tsize:1;\tsigned:0;" */
static bool field_info(const char *format, const char *field, unsigned *off,
		       unsigned *size)
{
	size_t fl = strlen(field);

	for (const char *p = strstr(format, "field:"); p;
	     p = strstr(p + 6, "field:")) {
		const char *semi = strchr(p, ';');
		if (!semi)
			break;
		const char *name = semi;
		while (name > p && name[-1] != ' ' && name[-1] != '*')
			name--;
		/* Arrays: "char rwbs[10]" */
		const char *br = memchr(name, '[', (size_t)(semi - name));
		size_t len = (size_t)((br ? br : semi) - name);
		if (len != fl || memcmp(name, field, fl) != 0)
			continue;
		return sscanf(semi, "; offset:%u; size:%u;", off, size) == 2;
	}
	return false;
}

static void probe_row(enum mmb_kevent k)
{
	const struct mmb_kevent_def *d = mmb_kevent_def(k);
	struct probe *p = &probes[k];
	char path[512], sys[64], buf[8192];
	const char *colon = strchr(d->source, ':');

	p->id = -1;
	if (d->how == MMB_KEV_HOW_HW) {
		p->id = 0;
		return;
	}
	if (!tracefs[0])
		return; /* why set by the caller */
	snprintf(sys, sizeof(sys), "%.*s", (int)(colon - d->source), d->source);
	snprintf(path, sizeof(path), "%s/events/%s/%s/id", tracefs, sys,
		 colon + 1);
	if (!read_small(path, buf, sizeof(buf), p->why, sizeof(p->why),
			d->source))
		return;
	char *end;
	long long id = strtoll(buf, &end, 10);
	if (end == buf || id < 0) {
		snprintf(p->why, sizeof(p->why), "%s: id file is not a number",
			 d->source);
		return;
	}
	if (d->field[0]) {
		snprintf(path, sizeof(path), "%s/events/%s/%s/format", tracefs,
			 sys, colon + 1);
		if (!read_small(path, buf, sizeof(buf), p->why, sizeof(p->why),
				d->source))
			return;
		if (!field_info(buf, d->field, &p->off, &p->size) ||
		    (p->size != 1 && p->size != 2 && p->size != 4 &&
		     p->size != 8)) {
			snprintf(p->why, sizeof(p->why), "%s has no field %s",
				 d->source, d->field);
			return;
		}
	}
	p->id = id;
}

/* One disabled event per tracepoint, open for the life of the process.
 *
 * When the last perf event on a tracepoint is closed, the kernel
 * unregisters the tracepoint's perf probe and waits for it to be unused
 * (tracepoint_synchronize_unregister, in perf_trace_event_unreg): about
 * 50 ms on the reference VM, for each of the ~18 tracepoints of
 * MMB_KEVENTS, at the end of every repetition -- 2.9 s of a 3.5 s
 * `mmbench run` (strace -T: 72 close() calls of 50-60 ms). An anchor
 * keeps every tracepoint's perf refcount above zero, so the sets of
 * mmb__kevents_open/close register and unregister nothing; the waits
 * happen once, when the process exits. The anchors count on no task
 * (pid -1, CPU 0: never in a task's context, so no cost at context
 * switches) and are never enabled (never on the CPU's event list, so no
 * cost at the tracepoint). Best effort: without them (not allowed
 * system-wide) every set still counts, only its close is slower.
 *
 * The waits at exit are the last closer's: a process that held the
 * anchors alone would take ~18 x 50 ms to exit (0.9 s of every
 * `mmbench run`). So a small child shares them (hand_over) and outlives
 * the process: when the process exits its references go and nothing
 * waits; the child, which holds nothing else (no terminal, no output
 * pipe) and ignores the terminal's signals, sees the end of its pipe and
 * exits in the background, where the kernel unregisters the tracepoints.
 * Without the child (fork failed) the process waits at exit as before. */

/* In the child after fork: async-signal-safe calls only (the process may
 * have threads). keep[0..n) sorted ascending; pipe_rd among them. */
static void __attribute__((noreturn))
holder_main(const int *keep, unsigned n, int pipe_rd)
{
	static const int sigs[] = {SIGINT,  SIGQUIT, SIGTERM, SIGHUP,
				   SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU};
	struct sigaction ign;
	unsigned lo = 0;
	char c;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &ign, NULL);
	/* everything but keep[]: the terminal, output pipes, files */
	for (unsigned i = 0; i <= n; i++) {
		unsigned hi = i < n ? (unsigned)keep[i] : ~0u;
		if (hi > lo && syscall(__NR_close_range, lo, hi - 1, 0) < 0)
			_exit(0); /* cannot tell what it holds: give up */
		lo = hi + 1;
	}
	while (read(pipe_rd, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Fork the child that shares the n anchors fd[]. */
static void hand_over(const int *fd, unsigned n)
{
	int p[2], keep[MMB_KEV__COUNT + 1];

	if (n == 0 || pipe2(p, O_CLOEXEC) < 0)
		return;
	for (unsigned i = 0; i < n; i++)
		keep[i] = fd[i];
	keep[n] = p[0];
	qsort(keep, n + 1, sizeof(int), cmp_int);
	pid_t pid = fork();
	if (pid == 0)
		holder_main(keep, n + 1, p[0]);
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return;
	}
	/* p[1] stays open (close-on-exec) until the process ends: its end
	 * is the child's signal */
}

static void anchor_all(void)
{
	long long done[MMB_KEV__COUNT];
	int fds[MMB_KEV__COUNT];
	unsigned n = 0;

	for (unsigned k = 0; k < MMB_KEV__COUNT; k++) {
		const struct mmb_kevent_def *d = mmb_kevent_def(k);
		bool seen = false;

		if (probes[k].id < 0 || d->how == MMB_KEV_HOW_HW)
			continue;
		for (unsigned i = 0; i < n && !seen; i++)
			seen = done[i] == probes[k].id;
		if (seen)
			continue;
		struct perf_event_attr a;
		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.type = PERF_TYPE_TRACEPOINT;
		a.config = (uint64_t)probes[k].id;
		a.disabled = 1;
		int fd = (int)syscall(__NR_perf_event_open, &a, -1, 0, -1,
				      PERF_FLAG_FD_CLOEXEC);
		if (fd < 0)
			break; /* not allowed: no more anchors */
		fds[n] = fd;
		done[n++] = probes[k].id;
	}
	hand_over(fds, n);
}

static void probe_all(void)
{
	char why[MMB_KEV_WHY] = "";

	find_tracefs(why, sizeof(why));
	for (unsigned k = 0; k < MMB_KEV__COUNT; k++) {
		probe_row(k);
		if (probes[k].id < 0 && !probes[k].why[0])
			snprintf(probes[k].why, sizeof(probes[k].why), "%s",
				 why);
	}
	anchor_all();
}

static void open_errmsg(char *why, size_t n, const char *what, int e)
{
	const char *hint = "";
	if (e == EACCES || e == EPERM)
		hint = " (needs root or perf_event_paranoid -1)";
	else if (e == ENOENT || e == EOPNOTSUPP)
		hint = " (no hardware PMU here)";
	snprintf(why, n, "perf_event_open(%s): %s%s", what, strerror(e), hint);
}

static void attr_of(struct perf_event_attr *a, enum mmb_kevent k)
{
	const struct mmb_kevent_def *d = mmb_kevent_def(k);

	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->disabled = 1;
	a->inherit = 1;
	if (d->how == MMB_KEV_HOW_HW) {
		a->type = PERF_TYPE_HW_CACHE;
		a->config = d->arg;
		a->exclude_hv = 1;
		a->read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
				 PERF_FORMAT_TOTAL_TIME_RUNNING;
	} else {
		a->type = PERF_TYPE_TRACEPOINT;
		a->config = (uint64_t)probes[k].id;
	}
}

/* Add one counting event of row r: the row's tracepoint (or hardware
 * event) with filter (NULL: none). false, r->why set, on failure. */
static bool add_counter(struct row *r, enum mmb_kevent k, const char *filter,
			uint64_t weight)
{
	const struct mmb_kevent_def *d = mmb_kevent_def(k);
	struct perf_event_attr a;

	attr_of(&a, k);
	int fd = mmb__perf_open(&a, -1);
	if (fd < 0) {
		open_errmsg(r->why, sizeof(r->why), d->source, errno);
		return false;
	}
	if (filter && ioctl(fd, PERF_EVENT_IOC_SET_FILTER, filter) != 0) {
		snprintf(r->why, sizeof(r->why), "filter '%.40s' on %s: %s",
			 filter, d->source, strerror(errno));
		close(fd);
		return false;
	}
	r->c[r->n].fd = fd;
	r->c[r->n].weight = weight;
	r->n++;
	return true;
}

static void row_close(struct row *r, int ncpu)
{
	for (unsigned i = 0; i < r->n; i++)
		close(r->c[i].fd);
	r->n = 0;
	for (int c = 0; r->cpu_fd && c < ncpu; c++)
		if (r->cpu_fd[c] >= 0)
			close(r->cpu_fd[c]);
	free(r->cpu_fd);
	r->cpu_fd = NULL;
}

/* The ring buffer of cpu c: a dummy software event of its own (so that
 * closing a row whose open failed half-way never closes the buffer the
 * other rows write to), mapped on first use. Its fd, or -1 with why. */
static int ring_of(struct mmb__kevents *k, int c)
{
	if (k->rb_fd[c] >= 0)
		return k->rb_fd[c];
	if (k->rb_why[0])
		return -1;
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_DUMMY;
	a.disabled = 1;
	a.inherit = 1;
	a.watermark = 1;
	a.wakeup_watermark = (uint32_t)(k->rb_pages * 4096u);
	int fd = mmb__perf_open(&a, c);
	if (fd < 0) {
		open_errmsg(k->rb_why, sizeof(k->rb_why), "dummy", errno);
		return -1;
	}
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	void *m = mmap(NULL, (k->rb_pages + 1) * pg, PROT_READ | PROT_WRITE,
		       MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		snprintf(k->rb_why, sizeof(k->rb_why),
			 "mmap(perf ring buffer, %zu KiB, cpu %d): %s",
			 k->rb_pages * pg / 1024, c, strerror(errno));
		close(fd);
		return -1;
	}
	k->rb[c] = m;
	k->rb_fd[c] = fd;
	return fd;
}

/* SUM: one sampling event per CPU, writing into that CPU's buffer. */
static bool open_sampled(struct mmb__kevents *k, struct row *r,
			 enum mmb_kevent e, const char *filter)
{
	const struct mmb_kevent_def *d = mmb_kevent_def(e);
	struct perf_event_attr a;
	unsigned opened = 0;

	r->cpu_fd = malloc((size_t)k->ncpu * sizeof(int));
	if (!r->cpu_fd) {
		snprintf(r->why, sizeof(r->why), "out of memory");
		return false;
	}
	for (int c = 0; c < k->ncpu; c++)
		r->cpu_fd[c] = -1;
	attr_of(&a, e);
	a.sample_period = 1;
	a.sample_type = PERF_SAMPLE_RAW;
	/* Read once the region is over: no wake-ups. */
	a.watermark = 1;
	a.wakeup_watermark = (uint32_t)(k->rb_pages * 4096u);
	for (int c = 0; c < k->ncpu; c++) {
		int fd = mmb__perf_open(&a, c);
		if (fd < 0 && errno == ENODEV)
			continue; /* offline CPU */
		if (fd < 0) {
			open_errmsg(r->why, sizeof(r->why), d->source, errno);
			return false;
		}
		r->cpu_fd[c] = fd;
		if (filter &&
		    ioctl(fd, PERF_EVENT_IOC_SET_FILTER, filter) != 0) {
			snprintf(r->why, sizeof(r->why),
				 "filter '%.40s' on %s: %s", filter, d->source,
				 strerror(errno));
			return false;
		}
		int out = ring_of(k, c);
		if (out < 0) {
			snprintf(r->why, sizeof(r->why), "%s", k->rb_why);
			return false;
		}
		if (ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, out) != 0) {
			snprintf(r->why, sizeof(r->why),
				 "PERF_EVENT_IOC_SET_OUTPUT(%s, cpu %d): %s",
				 d->source, c, strerror(errno));
			return false;
		}
		opened++;
	}
	if (!opened) {
		snprintf(r->why, sizeof(r->why), "no online CPU to count on");
		return false;
	}
	return true;
}

/* SUM rows that sum only some of their tracepoint's events: a filter
 * ending in " && ", put before the field's. block_rq_issue's "bytes" of
 * a discard request (rwbs "D", "DS") is the range discarded, which no
 * data crosses: on this VM a file deleted by another process made 188 MB
 * of discards that our task dispatched during a cold run reading 75 MB
 * (issue 13, docs/results.md). */
static const char *const sum_only[MMB_KEV__COUNT] = {
    [MMB_KEV_BLK_RQ_BYTES] = "!(rwbs ~ \"*D*\") && ",
};

bool mmb__kevents_platform(void)
{
	return true;
}

const char *mmb__kevents_sum_filter(enum mmb_kevent k)
{
	return (unsigned)k < MMB_KEV__COUNT && sum_only[k] ? sum_only[k] : "";
}

static void row_open(struct mmb__kevents *k, struct row *r, enum mmb_kevent e)
{
	const struct mmb_kevent_def *d = mmb_kevent_def(e);
	const char *only;
	char f[96];
	bool ok = true;

	if (probes[e].id < 0) {
		snprintf(r->why, sizeof(r->why), "%s", probes[e].why);
		return;
	}
	switch (d->how) {
	case MMB_KEV_HOW_COUNT:
	case MMB_KEV_HOW_HW:
		ok = add_counter(r, e, NULL, 1);
		break;
	case MMB_KEV_HOW_EQ:
		snprintf(f, sizeof(f), "%s == %llu", d->field, d->arg);
		ok = add_counter(r, e, f, 1);
		break;
	case MMB_KEV_HOW_PAGES:
		for (unsigned o = 0; ok && o <= MAX_ORDER; o++) {
			snprintf(f, sizeof(f), "%s == %u", d->field, o);
			ok = add_counter(r, e, f, (uint64_t)1 << o);
		}
		snprintf(f, sizeof(f), "%s > %u", d->field, MAX_ORDER);
		ok = ok && add_counter(r, e, f, 0);
		break;
	case MMB_KEV_HOW_SUM:
		/* The common value counted, only the others sampled: a cold
		 * random 4 KiB run has one readahead call and one bio per
		 * op, which would otherwise fill the buffers. */
		only = mmb__kevents_sum_filter(e);
		if (d->arg) {
			snprintf(f, sizeof(f), "%s%s == %llu", only, d->field,
				 d->arg);
			ok = add_counter(r, e, f, d->arg);
			snprintf(f, sizeof(f), "%s%s != %llu", only, d->field,
				 d->arg);
		} else if (only[0]) { /* without its " && " */
			snprintf(f, sizeof(f), "%.*s", (int)strlen(only) - 4,
				 only);
		}
		ok = ok && open_sampled(k, r, e, d->arg || only[0] ? f : NULL);
		break;
	case MMB_KEV_HOW_BYTES:
		break; /* from the PAGES row, in read */
	}
	if (!ok)
		row_close(r, k->ncpu);
}

void mmb__kevents_prepare(void)
{
	if (mmb_kevents_mode() != MMB_KEV_MODE_OFF)
		pthread_once(&probe_once, probe_all);
}

int mmb__kevents_open(struct mmb__kevents **out)
{
	*out = NULL;
	if (mmb_kevents_mode() == MMB_KEV_MODE_OFF)
		return 0;
	pthread_once(&probe_once, probe_all);
	struct mmb__kevents *k = calloc(1, sizeof(*k));
	if (!k)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "calloc(kernel events)");
	k->ncpu = mmb__perfbuf_alloc(&k->rb_fd, &k->rb, &k->rb_pages,
				     "kernel events");
	if (k->ncpu < 0) {
		int rc = k->ncpu;
		free(k);
		return rc;
	}
	for (unsigned i = 0; i < MMB_KEV__COUNT; i++)
		row_open(k, &k->r[i], i);
	*out = k;
	return 0;
}

static void each_fd(struct mmb__kevents *k, unsigned long req)
{
	for (unsigned i = 0; i < MMB_KEV__COUNT; i++) {
		struct row *r = &k->r[i];
		for (unsigned j = 0; j < r->n; j++)
			ioctl(r->c[j].fd, req, 0);
		for (int c = 0; r->cpu_fd && c < k->ncpu; c++)
			if (r->cpu_fd[c] >= 0)
				ioctl(r->cpu_fd[c], req, 0);
	}
}

void mmb__kevents_start(struct mmb__kevents *k)
{
	if (!k)
		return;
	each_fd(k, PERF_EVENT_IOC_RESET);
	each_fd(k, PERF_EVENT_IOC_ENABLE);
}

void mmb__kevents_stop(struct mmb__kevents *k)
{
	if (k)
		each_fd(k, PERF_EVENT_IOC_DISABLE);
}

static uint64_t field_value(const unsigned char *raw, uint32_t len,
			    const struct probe *p, bool *ok)
{
	if (p->off + p->size > len) {
		*ok = false;
		return 0;
	}
	switch (p->size) {
	case 1:
		return raw[p->off];
	case 2: {
		uint16_t v;
		memcpy(&v, raw + p->off, 2);
		return v;
	}
	case 4: {
		uint32_t v;
		memcpy(&v, raw + p->off, 4);
		return v;
	}
	default: {
		uint64_t v;
		memcpy(&v, raw + p->off, 8);
		return v;
	}
	}
}

/* Add one raw sample to the SUM row of its tracepoint (common_type, the
 * record's first u16, is the tracepoint id). */
static void take_sample(struct mmb__kevents *k, const unsigned char *raw,
			uint32_t len)
{
	uint16_t type;

	if (len < 2)
		return;
	memcpy(&type, raw, 2);
	for (unsigned i = 0; i < MMB_KEV__COUNT; i++) {
		if (mmb_kevent_def(i)->how != MMB_KEV_HOW_SUM ||
		    probes[i].id != type || !k->r[i].cpu_fd)
			continue;
		bool ok = true;
		uint64_t v = field_value(raw, len, &probes[i], &ok);
		if (ok) {
			k->r[i].seen++;
			k->r[i].sum += v;
		}
	}
}

/* Read every record of cpu c's buffer (the events are disabled: nothing
 * is written any more). */
static void take_record(const struct perf_event_header *h, const void *rec,
			void *arg)
{
	const unsigned char *r = rec;
	uint32_t len;

	if (h->type != PERF_RECORD_SAMPLE)
		return;
	memcpy(&len, r + sizeof(*h), 4);
	if (sizeof(*h) + 4 + (size_t)len <= h->size)
		take_sample(arg, r + sizeof(*h) + 4, len);
}

static void drain(struct mmb__kevents *k, int c)
{
	unsigned char rec[1024];

	mmb__perfbuf_drain(k->rb[c], k->rb_pages, rec, sizeof(rec), take_record,
			   k);
}

/* The row's value, or NAN with why. */
static double row_value(struct mmb__kevents *k, const struct row *r,
			enum mmb_kevent e, char *why, size_t n)
{
	const struct mmb_kevent_def *d = mmb_kevent_def(e);
	uint64_t v = 0, guard = 0;

	if (r->why[0] || (!r->n && !r->cpu_fd)) {
		snprintf(why, n, "%s", r->why[0] ? r->why : "not opened");
		return NAN;
	}
	if (r->cpu_fd) {
		uint64_t events = 0; /* the sampled ones */
		for (int c = 0; c < k->ncpu; c++) {
			uint64_t x = 0;
			if (r->cpu_fd[c] < 0)
				continue;
			if (read(r->cpu_fd[c], &x, sizeof(x)) != sizeof(x)) {
				snprintf(why, n, "read(%s counter): %s",
					 d->source, strerror(errno));
				return NAN;
			}
			events += x;
		}
		if (r->seen != events) {
			snprintf(why, n,
				 "%llu of %llu %s samples lost (ring buffer "
				 "of %zu KiB per CPU full)",
				 (unsigned long long)(events - r->seen),
				 (unsigned long long)events, d->source,
				 k->rb_pages * 4);
			return NAN;
		}
		v = r->sum;
	}
	for (unsigned i = 0; i < r->n; i++) {
		uint64_t c[3] = {0, 0, 0};
		size_t want =
		    d->how == MMB_KEV_HOW_HW ? sizeof(c) : sizeof(c[0]);
		if (read(r->c[i].fd, c, want) != (ssize_t)want) {
			snprintf(why, n, "read(%s counter): %s", d->source,
				 strerror(errno));
			return NAN;
		}
		if (d->how == MMB_KEV_HOW_HW && c[2] < c[1]) {
			/* Multiplexed with other users of the PMU: a
			 * scaled estimate is not a count. */
			snprintf(why, n,
				 "%s multiplexed: counted %.0f%% of the time",
				 d->source,
				 c[1] ? 100.0 * (double)c[2] / (double)c[1]
				      : 0);
			return NAN;
		}
		if (r->c[i].weight)
			v += c[0] * r->c[i].weight;
		else
			guard += c[0];
	}
	if (guard) {
		snprintf(why, n, "%llu %s events with %s > %u: not counted",
			 (unsigned long long)guard, d->source, d->field,
			 MAX_ORDER);
		return NAN;
	}
	return (double)v;
}

void mmb__kevents_read(struct mmb__kevents *k, struct mmb_kevents *out)
{
	long page = sysconf(_SC_PAGESIZE);

	memset(out, 0, sizeof(*out));
	out->counted = k != NULL;
	for (int c = 0; k && c < k->ncpu; c++)
		if (k->rb[c])
			drain(k, c);
	for (unsigned i = 0; i < MMB_KEV__COUNT; i++) {
		const struct mmb_kevent_def *d = mmb_kevent_def(i);
		if (!k) {
			out->v[i] = NAN;
			snprintf(out->why[i], sizeof(out->why[i]), "%s",
				 mmb_kevents_mode() == MMB_KEV_MODE_OFF
				     ? "not counted (kernel events off)"
				     : "not counted (out of memory)");
			continue;
		}
		if (d->how != MMB_KEV_HOW_BYTES) {
			out->v[i] = row_value(k, &k->r[i], i, out->why[i],
					      sizeof(out->why[i]));
			continue;
		}
		/* The PAGES row of the same tracepoint, read already. */
		int p = -1;
		for (unsigned j = 0; j < i; j++)
			if (mmb_kevent_def(j)->how == MMB_KEV_HOW_PAGES &&
			    strcmp(mmb_kevent_def(j)->source, d->source) == 0)
				p = (int)j;
		if (p < 0) {
			out->v[i] = NAN;
			snprintf(out->why[i], sizeof(out->why[i]),
				 "no pages row for %s in the table", d->source);
		} else if (isnan(out->v[p])) {
			out->v[i] = NAN;
			/* p < i: another row of the same array */
			memcpy(out->why[i], out->why[p], sizeof(out->why[i]));
		} else {
			out->v[i] = out->v[p] * (double)page;
		}
	}
}

void mmb__kevents_close(struct mmb__kevents *k)
{
	if (!k)
		return;
	for (unsigned i = 0; i < MMB_KEV__COUNT; i++)
		row_close(&k->r[i], k->ncpu);
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	for (int c = 0; c < k->ncpu; c++)
		if (k->rb[c]) {
			munmap(k->rb[c], (k->rb_pages + 1) * pg);
			close(k->rb_fd[c]);
		}
	free(k->rb);
	free(k->rb_fd);
	free(k);
}
