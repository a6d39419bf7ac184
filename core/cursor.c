/* SPDX-License-Identifier: MIT */
/* cursor.c - a read/write position over a mapping, behind a mutex. */
#include <limits.h>
#include <stdlib.h>

#include "internal.h"

struct mmb_cursor {
	struct mmb__os_mutex *mu;
	struct mmb_map *m;
	uint64_t pos;
};

int mmb_cursor_new(struct mmb_cursor **out, struct mmb_map *m)
{
	struct mmb_cursor *c;
	int rc;

	if (!mmb_map_valid(m))
		return mmb_seterr(MMB_ENOTMAPPED, 0,
				  "mmb_cursor_new(): map is not mapped");
	c = calloc(1, sizeof(*c));
	if (!c)
		return mmb_seterr(MMB_ENOMEM, 0, "calloc(struct mmb_cursor)");
	rc = mmb__os_mutex_new(&c->mu);
	if (rc) {
		free(c);
		return rc;
	}
	c->m = m;
	*out = c;
	return 0;
}

void mmb_cursor_free(struct mmb_cursor *c)
{
	if (!c)
		return;
	mmb__os_mutex_free(c->mu);
	free(c);
}

/* Bytes from the position to the end of the mapping, at most len. */
static size_t room(const struct mmb_cursor *c, size_t len)
{
	size_t size = mmb_map_size(c->m);

	if (c->pos >= size)
		return 0;
	return len < size - c->pos ? len : (size_t)(size - c->pos);
}

/* A map left unmapped by a failed remap has size 0: without this check
 * the cursor would report end of file instead of the error. */
static int unmapped(const char *op)
{
	return mmb_seterr(MMB_ENOTMAPPED, 0,
			  "mmb_cursor_%s(): map is not mapped (a remap "
			  "failed?)",
			  op);
}

long mmb_cursor_read(struct mmb_cursor *c, void *buf, size_t len)
{
	size_t n;
	int rc = 0;

	if (!c)
		return mmb_seterr(MMB_EINVAL, 0, "mmb_cursor_read(NULL)");
	if (len > LONG_MAX)
		len = LONG_MAX;
	mmb__os_mutex_lock(c->mu);
	n = room(c, len);
	if (!mmb_map_valid(c->m))
		rc = unmapped("read");
	else if (n)
		rc = mmb_map_read(c->m, c->pos, buf, n);
	if (!rc)
		c->pos += n;
	mmb__os_mutex_unlock(c->mu);
	return rc ? rc : (long)n;
}

long mmb_cursor_write(struct mmb_cursor *c, const void *buf, size_t len)
{
	size_t n;
	int rc = 0;

	if (!c)
		return mmb_seterr(MMB_EINVAL, 0, "mmb_cursor_write(NULL)");
	if (len > LONG_MAX)
		len = LONG_MAX;
	mmb__os_mutex_lock(c->mu);
	n = room(c, len);
	/* A zero-length write still reports a read-only map. */
	if (!mmb_map_valid(c->m))
		rc = unmapped("write");
	else if (n || mmb_map_access(c->m) == MMB_ACCESS_READ)
		rc = mmb_map_write(c->m, c->pos, buf, n);
	if (!rc)
		c->pos += n;
	mmb__os_mutex_unlock(c->mu);
	return rc ? rc : (long)n;
}

/* lseek arithmetic, clamped to [0, size]; shared with windows. */
int64_t mmb__seek(uint64_t pos, uint64_t size, int64_t off, int whence)
{
	int64_t base;

	switch (whence) {
	case 0:
		base = 0;
		break;
	case 1:
		/* The map may have shrunk (remap) since pos was set. */
		base = (int64_t)(pos < size ? pos : size);
		break;
	case 2:
		base = (int64_t)size;
		break;
	default:
		return mmb_seterr(MMB_EINVAL, 0, "seek(whence=%d)", whence);
	}
	if (off < 0 && base + off < 0)
		return 0;
	if (off > 0 && (uint64_t)off >= size - (uint64_t)base)
		return (int64_t)size;
	return base + off;
}

int64_t mmb_cursor_seek(struct mmb_cursor *c, int64_t off, int whence)
{
	int64_t r;

	if (!c)
		return mmb_seterr(MMB_EINVAL, 0, "mmb_cursor_seek(NULL)");
	mmb__os_mutex_lock(c->mu);
	if (!mmb_map_valid(c->m))
		r = unmapped("seek"); /* and keep the position */
	else
		r = mmb__seek(c->pos, mmb_map_size(c->m), off, whence);
	if (r >= 0)
		c->pos = (uint64_t)r;
	mmb__os_mutex_unlock(c->mu);
	return r;
}

uint64_t mmb_cursor_tell(struct mmb_cursor *c)
{
	uint64_t pos;

	if (!c)
		return 0;
	mmb__os_mutex_lock(c->mu);
	pos = c->pos;
	mmb__os_mutex_unlock(c->mu);
	return pos;
}
