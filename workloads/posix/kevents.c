/* posix/kevents.c - kernel event counts of the timed region (Linux).
 *
 * Every row of MMB_KEVENTS (mmbench/kevents.h) becomes one or more
 * counting perf events: PERF_TYPE_TRACEPOINT with the id tracefs gives
 * (events/SUBSYS/EVENT/id), opened for this thread with inherit, so the
 * worker threads created afterwards count too and reading the fd sums
 * them, cpu -1, disabled until the timed region starts.
 *
 * Values from a field are computed in the kernel by tracepoint filters
 * (PERF_EVENT_IOC_SET_FILTER), not by sampling: a folio's pages are
 * counted with one counter per order ("order == k", weight 2^k), a sum
 * with one counter per bit ("bytes & 2^b", weight 2^b). That is exact and
 * needs no ring buffer, which matters because here (kernel 6.18) an
 * inherited per-task event cannot be mmapped (perf_mmap: EINVAL for
 * inherit with cpu -1), and per-CPU inherited ring buffers would need a
 * reader during the region: a second thread, whose mere existence costs a
 * single-threaded pread loop 4-15% (runner.c), or a buffer sized for
 * every event of a cold run (three samples per missed 4 KiB pread), lost
 * otherwise. A counter per bit costs one filter test per event of that
 * tracepoint, and nothing at all when the event does not fire (a warm
 * run does no readahead and no block I/O).
 *
 * tracefs is looked for at /sys/kernel/tracing, then
 * /sys/kernel/debug/tracing, and mounted at the first when absent and we
 * are root. What cannot be counted gets a reason, never a 0.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/perf_event.h>

#include "../kevents.h"
#include "mmb/error.h"

#define TRACEFS	    "/sys/kernel/tracing"
#define TRACEFS_OLD "/sys/kernel/debug/tracing"
/* PAGES rows: one counter per folio order 0..MAX_ORDER (x86-64: 9 for a
 * PMD-sized folio, 18 for a 1 GiB hugetlb page). */
#define MAX_ORDER 18
#define MAX_FDS	  (MAX_ORDER + 2)
#define SUM_BITS  32

/* What the probe found for one row, once per process. */
struct probe {
	long long id; /* tracepoint id; -1 unusable (why says why) */
	char why[MMB_KEV_WHY];
};

struct counter {
	int fd;
	uint64_t weight; /* 0: a guard, whose count must stay 0 */
};

struct row {
	unsigned n;
	struct counter c[MAX_FDS > SUM_BITS + 1 ? MAX_FDS : SUM_BITS + 1];
	char why[MMB_KEV_WHY]; /* non-empty: unavailable */
};

struct mmb__kevents {
	struct row r[MMB_KEV__COUNT];
};

static struct probe probes[MMB_KEV__COUNT];
static char tracefs[64];
static pthread_once_t probe_once = PTHREAD_ONCE_INIT;
static bool disabled;

void mmb__kevents_enable(bool on)
{
	disabled = !on;
}

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

/* Does the tracepoint's format declare field as a field of its own? */
static bool has_field(const char *format, const char *field)
{
	size_t fl = strlen(field);

	/* "\tfield:unsigned char order;\toffset:..." */
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
		if (len == fl && memcmp(name, field, fl) == 0)
			return true;
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
		if (!has_field(buf, d->field)) {
			snprintf(p->why, sizeof(p->why), "%s has no field %s",
				 d->source, d->field);
			return;
		}
	}
	p->id = id;
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
}

static int perf_open(struct perf_event_attr *a)
{
	return (int)syscall(__NR_perf_event_open, a, 0, -1, -1,
			    PERF_FLAG_FD_CLOEXEC);
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

/* Add one counter of row r: the row's tracepoint (or hardware event) with
 * filter (NULL: none). false, r->why set, on failure. */
static bool add_counter(struct row *r, enum mmb_kevent k, const char *filter,
			uint64_t weight)
{
	const struct mmb_kevent_def *d = mmb_kevent_def(k);
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.disabled = 1;
	a.inherit = 1;
	if (d->how == MMB_KEV_HOW_HW) {
		a.type = PERF_TYPE_HW_CACHE;
		a.config = d->arg;
		a.exclude_hv = 1;
		a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
				PERF_FORMAT_TOTAL_TIME_RUNNING;
	} else {
		a.type = PERF_TYPE_TRACEPOINT;
		a.config = (uint64_t)probes[k].id;
	}
	int fd = perf_open(&a);
	if (fd < 0) {
		open_errmsg(r->why, sizeof(r->why), d->source, errno);
		return false;
	}
	if (filter && ioctl(fd, PERF_EVENT_IOC_SET_FILTER, filter) != 0) {
		snprintf(r->why, sizeof(r->why), "filter '%s' on %s: %s",
			 filter, d->source, strerror(errno));
		close(fd);
		return false;
	}
	r->c[r->n].fd = fd;
	r->c[r->n].weight = weight;
	r->n++;
	return true;
}

static void row_close(struct row *r)
{
	for (unsigned i = 0; i < r->n; i++)
		close(r->c[i].fd);
	r->n = 0;
}

static void row_open(struct row *r, enum mmb_kevent k)
{
	const struct mmb_kevent_def *d = mmb_kevent_def(k);
	char f[96];
	bool ok = true;

	if (probes[k].id < 0) {
		snprintf(r->why, sizeof(r->why), "%s", probes[k].why);
		return;
	}
	switch (d->how) {
	case MMB_KEV_HOW_COUNT:
	case MMB_KEV_HOW_HW:
		ok = add_counter(r, k, NULL, 1);
		break;
	case MMB_KEV_HOW_EQ:
		snprintf(f, sizeof(f), "%s == %llu", d->field, d->arg);
		ok = add_counter(r, k, f, 1);
		break;
	case MMB_KEV_HOW_PAGES:
		for (unsigned o = 0; ok && o <= MAX_ORDER; o++) {
			snprintf(f, sizeof(f), "%s == %u", d->field, o);
			ok = add_counter(r, k, f, (uint64_t)1 << o);
		}
		snprintf(f, sizeof(f), "%s > %u", d->field, MAX_ORDER);
		ok = ok && add_counter(r, k, f, 0);
		break;
	case MMB_KEV_HOW_SUM:
		for (unsigned b = 0; ok && b < d->arg && b < SUM_BITS; b++) {
			snprintf(f, sizeof(f), "%s & %llu", d->field,
				 1ull << b);
			ok = add_counter(r, k, f, (uint64_t)1 << b);
		}
		snprintf(f, sizeof(f), "%s >= %llu", d->field, 1ull << d->arg);
		ok = ok && add_counter(r, k, f, 0);
		break;
	case MMB_KEV_HOW_BYTES:
		break; /* from the PAGES row, in read */
	}
	if (!ok)
		row_close(r);
}

int mmb__kevents_open(struct mmb__kevents **out)
{
	*out = NULL;
	if (disabled)
		return 0;
	pthread_once(&probe_once, probe_all);
	struct mmb__kevents *k = calloc(1, sizeof(*k));
	if (!k)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "calloc(kernel events)");
	for (unsigned i = 0; i < MMB_KEV__COUNT; i++)
		row_open(&k->r[i], i);
	*out = k;
	return 0;
}

static void each_fd(struct mmb__kevents *k, unsigned long req)
{
	for (unsigned i = 0; i < MMB_KEV__COUNT; i++)
		for (unsigned j = 0; j < k->r[i].n; j++)
			ioctl(k->r[i].c[j].fd, req, 0);
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

/* The row's value, or NAN with why. */
static double row_value(const struct row *r, enum mmb_kevent k, char *why,
			size_t n)
{
	const struct mmb_kevent_def *d = mmb_kevent_def(k);
	uint64_t v = 0, guard = 0;

	if (r->why[0] || !r->n) {
		snprintf(why, n, "%s", r->why[0] ? r->why : "not opened");
		return NAN;
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
		snprintf(why, n,
			 "%llu %s events with %s beyond what is counted",
			 (unsigned long long)guard, d->source, d->field);
		return NAN;
	}
	return (double)v;
}

void mmb__kevents_read(struct mmb__kevents *k, struct mmb_kevents *out)
{
	long page = sysconf(_SC_PAGESIZE);

	memset(out, 0, sizeof(*out));
	out->counted = k != NULL;
	for (unsigned i = 0; i < MMB_KEV__COUNT; i++) {
		const struct mmb_kevent_def *d = mmb_kevent_def(i);
		if (!k) {
			out->v[i] = NAN;
			snprintf(out->why[i], sizeof(out->why[i]), "%s",
				 disabled ? "not counted (kernel events off)"
					  : "not counted (out of memory)");
			continue;
		}
		if (d->how != MMB_KEV_HOW_BYTES) {
			out->v[i] = row_value(&k->r[i], i, out->why[i],
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
			snprintf(out->why[i], sizeof(out->why[i]), "%s",
				 out->why[p]);
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
		row_close(&k->r[i]);
	free(k);
}
