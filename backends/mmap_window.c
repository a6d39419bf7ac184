/* SPDX-License-Identifier: MIT */
/* backends/mmap_window.c - mmap through a sliding window (mmb_window) of
 * o->window_size bytes, remapped as ops move outside it: how a program
 * maps a file larger than its address space budget. Each thread gets its
 * own window (thread_open) so threads never wait on each other's remaps.
 *
 * o->advice is applied to every new view (checked after each op through
 * the window's remap count), so the op that moved the window runs without
 * it. Per-write msync covers the view holding the written range; a write
 * that spanned a window boundary left part of itself in an unmapped view,
 * so it is made durable with fdatasync on the file instead.
 *
 * --access inplace/touch (mw_view) run the consumer on the window's view
 * under the core's guard, piece by piece across window boundaries.
 *
 * Metric "remaps": views mapped in the run, every thread's window's first
 * map included (mmb_window_remaps), summed as the threads close.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define MW "mmap-window"

struct mw_state {
	struct mmb_window *w;
	struct mw_state *parent; /* a thread state's open state, else NULL */
	uint64_t remaps_seen;
	uint64_t remaps_closed; /* open state: closed threads' views */
	int advice;
	enum mmb_wsync sync;
	bool writable;
	int fd;	    /* for fdatasync/fsync; owned by the open state */
	char *path; /* owned by the open state */
	uint64_t window_size;
	uint64_t size; /* the file's size at open */
};

static int mw_window(struct mw_state *s)
{
	return mmb_window_open(&s->w, s->path,
			       s->writable ? MMB_ACCESS_RDWR : MMB_ACCESS_READ,
			       s->window_size, 0);
}

static int mw_open(const char *path, uint64_t size,
		   const struct mmb_backend_opts *o, void **state, char *why,
		   size_t whylen)
{
	struct mw_state *s;
	int rc;

	if (o->advice >= MMB_ADV__COUNT)
		return mmb__why(MMB_EINVAL, why, whylen,
				MW ": unknown advice %d", o->advice);
	s = calloc(1, sizeof(*s));
	if (!s)
		return mmb__why(MMB_ENOMEM, why, whylen, MW ": out of memory");
	s->advice = o->advice;
	s->sync = o->sync;
	s->writable = o->writable;
	s->window_size = o->window_size;
	s->size = size;
	s->path = strdup(path);
	if (!s->path) {
		rc = mmb__why(MMB_ENOMEM, why, whylen, MW ": out of memory");
		goto err_free;
	}
	rc = s->fd = mmb__open_file(MW, path, o, 0, why, whylen);
	if (rc < 0)
		goto err_path;
	/* The open state's own window serves callers that skip thread_open
	 * and checks before the run that the file opens and is not empty;
	 * it maps nothing yet (a window maps on first access), so a file
	 * that cannot be mapped still fails on the first op. */
	rc = mw_window(s);
	if (rc < 0) {
		mmb__why_err(rc, MW, why, whylen);
		goto err_close;
	}
	*state = s;
	return 0;

err_close:
	close(s->fd);
err_path:
	free(s->path);
err_free:
	free(s);
	return rc;
}

static int mw_thread_open(void *state, unsigned idx, void **tstate)
{
	struct mw_state *s = state, *t;
	int rc;

	(void)idx;
	t = malloc(sizeof(*t));
	if (!t)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, MW ": malloc");
	*t = *s;
	t->parent = s;
	t->remaps_seen = 0;
	rc = mw_window(t);
	if (rc < 0) {
		free(t);
		return rc;
	}
	*tstate = t;
	return 0;
}

static void mw_thread_close(void *tstate)
{
	struct mw_state *t = tstate;

	if (!t)
		return;
	__atomic_fetch_add(&t->parent->remaps_closed, mmb_window_remaps(t->w),
			   __ATOMIC_RELAXED);
	mmb_window_close(t->w);
	free(t);
}

static unsigned mw_metrics(void *state, struct mmb_backend_metric *out,
			   unsigned max)
{
	struct mw_state *s = state;

	(void)max;
	out[0] = (struct mmb_backend_metric){
	    .name = "remaps",
	    .unit = "views",
	    .value =
		(double)(__atomic_load_n(&s->remaps_closed, __ATOMIC_RELAXED) +
			 mmb_window_remaps(s->w))};
	return 1;
}

/* Apply the advice to a view that appeared since the last op. */
static int mw_advise_new_view(struct mw_state *s)
{
	uint64_t r = mmb_window_remaps(s->w);
	int rc;

	if (r == s->remaps_seen)
		return 0;
	s->remaps_seen = r;
	rc = mmb_map_advise(mmb_window_map(s->w), (enum mmb_advice)s->advice, 0,
			    0);
	return rc < 0 ? rc : 0;
}

static int64_t mw_read(void *tstate, void *buf, size_t len, uint64_t off)
{
	struct mw_state *s = tstate;
	int64_t n = mmb_window_pread(s->w, buf, len, off);
	int rc;

	if (n > 0 && s->advice >= 0 && (rc = mw_advise_new_view(s)) < 0)
		return rc;
	return n;
}

/* An access at pos failed with rc: when the file is now shorter than at
 * open, say so ("file shrank to N bytes during the run (was M), ..."),
 * whether the view faulted (a bus error) or the window that holds pos can
 * no longer be mapped. */
static int mw_shrank(const struct mw_state *s, int rc, uint64_t pos)
{
	uint64_t now;

	if (rc == MMB_ESIGBUS)
		return mmb__shrank(s->path, s->size, rc);
	if (mmb_path_size(s->path, &now) == 0 && now < s->size)
		return mmb_seterr(rc, 0,
				  "file shrank to %llu bytes during the run "
				  "(was %llu): the window holding offset "
				  "%llu cannot be mapped",
				  (unsigned long long)now,
				  (unsigned long long)s->size,
				  (unsigned long long)pos);
	return rc;
}

/* In place: each window the range touches is mapped (a one-byte copy
 * through the window, which also clamps at the file's end and applies the
 * advice), then fn runs on the view under the guard (mmb_map_guard). */
static int64_t mw_view(void *tstate, size_t len, uint64_t off, mmb_view_fn fn,
		       void *arg)
{
	struct mw_state *s = tstate;
	uint64_t pos = off, end = off + len;
	unsigned char byte;

	while (pos < end) {
		long n = mmb_window_pread(s->w, &byte, 1, pos);
		int rc;

		if (n < 0)
			return mw_shrank(s, (int)n, pos);
		if (n == 0) /* the file's end */
			break;
		if (s->advice >= 0 && (rc = mw_advise_new_view(s)) < 0)
			return rc;
		struct mmb_map *m = mmb_window_map(s->w);
		uint64_t vstart = mmb_map_offset(m);
		uint64_t vend = vstart + mmb_map_size(m);
		uint64_t fsize = mmb_window_file_size(s->w);
		uint64_t stop = end < vend ? end : vend;

		stop = stop < fsize ? stop : fsize;
		rc = mmb_map_guard(m, pos - vstart, (size_t)(stop - pos), fn,
				   arg, NULL);
		if (rc < 0)
			return mw_shrank(s, rc, pos);
		pos = stop;
	}
	return (int64_t)(pos - off);
}

static int64_t mw_write(void *tstate, const void *buf, size_t len, uint64_t off)
{
	struct mw_state *s = tstate;
	struct mmb_map *m;
	uint64_t vstart, vend, start;
	int64_t n;
	int rc;

	if (!s->writable)
		return mmb_seterr(MMB_EREADONLY, 0,
				  MW " write(off=%llu, len=%zu): opened "
				     "read-only",
				  (unsigned long long)off, len);
	n = mmb_window_pwrite(s->w, buf, len, off);
	if (n <= 0)
		return n;
	if (s->advice >= 0 && (rc = mw_advise_new_view(s)) < 0)
		return rc;
	if (s->sync != MMB_WSYNC_MSYNC && s->sync != MMB_WSYNC_MSYNC_ASYNC)
		return n;
	m = mmb_window_map(s->w);
	vstart = mmb_map_offset(m);
	vend = vstart + mmb_map_size(m);
	if (off >= vstart && off + (uint64_t)n <= vend) {
		start = mmb_align_down(off - vstart, mmb_page_size());
		rc = mmb_map_flush(m, start, off - vstart + (uint64_t)n - start,
				   s->sync == MMB_WSYNC_MSYNC_ASYNC);
	} else if (s->sync == MMB_WSYNC_MSYNC) {
		rc = fdatasync(s->fd) < 0
			 ? mmb_seterr(-errno, errno, "fdatasync()")
			 : 0;
	} else {
		/* The unmapped part is already queued for write-back, which
		 * is all MS_ASYNC asks; start the rest the same way. */
		rc = sync_file_range(s->fd, (off_t)off, (off_t)n,
				     SYNC_FILE_RANGE_WRITE) < 0
			 ? mmb_seterr(-errno, errno, "sync_file_range()")
			 : 0;
	}
	return rc < 0 ? rc : n;
}

static int mw_sync(void *state)
{
	struct mw_state *s = state;

	/* fsync covers pages dirtied through every thread's views, mapped
	 * or already unmapped. */
	if (s->writable && s->sync == MMB_WSYNC_FSYNC && fsync(s->fd) < 0)
		return mmb_seterr(-errno, errno, "fsync()");
	return 0;
}

static void mw_close(void *state)
{
	struct mw_state *s = state;

	if (!s)
		return;
	mmb_window_close(s->w);
	close(s->fd);
	free(s->path);
	free(s);
}

const struct mmb_backend mmb_backend_mmap_window = {
    .name = "mmap-window",
    .help = "mmap through a sliding window of --window bytes, one "
	    "window per thread, remapped as ops move (memcpy out/in)",
    .caps = MMB_CAP_READ | MMB_CAP_WRITE | MMB_CAP_MAPPED | MMB_CAP_VIEW,
    .open = mw_open,
    .thread_open = mw_thread_open,
    .thread_close = mw_thread_close,
    .read = mw_read,
    .view = mw_view,
    .write = mw_write,
    .sync = mw_sync,
    .metrics = mw_metrics,
    .close = mw_close,
};
