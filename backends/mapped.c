/* SPDX-License-Identifier: MIT */
/* backends/mapped.c - the whole-file mapping shared by mmap, mmap-populate,
 * mmap-4k, mmap-thp and mmap-hugetlb. They differ only in how the mapping
 * is made; the timed hooks are the same copy out of / into it (or, for
 * --access inplace/touch, the consumer run on it: mmb__mapped_view), with
 * no locks, no allocation and no system call on reads.
 *
 * The copy is the core's guarded one (mmb_map_read/write): when the file
 * shrinks under the mapping, the access that would have died of SIGBUS
 * returns MMB_ESIGBUS and the run reports it for this backend, as the fd
 * backends report their short reads. Armed per op, that guard cost
 * mmap-populate 7-8 % of its 4 KiB ops/s (issue 13), so the runner runs
 * each thread's timed loop inside one scope (mmb__mapped_scope,
 * mmb_map_guard_scope): the ops inside it arm nothing (one thread-local
 * check; --access inplace and touch read the scope's mapping directly) and
 * a bus error ends the loop with the same message. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int mmb__mapped_wrap(const char *backend, struct mmb_map *m, uint64_t size,
		     const struct mmb_backend_opts *o, bool writable,
		     void **state, char *why, size_t whylen)
{
	struct mmb__mapped *s;
	int rc;

	if (o->advice >= 0) {
		rc = mmb_map_advise(m, (enum mmb_advice)o->advice, 0, 0);
		if (rc < 0) {
			mmb__why_err(rc, backend, why, whylen);
			goto err_unmap;
		}
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		rc = mmb__why(MMB_ENOMEM, why, whylen, "%s: out of memory",
			      backend);
		goto err_unmap;
	}
	s->m = m;
	s->base = mmb_map_data(m);
	s->map_len = mmb_map_size(m);
	/* Reads stop at the file's end even when the mapping is rounded up
	 * (hugetlb), so every backend returns the same bytes. */
	s->size = size < s->map_len ? size : s->map_len;
	s->page = mmb_page_size();
	s->sync = o->sync;
	s->writable = writable;
	*state = s;
	return 0;

err_unmap:
	mmb_map_close(m);
	return rc;
}

int mmb__mapped_open(const char *backend, const char *path, uint64_t size,
		     const struct mmb_backend_opts *o, unsigned flags,
		     void **state, char *why, size_t whylen)
{
	struct mmb_map_opts mo = {
	    .access = o->writable ? MMB_ACCESS_RDWR : MMB_ACCESS_READ,
	    .flags = flags,
	};
	struct mmb_map *m;
	int rc;

	rc = mmb_map_open(&m, path, &mo);
	if (rc < 0)
		return mmb__why_err(rc, backend, why, whylen);
	rc = mmb__mapped_wrap(backend, m, size, o, o->writable, state, why,
			      whylen);
	if (rc == 0)
		((struct mmb__mapped *)*state)->path = strdup(path);
	return rc;
}

/* A guarded access failed: for a bus error, say how large the file is now
 * and where the access faulted: "file shrank to N bytes during the run
 * (was M), bus error at offset X" (the core's message has the offset). */
int mmb__shrank(const char *path, uint64_t was, int rc)
{
	const struct mmb_errctx *e = mmb_last_error();
	const char *at = e ? strstr(e->call, "fault at file offset ") : NULL;
	unsigned long long fault = at ? strtoull(at + 21, NULL, 10) : 0;
	uint64_t now;

	if (rc != MMB_ESIGBUS)
		return rc;
	if (path && mmb_path_size(path, &now) == 0 && was)
		return mmb_seterr(rc, 0,
				  "file shrank to %llu bytes during the run "
				  "(was %llu), bus error at offset %llu",
				  (unsigned long long)now,
				  (unsigned long long)was, fault);
	if (path && mmb_path_size(path, &now) == 0)
		return mmb_seterr(rc, 0,
				  "file shrank to %llu bytes during the run, "
				  "bus error at offset %llu",
				  (unsigned long long)now, fault);
	return mmb_seterr(rc, 0,
			  "file shrank during the run, bus error at offset "
			  "%llu",
			  fault);
}

static int shrank(const struct mmb__mapped *s, int rc)
{
	return mmb__shrank(s->path, s->size, rc);
}

int64_t mmb__mapped_read(void *state, void *buf, size_t len, uint64_t off)
{
	struct mmb__mapped *s = state;

	if (off >= s->size)
		return 0;
	if (len > s->size - off)
		len = (size_t)(s->size - off);
	int rc = mmb_map_read(s->m, off, buf, len);
	if (rc < 0)
		return shrank(s, rc);
	return (int64_t)len;
}

/* In place: the consumer runs on the mapping itself, under the same guard
 * as the copy (mmb_map_guard), so a shrinking file is the same error. */
int64_t mmb__mapped_view(void *state, size_t len, uint64_t off, mmb_view_fn fn,
			 void *arg)
{
	struct mmb__mapped *s = state;

	if (off >= s->size)
		return 0;
	if (len > s->size - off)
		len = (size_t)(s->size - off);
	int rc = mmb_map_guard(s->m, off, len, fn, arg, NULL);
	if (rc < 0)
		return shrank(s, rc);
	return (int64_t)len;
}

struct scope_call {
	const struct mmb__mapped *s;
	mmb_view_fn fn;
	void *arg;
};

/* fn over the bytes reads may return: the file's, not the rounding. */
static int scope_body(void *p, size_t n, void *arg)
{
	const struct scope_call *c = arg;

	(void)p;
	(void)n;
	return c->fn(c->s->base, (size_t)c->s->size, c->arg);
}

int mmb__mapped_scope(void *state, mmb_view_fn fn, void *arg)
{
	struct mmb__mapped *s = state;
	struct scope_call c = {s, fn, arg};
	int rc = mmb_map_guard_scope(s->m, scope_body, &c, NULL);

	return rc == MMB_ESIGBUS ? shrank(s, rc) : rc;
}

int64_t mmb__mapped_write(void *state, const void *buf, size_t len,
			  uint64_t off)
{
	struct mmb__mapped *s = state;
	uint64_t start;
	int rc;

	if (!s->writable)
		return mmb_seterr(MMB_EREADONLY, 0,
				  "write(off=%llu, len=%zu): opened read-only",
				  (unsigned long long)off, len);
	/* A mapping cannot grow the file: stores stop at its end. */
	if (off >= s->size)
		return 0;
	if (len > s->size - off)
		len = (size_t)(s->size - off);
	rc = mmb_map_write(s->m, off, buf, len);
	if (rc < 0)
		return shrank(s, rc);
	if (s->sync == MMB_WSYNC_MSYNC || s->sync == MMB_WSYNC_MSYNC_ASYNC) {
		/* msync wants a page-aligned start: flush the written pages. */
		start = mmb_align_down(off, s->page);
		rc = mmb_map_flush(s->m, start, off + len - start,
				   s->sync == MMB_WSYNC_MSYNC_ASYNC);
		if (rc < 0)
			return rc;
	}
	return (int64_t)len;
}

int mmb__mapped_sync(void *state)
{
	struct mmb__mapped *s = state;

	if (!s->writable || s->sync != MMB_WSYNC_FSYNC)
		return 0;
	return mmb_map_flush(s->m, 0, 0, false);
}

void *mmb__mapped_mapping(void *state, size_t *len)
{
	struct mmb__mapped *s = state;

	*len = s->map_len;
	return s->base;
}

void mmb__mapped_close(void *state)
{
	struct mmb__mapped *s = state;

	if (!s)
		return;
	mmb_map_close(s->m);
	free(s->path);
	free(s);
}
