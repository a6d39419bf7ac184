/* SPDX-License-Identifier: MIT */
/* map.c - mapped views: open, bounds checks, guarded copies and calls,
 * advice, flushes, sync policies and remaps. OS calls go through os.h. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define ULL(x) ((unsigned long long)(x))

static int not_mapped(const char *op)
{
	return mmb_seterr(MMB_ENOTMAPPED, 0, "%s(): handle is not mapped", op);
}

size_t mmb__map_page(const struct mmb_map *m)
{
	if (m->flags & MMB_MAP_HUGETLB)
		return mmb_huge_page_size();
	return mmb_page_size();
}

int mmb__map_new(struct mmb_map **out, int fd, enum mmb_access access,
		 unsigned flags)
{
	struct mmb_map *m = calloc(1, sizeof(*m));

	if (!m)
		return mmb_seterr(MMB_ENOMEM, 0, "calloc(struct mmb_map)");
	m->fd = fd;
	m->access = access;
	m->flags = flags;
	m->sync = MMB_SYNC_NEVER;
	atomic_init(&m->last_flush_ms, mmb__os_now_ms());
	atomic_init(&m->dirty, false);
	atomic_init(&m->flushes, 0);
	*out = m;
	return 0;
}

/* The advice-like flags, applied after every (re)map. */
static int apply_flags(struct mmb_map *m)
{
	static const struct {
		unsigned flag;
		enum mmb_advice advice;
	} hints[] = {
	    {MMB_MAP_THP, MMB_ADV_HUGEPAGE},
	    {MMB_MAP_NOHUGEPAGE, MMB_ADV_NOHUGEPAGE},
	    {MMB_MAP_WILLNEED, MMB_ADV_WILLNEED},
	};
	int rc;

	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		if (!(m->flags & hints[i].flag))
			continue;
		rc = mmb__os_advise(m->view.base, m->view.len, hints[i].advice);
		if (rc)
			return rc;
	}
	if (m->flags & MMB_MAP_LOCK)
		return mmb__os_lock(m->view.base, m->view.len);
	return 0;
}

int mmb__map_view(struct mmb_map *m, uint64_t offset, uint64_t length)
{
	uint64_t fsize, gran, aoff;
	int rc;

	rc = mmb__os_file_size(m->fd, &fsize);
	if (rc)
		return rc;
	if (offset >= fsize)
		return mmb_seterr(MMB_EBADOFF, 0,
				  "map(offset=%llu): file size is %llu",
				  ULL(offset), ULL(fsize));
	if (length == 0)
		length = fsize - offset;
	if (length > fsize - offset)
		return mmb_seterr(
		    MMB_EBADOFF, 0,
		    "map(offset=%llu, len=%llu): file size is %llu",
		    ULL(offset), ULL(length), ULL(fsize));

	gran = mmb_alloc_granularity();
	if (m->flags & MMB_MAP_HUGETLB) {
		gran = mmb_huge_page_size();
		if (!gran)
			return mmb_seterr(MMB_ENOTSUP, 0,
					  "map(hugetlb): no huge page size "
					  "on this system");
		/* hugetlbfs maps whole huge pages only; rounding silently
		 * would map bytes the caller did not ask for. */
		if (!mmb_is_aligned(offset, gran) ||
		    !mmb_is_aligned(length, gran))
			return mmb_seterr(MMB_EALIGN, 0,
					  "map(hugetlb, offset=%llu, "
					  "len=%llu): not multiples of %llu",
					  ULL(offset), ULL(length), ULL(gran));
	}
	aoff = mmb_align_down(offset, gran);
	if (length + (offset - aoff) > SIZE_MAX)
		return mmb_seterr(MMB_EOVERFLOW, 0,
				  "map(offset=%llu, len=%llu): too large for "
				  "the address space",
				  ULL(offset), ULL(length));

	rc = mmb__os_map(&m->view, m->fd, m->access, aoff,
			 (size_t)(length + (offset - aoff)), m->flags);
	if (rc)
		return rc;
	m->delta = (size_t)(offset - aoff);
	m->offset = offset;
	m->size = (size_t)length;
	rc = apply_flags(m);
	if (rc)
		goto err_unmap;
	return 0;

err_unmap:
	mmb__os_unmap(&m->view);
	m->size = 0;
	return rc;
}

static int check_opts(const struct mmb_map_opts *o)
{
	if ((unsigned)o->access > MMB_ACCESS_COW)
		return mmb_seterr(MMB_EINVAL, 0, "map(access=%d): unknown",
				  (int)o->access);
	if ((o->flags & MMB_MAP_CREATE || o->size) &&
	    o->access != MMB_ACCESS_RDWR)
		return mmb_seterr(MMB_EINVAL, 0,
				  "map(create/size=%llu): needs read-write "
				  "access",
				  ULL(o->size));
	/* Checked here as well as at map time so a bad request fails the same
	 * way whether or not the file is on hugetlbfs. */
	if (o->flags & MMB_MAP_HUGETLB && mmb_huge_page_size() &&
	    (!mmb_is_aligned(o->offset, mmb_huge_page_size()) ||
	     !mmb_is_aligned(o->length, mmb_huge_page_size()) ||
	     !mmb_is_aligned(o->size, mmb_huge_page_size())))
		return mmb_seterr(MMB_EALIGN, 0,
				  "map(hugetlb, offset=%llu, len=%llu, "
				  "size=%llu): not multiples of %zu",
				  ULL(o->offset), ULL(o->length), ULL(o->size),
				  mmb_huge_page_size());
	if ((o->flags & MMB_MAP_THP) && (o->flags & MMB_MAP_NOHUGEPAGE))
		return mmb_seterr(MMB_EINVAL, 0,
				  "map(THP|NOHUGEPAGE): contradictory flags");
	return 0;
}

/* Takes ownership of fd. */
static int map_owned_fd(struct mmb_map **out, int fd,
			const struct mmb_map_opts *o)
{
	struct mmb_map *m = NULL;
	int rc;

	if (o->flags & MMB_MAP_HUGETLB) {
		rc = mmb__os_hugetlb_ok(fd);
		if (rc)
			goto err_close;
	}
	if (o->size) {
		rc = mmb__os_truncate(fd, o->size);
		if (rc)
			goto err_close;
	}
	rc = mmb__map_new(&m, fd, o->access, o->flags & ~MMB_MAP_CREATE);
	if (rc)
		goto err_close;
	rc = mmb__map_view(m, o->offset, o->length);
	if (rc)
		goto err_free;
	*out = m;
	return 0;

err_free:
	free(m);
err_close:
	mmb__os_close(fd);
	return rc;
}

int mmb_map_open(struct mmb_map **out, const char *path,
		 const struct mmb_map_opts *o)
{
	static const struct mmb_map_opts defaults = {0};
	int fd, rc;

	if (!o)
		o = &defaults;
	if (!out || !path)
		return mmb_seterr(MMB_EINVAL, 0, "mmb_map_open(NULL)");
	rc = check_opts(o);
	if (rc)
		return rc;
	rc = mmb__os_open(path, o->access,
			  (o->flags & MMB_MAP_CREATE ? MMB__OPEN_CREATE : 0) |
			      (o->flags & MMB_MAP_EXEC ? MMB__OPEN_EXEC : 0),
			  o->mode, &fd);
	if (rc)
		return rc;
	return map_owned_fd(out, fd, o);
}

int mmb_map_fd(struct mmb_map **out, int fd, const struct mmb_map_opts *o)
{
	static const struct mmb_map_opts defaults = {0};
	int dup, rc;

	if (!o)
		o = &defaults;
	if (!out)
		return mmb_seterr(MMB_EINVAL, 0, "mmb_map_fd(NULL)");
	rc = check_opts(o);
	if (rc)
		return rc;
	rc = mmb__os_dup(fd, &dup);
	if (rc)
		return rc;
	return map_owned_fd(out, dup, o);
}

/* Flush everything a LAZY or PERIODIC policy still owes. */
int mmb__map_settle(struct mmb_map *m)
{
	int rc;

	if (!m->view.base || m->sync == MMB_SYNC_NEVER ||
	    m->sync == MMB_SYNC_IMMEDIATE)
		return 0;
	/* Take the mark before flushing: a write landing while msync runs
	 * marks the map again and is flushed next time (clearing it after
	 * the flush would drop that write's mark). */
	if (!atomic_exchange(&m->dirty, false))
		return 0;
	rc = mmb__os_flush(m->view.base, m->view.len, false);
	if (rc) {
		atomic_store(&m->dirty, true);
		return rc;
	}
	atomic_fetch_add(&m->flushes, 1);
	atomic_store(&m->last_flush_ms, mmb__os_now_ms());
	return 0;
}

int mmb_map_close(struct mmb_map *m)
{
	int rc, rc2;

	if (!m)
		return 0;
	mmb__flusher_remove(m);
	rc = mmb__map_settle(m);
	rc2 = mmb__os_unmap(&m->view);
	if (m->fd >= 0)
		mmb__os_close(m->fd);
	free(m);
	return rc ? rc : rc2;
}

bool mmb_map_valid(const struct mmb_map *m)
{
	return m && m->view.base;
}

void *mmb_map_data(const struct mmb_map *m)
{
	if (!mmb_map_valid(m))
		return NULL;
	return (char *)m->view.base + m->delta;
}

size_t mmb_map_size(const struct mmb_map *m)
{
	return mmb_map_valid(m) ? m->size : 0;
}

uint64_t mmb_map_offset(const struct mmb_map *m)
{
	return m ? m->offset : 0;
}

enum mmb_access mmb_map_access(const struct mmb_map *m)
{
	return m ? m->access : MMB_ACCESS_READ;
}

uint64_t mmb_map_remaps(const struct mmb_map *m)
{
	return m ? m->remaps : 0;
}

static int check_range(const struct mmb_map *m, const char *op, uint64_t off,
		       uint64_t len)
{
	if (!mmb_map_valid(m))
		return not_mapped(op);
	if (off > m->size || len > m->size - off)
		return mmb_seterr(MMB_EBADOFF, 0,
				  "%s(off=%llu, len=%llu): mapping has %zu "
				  "bytes",
				  op, ULL(off), ULL(len), m->size);
	return 0;
}

int mmb_map_ptr(const struct mmb_map *m, uint64_t off, size_t len, void **out)
{
	int rc = check_range(m, "mmb_map_ptr", off, len);

	if (rc)
		return rc;
	*out = (char *)m->view.base + m->delta + off;
	return 0;
}

/* Offset of a faulting address from m's data pointer (0 for the rounding
 * delta before it). */
static uint64_t fault_offset(const struct mmb_map *m, const void *addr)
{
	const char *data = (const char *)m->view.base + m->delta;

	return (const char *)addr > data ? (uint64_t)((const char *)addr - data)
					 : 0;
}

/* The process-wide callback: two slots, so a handler reading one while
 * a new callback is stored into the other sees a whole (fn, arg) pair. */
static struct sigbus_cb {
	mmb_sigbus_fn fn;
	void *arg;
} cb_slots[2];
static _Atomic(struct sigbus_cb *) cb_current;
static atomic_uint cb_next;

void mmb_set_sigbus_callback(mmb_sigbus_fn fn, void *arg)
{
	struct sigbus_cb *slot;

	if (!fn) {
		atomic_store(&cb_current, NULL);
		return;
	}
	/* setters take turns; handlers never lock (they may not) */
	mmb__os_global_lock();
	slot = &cb_slots[atomic_fetch_add(&cb_next, 1) & 1];
	slot->fn = fn;
	slot->arg = arg;
	atomic_store(&cb_current, slot);
	mmb__os_global_unlock();
}

void mmb__guard_notify(const struct mmb_map *map, const void *addr)
{
	struct sigbus_cb *cb = atomic_load(&cb_current);
	struct mmb_sigbus_info info;

	if (!cb || !map)
		return;
	info.map = map;
	info.offset = fault_offset(map, addr);
	info.addr = addr;
	cb->fn(&info, cb->arg);
}

/* The copy under a guard of its own (no scope armed); out of line, so the
 * fast paths below stay leaf-like: a frame that saves registers around
 * the memcpy measurably slowed a loop of 4 KiB copies (bench/access.c). */
static int __attribute__((noinline))
guarded_copy(struct mmb_map *m, const char *op, uint64_t off, void *dst,
	     const void *src, size_t len)
{
	const void *fault = NULL;

	if (mmb__guarded_copy(dst, src, len, m->view.base, m->view.len, m,
			      &fault))
		return mmb_seterr(MMB_ESIGBUS, 0,
				  "%s(file offset=%llu, len=%zu): fault at "
				  "file offset %llu",
				  op, ULL(m->offset + off), len,
				  ULL(m->offset + fault_offset(m, fault)));
	return 0;
}

/* check_range's error, out of line (a tail call of the fast paths). */
static int __attribute__((noinline, cold))
range_error(const struct mmb_map *m, const char *op, uint64_t off, uint64_t len)
{
	return check_range(m, op, off, len);
}

/* Is [off, off+len) outside m, or m not mapped (range_error says which)? */
static inline bool bad_range(const struct mmb_map *m, uint64_t off,
			     uint64_t len)
{
	return __builtin_expect(
	    !m || !m->view.base || off > m->size || len > m->size - off, 0);
}

int mmb_map_read(struct mmb_map *m, uint64_t off, void *buf, size_t len)
{
	const char *src;

	if (bad_range(m, off, len))
		return range_error(m, "mmb_map_read", off, len);
	src = (const char *)m->view.base + m->delta + off;
	if (!m->unguarded && !mmb__guard_scoped(m))
		return guarded_copy(m, "read", off, buf, src, len);
	memcpy(buf, src, len);
	return 0;
}

/* fn under a guard of its own (no scope armed); out of line as
 * guarded_copy is. */
static int __attribute__((noinline))
guarded_call(struct mmb_map *m, uint64_t off, size_t len, mmb_guard_fn fn,
	     void *arg, uint64_t *fault_off)
{
	const void *fault = NULL;
	char *p = (char *)m->view.base + m->delta + off;
	int rc = mmb__guarded_call(fn, p, len, arg, m->view.base, m->view.len,
				   m, false, &fault);

	/* fn's own codes pass through; only a caught fault has an address */
	if (rc == MMB_ESIGBUS && fault) {
		uint64_t at = fault_offset(m, fault);

		if (fault_off)
			*fault_off = at;
		return mmb_seterr(MMB_ESIGBUS, 0,
				  "guard(file offset=%llu, len=%zu): fault at "
				  "file offset %llu",
				  ULL(m->offset + off), len,
				  ULL(m->offset + at));
	}
	return rc;
}

static int __attribute__((noinline, cold))
guard_error(struct mmb_map *m, uint64_t off, size_t len)
{
	if (!m || !m->view.base || off > m->size || len > m->size - off)
		return check_range(m, "mmb_map_guard", off, len);
	return mmb_seterr(MMB_EINVAL, 0, "mmb_map_guard(fn=NULL)");
}

int mmb_map_guard(struct mmb_map *m, uint64_t off, size_t len, mmb_guard_fn fn,
		  void *arg, uint64_t *fault_off)
{
	/* The per-op path of in-place consumers: inside a scope, or with the
	 * guard off, a tail call of fn with nothing saved around it. */
	if (__builtin_expect(!fn, 0) || bad_range(m, off, len))
		return guard_error(m, off, len);
	if (!m->unguarded && !mmb__guard_scoped(m))
		return guarded_call(m, off, len, fn, arg, fault_off);
	return fn((char *)m->view.base + m->delta + off, len, arg);
}

int mmb_map_guard_scope(struct mmb_map *m, mmb_guard_fn fn, void *arg,
			uint64_t *fault_off)
{
	const void *fault = NULL;
	char *p;
	int rc;

	if (!fn)
		return mmb_seterr(MMB_EINVAL, 0,
				  "mmb_map_guard_scope(fn=NULL)");
	if (!m || !m->view.base)
		return not_mapped("mmb_map_guard_scope");
	p = (char *)m->view.base + m->delta;
	if (m->unguarded)
		return fn(p, m->size, arg);
	rc = mmb__guarded_call(fn, p, m->size, arg, m->view.base, m->view.len,
			       m, true, &fault);
	if (rc == MMB_ESIGBUS && fault) {
		uint64_t at = fault_offset(m, fault);

		if (fault_off)
			*fault_off = at;
		return mmb_seterr(MMB_ESIGBUS, 0,
				  "guard scope(file offset=%llu, len=%zu): "
				  "fault at file offset %llu",
				  ULL(m->offset), m->size, ULL(m->offset + at));
	}
	return rc;
}

int mmb_map_set_guard(struct mmb_map *m, bool on)
{
	if (!m)
		return not_mapped("mmb_map_set_guard");
	m->unguarded = !on;
	return 0;
}

/* Apply the sync policy after len bytes were written at off. */
static int after_write(struct mmb_map *m, uint64_t off, size_t len)
{
	size_t pg;
	uint64_t start, end;
	int rc;

	if (m->access == MMB_ACCESS_COW)
		return 0; /* private pages: nothing can reach the file */
	switch (m->sync) {
	case MMB_SYNC_NEVER:
		return 0;
	case MMB_SYNC_IMMEDIATE:
		if (!len)
			return 0;
		pg = mmb__map_page(m);
		start = mmb_align_down(m->delta + off, pg);
		end = mmb_align_up(m->delta + off + len, pg);
		if (end > m->view.len)
			end = m->view.len;
		rc = mmb__os_flush((char *)m->view.base + start,
				   (size_t)(end - start), false);
		if (rc)
			return rc;
		atomic_fetch_add(&m->flushes, 1);
		return 0;
	case MMB_SYNC_PERIODIC:
		/* 0 ms: flush in the writing thread, every write. Otherwise
		 * the flusher thread does it; only the write that makes a
		 * clean map dirty tells it (no lock on the other writes). */
		if (m->interval_ms == 0) {
			atomic_store(&m->dirty, true);
			return mmb__map_settle(m);
		}
		if (!atomic_exchange(&m->dirty, true))
			mmb__flusher_kick(m);
		return 0;
	case MMB_SYNC_LAZY:
		atomic_store(&m->dirty, true);
		return 0;
	}
	return 0;
}

int mmb_map_write(struct mmb_map *m, uint64_t off, const void *buf, size_t len)
{
	char *p;
	int rc;

	if (bad_range(m, off, len))
		return range_error(m, "mmb_map_write", off, len);
	if (m->access == MMB_ACCESS_READ)
		return mmb_seterr(MMB_EREADONLY, 0,
				  "write(file offset=%llu, len=%zu)",
				  ULL(m->offset + off), len);
	p = (char *)m->view.base + m->delta + off;
	if (!m->unguarded && !mmb__guard_scoped(m)) {
		rc = guarded_copy(m, "write", off, p, buf, len);
		if (rc)
			return rc;
	} else {
		memcpy(p, buf, len);
	}
	return after_write(m, off, len);
}

/* op needs a map of a file (shared memory has no file to remap or
 * resize); `what` says what cannot be done otherwise. */
static int need_file(const struct mmb_map *m, const char *op, const char *what)
{
	if (!m)
		return not_mapped(op);
	if (m->fd < 0)
		return mmb_seterr(MMB_ENOTSUP, 0,
				  "%s(): shared memory cannot be %s", op, what);
	return 0;
}

/* Replace m's view with (offset, length), truncating the file to `size`
 * in between when `truncate` (with no view, as Windows requires). */
static int replace_view(struct mmb_map *m, uint64_t offset, uint64_t length,
			bool truncate, uint64_t size)
{
	int rc;

	/* The flusher must not flush a view while it is replaced. */
	if (m->listed)
		mmb__os_global_lock();
	rc = mmb__map_settle(m);
	if (rc)
		goto out;
	/* Unmap first so a window never holds two views (hugetlb pools are
	 * small); on failure the map stays unmapped until a remap works.
	 * Before truncating, too: Windows refuses to shrink a file that has
	 * a view, and on POSIX the old view would fault past the end. */
	rc = mmb__os_unmap(&m->view);
	m->size = 0;
	if (rc)
		goto out;
	if (truncate) {
		rc = mmb__os_truncate(m->fd, size);
		if (rc)
			goto out;
	}
	rc = mmb__map_view(m, offset, length);
	if (!rc)
		m->remaps++;
out:
	if (m->listed)
		mmb__os_global_unlock();
	return rc;
}

int mmb_map_remap(struct mmb_map *m, uint64_t offset, uint64_t length)
{
	int rc = need_file(m, "mmb_map_remap", "remapped");

	if (rc)
		return rc;
	return replace_view(m, offset, length, false, 0);
}

/* Page-aligned span covering [off, off+len) of the mapping; len 0 = to
 * the end. */
static int span(const struct mmb_map *m, const char *op, uint64_t off,
		uint64_t len, void **addr, size_t *n)
{
	size_t pg;
	uint64_t start, end;
	int rc;

	if (!mmb_map_valid(m))
		return not_mapped(op);
	if (len == 0 && off <= m->size)
		len = m->size - off;
	rc = check_range(m, op, off, len);
	if (rc)
		return rc;
	pg = mmb__map_page(m);
	start = mmb_align_down(m->delta + off, pg);
	end = mmb_align_up(m->delta + off + len, pg);
	if (end > mmb_align_up(m->view.len, pg))
		end = mmb_align_up(m->view.len, pg);
	*addr = (char *)m->view.base + start;
	*n = (size_t)(end - start);
	return 0;
}

int mmb_map_advise(struct mmb_map *m, enum mmb_advice a, uint64_t off,
		   uint64_t len)
{
	/* set by span() on success; initialized for gcc -O3's sake */
	void *addr = NULL;
	size_t n = 0;
	int rc;

	if ((unsigned)a >= MMB_ADV__COUNT)
		return mmb_seterr(MMB_EINVAL, 0, "madvise(advice=%d): unknown",
				  (int)a);
	rc = span(m, "mmb_map_advise", off, len, &addr, &n);
	if (rc)
		return rc;
	return mmb__os_advise(addr, n, a);
}

int mmb_map_flush(struct mmb_map *m, uint64_t off, uint64_t len, bool async)
{
	/* set by span() on success; initialized for gcc -O3's sake */
	void *addr = NULL;
	size_t n = 0;
	int rc = span(m, "mmb_map_flush", off, len, &addr, &n);

	if (rc)
		return rc;
	return mmb__os_flush(addr, n, async);
}

int mmb_map_invalidate(struct mmb_map *m, uint64_t off, uint64_t len)
{
	/* set by span() on success; initialized for gcc -O3's sake */
	void *addr = NULL;
	size_t n = 0;
	int rc = span(m, "mmb_map_invalidate", off, len, &addr, &n);

	if (rc)
		return rc;
	return mmb__os_invalidate(addr, n);
}

int mmb_map_resize(struct mmb_map *m, uint64_t size)
{
	int rc = need_file(m, "mmb_map_resize", "resized");

	if (rc)
		return rc;
	if (m->access != MMB_ACCESS_RDWR)
		return mmb_seterr(MMB_EREADONLY, 0,
				  "mmb_map_resize(size=%llu): the file is not "
				  "open for writing",
				  ULL(size));
	if (size <= m->offset)
		return mmb_seterr(MMB_EBADOFF, 0,
				  "mmb_map_resize(size=%llu): the map starts "
				  "at offset %llu",
				  ULL(size), ULL(m->offset));
	return replace_view(m, m->offset, 0, true, size);
}

int mmb_file_size(int fd, uint64_t *size)
{
	if (!size)
		return mmb_seterr(MMB_EINVAL, 0, "mmb_file_size(size=NULL)");
	return mmb__os_file_size(fd, size);
}

int mmb_path_size(const char *path, uint64_t *size)
{
	if (!path || !size)
		return mmb_seterr(MMB_EINVAL, 0, "mmb_path_size(NULL)");
	return mmb__os_path_size(path, size);
}

int mmb_map_lock(struct mmb_map *m)
{
	if (!mmb_map_valid(m))
		return not_mapped("mmb_map_lock");
	return mmb__os_lock(m->view.base, m->view.len);
}

int mmb_map_unlock(struct mmb_map *m)
{
	if (!mmb_map_valid(m))
		return not_mapped("mmb_map_unlock");
	return mmb__os_unlock(m->view.base, m->view.len);
}

double mmb_map_resident(const struct mmb_map *m)
{
	size_t pg, n, pages, total;
	int rc;

	if (!mmb_map_valid(m))
		return not_mapped("mmb_map_resident");
	pg = mmb_page_size();
	n = (size_t)mmb_align_up(m->view.len, pg);
	rc = mmb__os_resident(m->view.base, n, &pages);
	if (rc)
		return rc;
	total = n / pg;
	return total ? (double)pages / (double)total : 0.0;
}

int mmb_map_set_sync(struct mmb_map *m, enum mmb_sync_policy p,
		     unsigned interval_ms)
{
	int rc;

	if (!m)
		return not_mapped("mmb_map_set_sync");
	if ((unsigned)p > MMB_SYNC_LAZY)
		return mmb_seterr(MMB_EINVAL, 0, "set_sync(policy=%d): unknown",
				  (int)p);
	/* Off the flusher's list while the policy changes (and for good
	 * unless the new one is PERIODIC with an interval). */
	mmb__flusher_remove(m);
	/* Leaving a deferred policy must not drop what it still owes. */
	rc = mmb__map_settle(m);
	if (rc)
		goto out;
	m->sync = p;
	m->interval_ms = interval_ms;
	atomic_store(&m->last_flush_ms, mmb__os_now_ms());
out:
	/* a failed flush leaves the old policy in place, listed again */
	if (m->sync == MMB_SYNC_PERIODIC && m->interval_ms > 0 &&
	    m->access != MMB_ACCESS_COW) {
		int rc2 = mmb__flusher_add(m);

		if (!rc)
			rc = rc2;
	}
	return rc;
}

uint64_t mmb_map_flushes(const struct mmb_map *m)
{
	return m ? atomic_load(&m->flushes) : 0;
}
