/* SPDX-License-Identifier: MIT */
/* window.c - a file larger than one view, accessed through a sliding view.
 *
 * Like Git's packfile windows, but with a single view: window k covers the
 * file bytes [k*size, (k+1)*size). An access outside the current window
 * remaps the view; an access spanning a boundary is split into pieces, one
 * per window. Every (re)map is counted so results can report it.
 *
 * A copy-on-write view holds the only copy of what was written through it,
 * so a written COW view is never unmapped when the window slides: it is
 * set aside (in `kept`) and used again when an access comes back to its
 * window. Memory grows with the number of windows written.
 */
#include <limits.h>
#include <stdlib.h>

#include "internal.h"

#define DEFAULT_WINDOW (1ull << 30)
#define ULL(x)	       ((unsigned long long)(x))

struct mmb_window {
	struct mmb__os_mutex *mu;
	int fd; /* kept for the first map; the view dups its own */
	enum mmb_access access;
	unsigned flags;
	uint64_t file_size;
	uint64_t window_size;
	uint64_t pos;
	struct mmb_map *view;  /* NULL before the first access */
	bool written;	       /* COW: view holds private writes */
	struct mmb_map **kept; /* COW: written views set aside */
	size_t nkept, capkept;
	uint64_t maps;
	enum mmb_sync_policy sync;
	unsigned interval_ms;
};

int mmb_window_open(struct mmb_window **out, const char *path,
		    enum mmb_access access, uint64_t window_size,
		    unsigned flags)
{
	struct mmb_window *w;
	uint64_t gran;
	int rc;

	if (!out || !path)
		return mmb_seterr(MMB_EINVAL, 0, "mmb_window_open(NULL)");
	if ((unsigned)access > MMB_ACCESS_COW)
		return mmb_seterr(MMB_EINVAL, 0, "window(access=%d): unknown",
				  (int)access);
	if (flags & MMB_MAP_CREATE)
		return mmb_seterr(MMB_EINVAL, 0,
				  "window(MMB_MAP_CREATE): a window maps an "
				  "existing file");
	gran = mmb_alloc_granularity();
	if (flags & MMB_MAP_HUGETLB) {
		gran = mmb_huge_page_size();
		if (!gran)
			return mmb_seterr(MMB_ENOTSUP, 0,
					  "window(hugetlb): no huge page size");
	}
	/* Rounding up must not wrap around to a zero-sized window. */
	if (window_size > UINT64_MAX - (gran - 1))
		return mmb_seterr(MMB_EINVAL, 0,
				  "window(size=%llu): larger than any file",
				  ULL(window_size));
	w = calloc(1, sizeof(*w));
	if (!w)
		return mmb_seterr(MMB_ENOMEM, 0, "calloc(struct mmb_window)");
	w->access = access;
	w->flags = flags;
	w->window_size =
	    mmb_align_up(window_size ? window_size : DEFAULT_WINDOW, gran);
	w->sync = MMB_SYNC_NEVER;
	rc = mmb__os_mutex_new(&w->mu);
	if (rc)
		goto err_free;
	rc = mmb__os_open(path, access, 0, 0, &w->fd);
	if (rc)
		goto err_mutex;
	rc = mmb__os_file_size(w->fd, &w->file_size);
	if (rc)
		goto err_close;
	if (w->file_size == 0) {
		rc = mmb_seterr(MMB_EBADOFF, 0, "window(%s): file is empty",
				path);
		goto err_close;
	}
	*out = w;
	return 0;

err_close:
	mmb__os_close(w->fd);
err_mutex:
	mmb__os_mutex_free(w->mu);
err_free:
	free(w);
	return rc;
}

int mmb_window_close(struct mmb_window *w)
{
	int rc;

	if (!w)
		return 0;
	rc = mmb_map_close(w->view);
	for (size_t i = 0; i < w->nkept; i++)
		mmb_map_close(w->kept[i]);
	free(w->kept);
	mmb__os_close(w->fd);
	mmb__os_mutex_free(w->mu);
	free(w);
	return rc;
}

uint64_t mmb_window_file_size(const struct mmb_window *w)
{
	return w ? w->file_size : 0;
}

/* Set the current (written, copy-on-write) view aside. */
static int keep_view(struct mmb_window *w)
{
	if (w->nkept == w->capkept) {
		size_t cap = w->capkept ? 2 * w->capkept : 8;
		struct mmb_map **k = realloc(w->kept, cap * sizeof(*k));

		if (!k)
			return mmb_seterr(MMB_ENOMEM, 0,
					  "window(COW): realloc(%zu views)",
					  cap);
		w->kept = k;
		w->capkept = cap;
	}
	w->kept[w->nkept++] = w->view;
	w->view = NULL;
	w->written = false;
	return 0;
}

/* Make the view cover the window holding file offset off. */
static int slide(struct mmb_window *w, uint64_t off)
{
	uint64_t start = mmb_align_down(off, w->window_size);
	uint64_t len = w->file_size - start;
	struct mmb_map_opts o = {.access = w->access, .flags = w->flags};
	int rc;

	if (len > w->window_size)
		len = w->window_size;
	/* The right window, and as long as the file now allows (the last
	 * window is remapped when the file grew). A written COW view stays
	 * whatever its length: remapping would drop its private bytes. */
	if (w->view && mmb_map_valid(w->view) &&
	    mmb_map_offset(w->view) == start &&
	    (mmb_map_size(w->view) == len || w->written))
		return 0;
	if (w->written) {
		rc = keep_view(w);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < w->nkept; i++) {
		if (mmb_map_offset(w->kept[i]) != start)
			continue;
		/* Back to a written COW window: swap it in, no new map. */
		if (w->view) {
			rc = mmb_map_close(w->view);
			w->view = NULL;
			if (rc)
				return rc;
		}
		w->view = w->kept[i];
		w->kept[i] = w->kept[--w->nkept];
		w->written = true;
		return 0;
	}
	if (!w->view) {
		o.offset = start;
		o.length = len;
		rc = mmb_map_fd(&w->view, w->fd, &o);
		if (rc)
			return rc;
		rc = mmb_map_set_sync(w->view, w->sync, w->interval_ms);
		if (rc)
			return rc;
	} else {
		rc = mmb_map_remap(w->view, start, len);
		if (rc)
			return rc;
	}
	w->maps++;
	return 0;
}

/* Re-read the file's size when an access reaches past the size last seen:
 * the file may have grown since the window was opened. */
static int refresh_size(struct mmb_window *w, size_t len, uint64_t off)
{
	if (off < w->file_size && len <= w->file_size - off)
		return 0;
	return mmb__os_file_size(w->fd, &w->file_size);
}

/* Copy len bytes at off, window by window; caller holds the lock. */
static long transfer(struct mmb_window *w, void *buf, size_t len, uint64_t off,
		     bool write)
{
	size_t done = 0, n;
	uint64_t rel;
	int rc;

	if (write && w->access == MMB_ACCESS_READ)
		return mmb_seterr(MMB_EREADONLY, 0,
				  "window write(offset=%llu, len=%zu)",
				  ULL(off), len);
	rc = refresh_size(w, len, off);
	if (rc)
		return rc;
	if (off >= w->file_size)
		return 0;
	if (len > w->file_size - off)
		len = (size_t)(w->file_size - off);
	if (len > LONG_MAX)
		len = LONG_MAX;
	while (done < len) {
		rc = slide(w, off + done);
		if (rc)
			return rc;
		rel = off + done - mmb_map_offset(w->view);
		/* only a kept COW view can be shorter than its window */
		if (rel >= mmb_map_size(w->view))
			break;
		n = len - done;
		if (n > mmb_map_size(w->view) - rel)
			n = (size_t)(mmb_map_size(w->view) - rel);
		if (write)
			rc = mmb_map_write(w->view, rel, (char *)buf + done, n);
		else
			rc = mmb_map_read(w->view, rel, (char *)buf + done, n);
		/* The file shrank: learn its size, so the next access is
		 * clamped to it instead of faulting again. */
		if (rc == MMB_ESIGBUS)
			mmb__os_file_size(w->fd, &w->file_size);
		if (rc)
			return rc;
		if (write && w->access == MMB_ACCESS_COW)
			w->written = true;
		done += n;
	}
	return (long)done;
}

long mmb_window_pread(struct mmb_window *w, void *buf, size_t len, uint64_t off)
{
	long r;

	if (!w)
		return mmb_seterr(MMB_EINVAL, 0, "mmb_window_pread(NULL)");
	mmb__os_mutex_lock(w->mu);
	r = transfer(w, buf, len, off, false);
	mmb__os_mutex_unlock(w->mu);
	return r;
}

long mmb_window_pwrite(struct mmb_window *w, const void *buf, size_t len,
		       uint64_t off)
{
	long r;

	if (!w)
		return mmb_seterr(MMB_EINVAL, 0, "mmb_window_pwrite(NULL)");
	mmb__os_mutex_lock(w->mu);
	/* transfer() only reads from buf when writing. */
	r = transfer(w, (void *)buf, len, off, true);
	mmb__os_mutex_unlock(w->mu);
	return r;
}

static long at_position(struct mmb_window *w, void *buf, size_t len, bool write)
{
	long r;

	if (!w)
		return mmb_seterr(MMB_EINVAL, 0, "mmb_window_%s(NULL)",
				  write ? "write" : "read");
	mmb__os_mutex_lock(w->mu);
	r = transfer(w, buf, len, w->pos, write);
	if (r > 0)
		w->pos += (uint64_t)r;
	mmb__os_mutex_unlock(w->mu);
	return r;
}

long mmb_window_read(struct mmb_window *w, void *buf, size_t len)
{
	return at_position(w, buf, len, false);
}

long mmb_window_write(struct mmb_window *w, const void *buf, size_t len)
{
	return at_position(w, (void *)buf, len, true);
}

int64_t mmb_window_seek(struct mmb_window *w, int64_t off, int whence)
{
	int64_t r;

	if (!w)
		return mmb_seterr(MMB_EINVAL, 0, "mmb_window_seek(NULL)");
	mmb__os_mutex_lock(w->mu);
	/* SEEK_END means the end of the file as it is now */
	r = whence == 2 ? mmb__os_file_size(w->fd, &w->file_size) : 0;
	if (!r)
		r = mmb__seek(w->pos, w->file_size, off, whence);
	if (r >= 0)
		w->pos = (uint64_t)r;
	mmb__os_mutex_unlock(w->mu);
	return r;
}

uint64_t mmb_window_remaps(const struct mmb_window *w)
{
	return w ? w->maps : 0;
}

struct mmb_map *mmb_window_map(struct mmb_window *w)
{
	return w ? w->view : NULL;
}

uint64_t mmb_window_size(const struct mmb_window *w)
{
	return w ? w->window_size : 0;
}

int mmb_window_set_sync(struct mmb_window *w, enum mmb_sync_policy p,
			unsigned interval_ms)
{
	int rc = 0;

	if (!w)
		return mmb_seterr(MMB_EINVAL, 0, "mmb_window_set_sync(NULL)");
	if ((unsigned)p > MMB_SYNC_LAZY)
		return mmb_seterr(MMB_EINVAL, 0, "set_sync(policy=%d): unknown",
				  (int)p);
	mmb__os_mutex_lock(w->mu);
	if (w->view)
		rc = mmb_map_set_sync(w->view, p, interval_ms);
	if (!rc) {
		w->sync = p;
		w->interval_ms = interval_ms;
	}
	mmb__os_mutex_unlock(w->mu);
	return rc;
}

uint64_t mmb_window_flushes(const struct mmb_window *w)
{
	return w ? mmb_map_flushes(w->view) : 0;
}
