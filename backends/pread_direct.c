/* SPDX-License-Identifier: MIT */
/* backends/pread_direct.c - pread/pwrite with O_DIRECT: bypasses the page
 * cache, so every op goes to the device.
 *
 * O_DIRECT needs the file offset and length to be multiples of the file's
 * direct-I/O alignment (statx STATX_DIOALIGN; 512 when the kernel does not
 * say) and the buffer to be aligned in memory. Offsets and lengths are the
 * caller's job: a misaligned block size fails open() with MMB_EALIGN, a
 * misaligned op fails with MMB_EALIGN. Buffers are not: each thread has an
 * aligned bounce buffer (thread_open), used only when the caller's buffer
 * is not aligned, at the price of one memcpy. Callers that want no copy
 * pass page-aligned buffers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

struct pd_state {
	struct mmb__fd f; /* first: fd.c's helpers take the state */
	size_t align;	  /* file offset / length alignment */
	size_t mem_align; /* buffer address alignment */
	size_t bounce_len;
	char *bounce;
	bool owns_fd; /* the open() state; thread states share its fd */
};

static int pd_alloc_bounce(struct pd_state *s)
{
	void *p;
	int rc = posix_memalign(&p, s->mem_align, s->bounce_len);

	if (rc != 0)
		return mmb_seterr(-rc, rc, "posix_memalign(align=%zu, len=%zu)",
				  s->mem_align, s->bounce_len);
	s->bounce = p;
	return 0;
}

static int pd_open(const char *path, uint64_t size,
		   const struct mmb_backend_opts *o, void **state, char *why,
		   size_t whylen)
{
	struct statx stx;
	struct pd_state *s;
	size_t align = 512, mem_align = mmb_page_size();
	int rc;

	(void)size;
	if (statx(AT_FDCWD, path, 0, STATX_DIOALIGN, &stx) < 0) {
		rc = -errno;
		mmb_seterr(rc, errno, "statx(%s)", path);
		return mmb__why_err(rc, "pread-direct", why, whylen);
	}
	if (stx.stx_mask & STATX_DIOALIGN) {
		if (stx.stx_dio_offset_align == 0)
			return mmb__why(MMB_ESKIP, why, whylen,
					"pread-direct: the file system of %s "
					"does not support O_DIRECT",
					path);
		align = stx.stx_dio_offset_align;
		if (stx.stx_dio_mem_align > mem_align)
			mem_align = stx.stx_dio_mem_align;
	}
	if (o->block_size == 0 || o->block_size % align != 0)
		return mmb__why(MMB_EALIGN, why, whylen,
				"pread-direct: block size %zu is not a "
				"multiple of %zu, the O_DIRECT alignment of %s "
				"(offsets must be multiples of it too)",
				o->block_size, align, path);

	s = calloc(1, sizeof(*s));
	if (!s)
		return mmb__why(MMB_ENOMEM, why, whylen,
				"pread-direct: out of memory");
	s->align = align;
	s->mem_align = mem_align;
	s->bounce_len = o->block_size;
	s->owns_fd = true;
	rc = pd_alloc_bounce(s);
	if (rc < 0) {
		mmb__why_err(rc, "pread-direct", why, whylen);
		goto err_free;
	}
	rc = s->f.fd =
	    mmb__open_file("pread-direct", path, o, O_DIRECT, why, whylen);
	if (rc == MMB_EINVAL) {
		/* open(2) says EINVAL when the file system has no O_DIRECT. */
		rc = mmb__why(MMB_ESKIP, why, whylen,
			      "pread-direct: open(%s, O_DIRECT) failed with "
			      "EINVAL: the file system does not support "
			      "O_DIRECT",
			      path);
	}
	if (rc < 0)
		goto err_bounce;
	s->f.sync = o->sync;
	/* Advice matters little without a page cache, but honour it so the
	 * result says what was asked. */
	rc = mmb__fadvise("pread-direct", s->f.fd, o, why, whylen);
	if (rc < 0)
		goto err_close;
	*state = s;
	return 0;

err_close:
	close(s->f.fd);
err_bounce:
	free(s->bounce);
err_free:
	free(s);
	return rc;
}

static int pd_thread_open(void *state, unsigned idx, void **tstate)
{
	struct pd_state *s = state, *t;
	int rc;

	(void)idx;
	t = malloc(sizeof(*t));
	if (!t)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "pread-direct: malloc");
	*t = *s;
	t->owns_fd = false;
	rc = pd_alloc_bounce(t);
	if (rc < 0) {
		free(t);
		return rc;
	}
	*tstate = t;
	return 0;
}

static void pd_thread_close(void *tstate)
{
	struct pd_state *t = tstate;

	if (!t)
		return;
	free(t->bounce);
	free(t);
}

/* Returns 0 when (off, len) can go to O_DIRECT, else MMB_E*. */
static int pd_check(const struct pd_state *s, size_t len, uint64_t off,
		    const char *op)
{
	if (((off | len) & (s->align - 1)) != 0)
		return mmb_seterr(MMB_EALIGN, 0,
				  "%s(off=%llu, len=%zu): O_DIRECT needs "
				  "multiples of %zu",
				  op, (unsigned long long)off, len, s->align);
	if (len > s->bounce_len)
		return mmb_seterr(MMB_EINVAL, 0,
				  "%s(off=%llu, len=%zu): longer than the "
				  "block size %zu given at open",
				  op, (unsigned long long)off, len,
				  s->bounce_len);
	return 0;
}

static int64_t pd_read(void *tstate, void *buf, size_t len, uint64_t off)
{
	struct pd_state *s = tstate;
	bool aligned = ((uintptr_t)buf & (s->mem_align - 1)) == 0;
	char *dst = aligned ? buf : s->bounce;
	int64_t n;
	int rc = pd_check(s, len, off, "pread");

	if (rc < 0)
		return rc;
	n = mmb__fd_pread_full(s->f.fd, dst, len, off, "pread(O_DIRECT");
	if (n > 0 && !aligned)
		memcpy(buf, s->bounce, (size_t)n);
	return n;
}

static int64_t pd_write(void *tstate, const void *buf, size_t len, uint64_t off)
{
	struct pd_state *s = tstate;
	const char *src = buf;
	int64_t n;
	int rc = pd_check(s, len, off, "pwrite");

	if (rc < 0)
		return rc;
	if (((uintptr_t)buf & (s->mem_align - 1)) != 0) {
		memcpy(s->bounce, buf, len);
		src = s->bounce;
	}
	n = mmb__fd_pwrite_full(s->f.fd, src, len, off, "pwrite(O_DIRECT");
	/* The data is on the device when pwrite returns; MS_SYNC's
	 * counterpart still has to flush metadata and the device cache.
	 * MS_ASYNC's counterpart (start write-back) has nothing to do. */
	if (n > 0 && s->f.sync == MMB_WSYNC_MSYNC &&
	    (rc = mmb__fd_wsync(&s->f, off, (uint64_t)n)) < 0)
		return rc;
	return n;
}

static void pd_close(void *state)
{
	struct pd_state *s = state;

	if (!s)
		return;
	if (s->owns_fd)
		close(s->f.fd);
	free(s->bounce);
	free(s);
}

const struct mmb_backend mmb_backend_pread_direct = {
    .name = "pread-direct",
    .help = "pread/pwrite with O_DIRECT, bypassing the page cache (block "
	    "size and offsets: multiples of the logical block size)",
    .caps = MMB_CAP_READ | MMB_CAP_WRITE | MMB_CAP_DIRECT,
    .open = pd_open,
    .thread_open = pd_thread_open,
    .thread_close = pd_thread_close,
    .read = pd_read,
    .write = pd_write,
    .sync = mmb__fd_sync,
    .close = pd_close,
};
