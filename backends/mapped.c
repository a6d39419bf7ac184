/* backends/mapped.c - the whole-file mapping shared by mmap, mmap-populate,
 * mmap-4k, mmap-thp and mmap-hugetlb. They differ only in how the mapping
 * is made; the timed hooks are the same memcpy out of / into it, with no
 * locks, no allocation and no system call on reads. */
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
	return mmb__mapped_wrap(backend, m, size, o, o->writable, state, why,
				whylen);
}

int64_t mmb__mapped_read(void *state, void *buf, size_t len, uint64_t off)
{
	struct mmb__mapped *s = state;

	if (off >= s->size)
		return 0;
	if (len > s->size - off)
		len = (size_t)(s->size - off);
	memcpy(buf, s->base + off, len);
	return (int64_t)len;
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
	memcpy(s->base + off, buf, len);
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
	free(s);
}
