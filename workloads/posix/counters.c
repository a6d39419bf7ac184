/* SPDX-License-Identifier: MIT */
/* posix/counters.c - page faults and CPU time of the timed region.
 *
 * perf_event software counters, encoded by libpfm4, opened with inherit so
 * that the worker threads (created after the counters) are counted; reading
 * the parent's fd sums the children. When perf_event is not available here
 * (perf_event_paranoid, seccomp, no libpfm4 event), getrusage(RUSAGE_SELF)
 * deltas: same numbers, whole process. The source is reported either way.
 *
 * Only perfmon's own perf_event.h is included: it clashes with
 * linux/perf_event.h. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <perfmon/pfmlib_perf_event.h>

#include "internal.h"

static const char *const events[3] = {
    "perf::PAGE-FAULTS",
    "perf::MINOR-FAULTS",
    "perf::MAJOR-FAULTS",
};

static struct perf_event_attr attrs[3];
static bool perf_ok;
static char perf_why[MMB_RESULT_MSG];
static pthread_once_t perf_once = PTHREAD_ONCE_INIT;

static int perf_open(struct perf_event_attr *a)
{
	return (int)syscall(__NR_perf_event_open, a, 0, -1, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

static void perf_probe(void)
{
	int rc = pfm_initialize();

	if (rc != PFM_SUCCESS) {
		snprintf(perf_why, sizeof(perf_why), "pfm_initialize: %s",
			 pfm_strerror(rc));
		return;
	}
	for (int i = 0; i < 3; i++) {
		pfm_perf_encode_arg_t arg;
		memset(&arg, 0, sizeof(arg));
		memset(&attrs[i], 0, sizeof(attrs[i]));
		arg.attr = &attrs[i];
		arg.size = sizeof(arg);
		/* Kernel and user: pread's copy to a not-yet-touched user
		 * buffer faults in kernel mode. */
		rc = pfm_get_os_event_encoding(events[i], PFM_PLM0 | PFM_PLM3,
					       PFM_OS_PERF_EVENT, &arg);
		if (rc != PFM_SUCCESS) {
			snprintf(perf_why, sizeof(perf_why),
				 "pfm_get_os_event_encoding(%s): %s", events[i],
				 pfm_strerror(rc));
			return;
		}
		attrs[i].size = sizeof(attrs[i]);
		attrs[i].disabled = 1;
		attrs[i].inherit = 1;
	}
	/* Try one now: a failure here (EACCES from perf_event_paranoid)
	 * decides the source for the whole run. */
	for (int i = 0; i < 3; i++) {
		int fd = perf_open(&attrs[i]);
		if (fd < 0) {
			snprintf(perf_why, sizeof(perf_why),
				 "perf_event_open(%s): %s", events[i],
				 strerror(errno));
			return;
		}
		close(fd);
	}
	perf_ok = true;
}

const char *mmb__fault_source(char *why, size_t whylen)
{
	pthread_once(&perf_once, perf_probe);
	if (why && whylen)
		snprintf(why, whylen, "%s", perf_ok ? "" : perf_why);
	return perf_ok ? "perf_event" : "getrusage";
}

int mmb__counters_open(struct mmb__counters *c, bool perf)
{
	memset(c, 0, sizeof(*c));
	c->fd[0] = c->fd[1] = c->fd[2] = -1;
	mmb__fault_source(NULL, 0);
	if (!perf_ok || !perf)
		return 0;
	for (int i = 0; i < 3; i++) {
		c->fd[i] = perf_open(&attrs[i]);
		if (c->fd[i] < 0) {
			int e = errno;
			mmb__counters_close(c);
			return mmb_seterr(-e, e, "perf_event_open(%s)",
					  events[i]);
		}
	}
	c->perf = true;
	return 0;
}

static uint64_t tv_ns(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000000ull +
	       (uint64_t)tv.tv_usec * 1000ull;
}

static void rusage_now(uint64_t *minor, uint64_t *major, uint64_t *user,
		       uint64_t *sys)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	*minor = (uint64_t)ru.ru_minflt;
	*major = (uint64_t)ru.ru_majflt;
	*user = tv_ns(ru.ru_utime);
	*sys = tv_ns(ru.ru_stime);
}

void mmb__counters_start(struct mmb__counters *c)
{
	rusage_now(&c->ru_minor, &c->ru_major, &c->ru_user_ns, &c->ru_sys_ns);
	if (c->perf)
		for (int i = 0; i < 3; i++) {
			ioctl(c->fd[i], PERF_EVENT_IOC_RESET, 0);
			ioctl(c->fd[i], PERF_EVENT_IOC_ENABLE, 0);
		}
}

void mmb__counters_stop(struct mmb__counters *c, struct mmb__counts *out)
{
	uint64_t minor, major, user, sys;

	if (c->perf)
		for (int i = 0; i < 3; i++)
			ioctl(c->fd[i], PERF_EVENT_IOC_DISABLE, 0);
	rusage_now(&minor, &major, &user, &sys);
	out->user_ns = user - c->ru_user_ns;
	out->sys_ns = sys - c->ru_sys_ns;
	out->ru_faults = (minor - c->ru_minor) + (major - c->ru_major);
	out->split = true;
	if (!c->perf) {
		out->minor = minor - c->ru_minor;
		out->major = major - c->ru_major;
		out->faults = out->minor + out->major;
		return;
	}
	uint64_t v[3] = {0, 0, 0};
	for (int i = 0; i < 3; i++)
		if (read(c->fd[i], &v[i], sizeof(v[i])) != sizeof(v[i]))
			v[i] = 0;
	out->faults = v[0];
	out->minor = v[1];
	out->major = v[2];
}

void mmb__counters_close(struct mmb__counters *c)
{
	for (int i = 0; i < 3; i++)
		if (c->fd[i] >= 0) {
			close(c->fd[i]);
			c->fd[i] = -1;
		}
	c->perf = false;
}
