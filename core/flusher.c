/* SPDX-License-Identifier: MIT */
/* flusher.c - the background thread of the PERIODIC sync policy.
 *
 * Maps with MMB_SYNC_PERIODIC and an interval are listed here. One thread
 * per process, started when the first map is listed and stopped when the
 * last one leaves, sleeps until the earliest deadline of a dirty listed
 * map (the moment it became dirty + its interval) and flushes every map
 * whose deadline passed. With nothing dirty it sleeps without a timeout:
 * an idle process pays no wake-ups at all; a write that makes a clean map
 * dirty wakes it (once per interval at most, as the flush cleans the map).
 *
 * Everything here runs under the global lock (os.h), which the thread also
 * holds while it flushes: remove() and a listed map's remap therefore wait
 * for a flush in progress instead of racing it.
 */
#include <stdlib.h>

#include "internal.h"

struct flusher {
	struct mmb__os_thread *thread;
	bool stop;
};

static struct mmb_map *listed;	/* global lock */
static struct flusher *running; /* global lock */
/* when the thread's current sleep ends (UINT64_MAX: no timeout) */
static uint64_t sleeping_until = UINT64_MAX; /* global lock */
static _Atomic uint64_t wakeups;	     /* read by tests */

uint64_t mmb__flusher_wakeups(void)
{
	return atomic_load(&wakeups);
}

static void run(void *arg)
{
	struct flusher *f = arg;

	mmb__os_global_lock();
	while (!f->stop) {
		uint64_t now = mmb__os_now_ms(), next = UINT64_MAX;

		for (struct mmb_map *m = listed; m; m = m->pnext) {
			uint64_t due;

			if (!atomic_load(&m->dirty))
				continue;
			due = m->dirty_since_ms + m->interval_ms;
			if (due <= now) {
				/* A failed flush keeps the map dirty: try
				 * again one interval later, not at once. */
				if (mmb__map_settle(m))
					m->dirty_since_ms = now;
				else
					continue;
				due = now + m->interval_ms;
			}
			if (due < next)
				next = due;
		}
		sleeping_until = next;
		mmb__os_global_wait(next == UINT64_MAX ? UINT64_MAX
						       : next - now);
		sleeping_until = 0; /* awake: it will look at every map */
		atomic_fetch_add(&wakeups, 1);
	}
	mmb__os_global_unlock();
}

int mmb__flusher_add(struct mmb_map *m)
{
	int rc = 0;

	mmb__os_global_lock();
	if (m->listed)
		goto out;
	if (!running) {
		struct flusher *f = calloc(1, sizeof(*f));

		if (!f) {
			rc = mmb_seterr(MMB_ENOMEM, 0, "calloc(flusher)");
			goto out;
		}
		rc = mmb__os_thread_start(&f->thread, run, f);
		if (rc) {
			free(f);
			goto out;
		}
		running = f;
	}
	m->pnext = listed;
	listed = m;
	m->listed = true;
	m->dirty_since_ms = mmb__os_now_ms();
	/* it may be dirty already: let the thread compute its deadline */
	mmb__os_global_wake();
out:
	mmb__os_global_unlock();
	return rc;
}

void mmb__flusher_remove(struct mmb_map *m)
{
	struct flusher *stop = NULL;

	mmb__os_global_lock();
	if (!m->listed) {
		mmb__os_global_unlock();
		return;
	}
	for (struct mmb_map **p = &listed; *p; p = &(*p)->pnext) {
		if (*p == m) {
			*p = m->pnext;
			break;
		}
	}
	m->listed = false;
	m->pnext = NULL;
	if (!listed) {
		stop = running;
		running = NULL;
		stop->stop = true;
		mmb__os_global_wake();
	}
	mmb__os_global_unlock();
	if (stop) {
		mmb__os_thread_join(stop->thread);
		free(stop);
	}
}

void mmb__flusher_kick(struct mmb_map *m)
{
	mmb__os_global_lock();
	if (m->listed) {
		m->dirty_since_ms = mmb__os_now_ms();
		/* A thread already due to wake before this deadline will see
		 * the map then; waking it now would be a wasted wake-up. */
		if (m->dirty_since_ms + m->interval_ms < sleeping_until)
			mmb__os_global_wake();
	}
	mmb__os_global_unlock();
}

/* In a forked child: no flusher thread exists, so the listed maps are
 * dropped from the list (their policy needs setting again there). */
void mmb__global_forked(void)
{
	struct mmb_map *next;

	for (struct mmb_map *m = listed; m; m = next) {
		next = m->pnext;
		m->listed = false;
		m->pnext = NULL;
	}
	listed = NULL;
	if (running) {
		mmb__os_thread_forget(running->thread);
		free(running);
		running = NULL;
	}
	sleeping_until = UINT64_MAX;
}
