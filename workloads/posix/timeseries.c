/* SPDX-License-Identifier: MIT */
/* timeseries.c - the sampler thread behind --interval.
 *
 * Every interval it reads the workers' op counters, the process's fault
 * counts, the file's resident pages and the TLB shootdown interrupts, and
 * appends the differences as one sample. It never takes a lock the
 * workers take: their counters are read with relaxed atomic loads. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "timeseries.h"

uint64_t mmb__tlb_shootdowns(void)
{
	FILE *f = fopen("/proc/interrupts", "re");
	char line[4096];
	uint64_t sum = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " ");
		if (strncmp(p, "TLB:", 4) != 0)
			continue;
		p += 4;
		for (;;) {
			char *end;
			unsigned long long v = strtoull(p, &end, 10);
			if (end == p)
				break;
			sum += v;
			p = end;
		}
		break;
	}
	fclose(f);
	return sum;
}

static void faults(uint64_t *minor, uint64_t *major)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0) {
		*minor = *major = 0;
		return;
	}
	*minor = (uint64_t)ru.ru_minflt;
	*major = (uint64_t)ru.ru_majflt;
}

static uint64_t resident(struct mmb__sampler *s)
{
	uint64_t n = 0;
	size_t pages = s->maplen / (size_t)sysconf(_SC_PAGESIZE);

	if (!s->map || mincore(s->map, s->maplen, s->vec) < 0)
		return 0;
	for (size_t i = 0; i < pages; i++)
		n += s->vec[i] & 1;
	return n;
}

static uint64_t ops_now(const struct mmb__sampler *s)
{
	return s->ops(s->ops_ctx);
}

/* Append the interval since the last sample. */
static void sample(struct mmb__sampler *s)
{
	uint64_t now = mmb__now_ns(), ops = ops_now(s), minor, major;
	uint64_t tlb = mmb__tlb_shootdowns();

	faults(&minor, &major);
	if (s->out.n == s->cap) {
		unsigned cap = s->cap ? s->cap * 2 : 64;
		struct mmb_sample *ns = realloc(s->out.s, cap * sizeof(*ns));
		if (!ns)
			return; /* the series ends early; the run goes on */
		s->out.s = ns;
		s->cap = cap;
	}
	double dt = (double)(now - s->last_ns) / 1e9;
	struct mmb_sample *x = &s->out.s[s->out.n++];
	x->t_s = (double)(now - s->t0_ns) / 1e9;
	x->ops = ops - s->last_ops;
	x->ops_per_s = dt > 0 ? (double)x->ops / dt : 0;
	x->minor_faults = minor - s->last_minor;
	x->major_faults = major - s->last_major;
	x->resident_pages = resident(s);
	x->tlb_shootdowns = tlb >= s->last_tlb ? tlb - s->last_tlb : 0;
	s->last_ns = now;
	s->last_ops = ops;
	s->last_minor = minor;
	s->last_major = major;
	s->last_tlb = tlb;
}

static void *sampler_main(void *arg)
{
	struct mmb__sampler *s = arg;
	struct timespec next;
	uint64_t period = (uint64_t)s->interval_ms * 1000000u;
	uint64_t due = s->t0_ns;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		due += period;
		next.tv_sec = (time_t)(due / 1000000000u);
		next.tv_nsec = (long)(due % 1000000000u);
		int rc = 0;
		while (!s->stop && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&s->cv, &s->mu, &next);
		if (s->stop)
			break;
		pthread_mutex_unlock(&s->mu);
		sample(s);
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

int mmb__sampler_start(struct mmb__sampler *s, unsigned interval_ms, int fd,
		       uint64_t size, uint64_t (*ops)(void *ctx), void *ops_ctx)
{
	pthread_condattr_t ca;
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	int rc;

	memset(s, 0, sizeof(*s));
	s->interval_ms = interval_ms;
	s->out.interval_ms = interval_ms;
	s->ops = ops;
	s->ops_ctx = ops_ctx;
	s->maplen = (size_t)size;
	s->map = mmap(NULL, s->maplen, PROT_READ, MAP_SHARED, fd, 0);
	if (s->map == MAP_FAILED) {
		s->map = NULL;
		return mmb_seterr(-errno, errno,
				  "mmap(len=%zu) for the time series",
				  s->maplen);
	}
	s->vec = malloc((s->maplen + pg - 1) / pg);
	if (!s->vec) {
		rc = mmb_seterr(MMB_ENOMEM, ENOMEM, "mincore vector");
		goto err_unmap;
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_init(&ca);
	/* Deadlines on the clock the runner times with. */
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
	faults(&s->last_minor, &s->last_major);
	s->last_tlb = mmb__tlb_shootdowns();
	s->last_ops = ops_now(s);
	s->t0_ns = s->last_ns = mmb__now_ns();
	rc = pthread_create(&s->tid, NULL, sampler_main, s);
	if (rc != 0) {
		rc = mmb_seterr(-rc, rc, "pthread_create(sampler)");
		goto err_sync;
	}
	s->running = true;
	return 0;

err_sync:
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s->vec);
err_unmap:
	munmap(s->map, s->maplen);
	s->map = NULL;
	return rc;
}

void mmb__sampler_stop(struct mmb__sampler *s, struct mmb_series *out)
{
	memset(out, 0, sizeof(*out));
	if (!s->running)
		return;
	pthread_mutex_lock(&s->mu);
	s->stop = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->tid, NULL);
	s->running = false;
	if (mmb__now_ns() - s->last_ns >= 10000000u)
		sample(s);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s->vec);
	munmap(s->map, s->maplen);
	*out = s->out;
	memset(&s->out, 0, sizeof(s->out));
}
