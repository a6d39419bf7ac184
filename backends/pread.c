/* backends/pread.c - buffered pread/pwrite through the page cache: the
 * read/write baseline against which the mmap backends are compared. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

struct pread_state {
	int fd;
	enum mmb_wsync sync;
};

static int pread_open(const char *path, uint64_t size,
		      const struct mmb_backend_opts *o, void **state, char *why,
		      size_t whylen)
{
	struct pread_state *s;
	int rc;

	(void)size;
	s = calloc(1, sizeof(*s));
	if (!s)
		return mmb__why(MMB_ENOMEM, why, whylen,
				"pread: out of memory");
	s->sync = o->sync;
	rc = s->fd = mmb__open_file("pread", path, o, 0, why, whylen);
	if (rc < 0)
		goto err_free;
	rc = mmb__fadvise("pread", s->fd, o, why, whylen);
	if (rc < 0)
		goto err_close;
	*state = s;
	return 0;

err_close:
	close(s->fd);
err_free:
	free(s);
	return rc;
}

static long pread_read(void *state, void *buf, size_t len, uint64_t off)
{
	struct pread_state *s = state;
	ssize_t n;

	do
		n = pread(s->fd, buf, len, (off_t)off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return mmb_seterr(-errno, errno, "pread(off=%llu, len=%zu)",
				  (unsigned long long)off, len);
	return (long)n;
}

static long pread_write(void *state, const void *buf, size_t len, uint64_t off)
{
	struct pread_state *s = state;
	ssize_t n;

	do
		n = pwrite(s->fd, buf, len, (off_t)off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return mmb_seterr(-errno, errno, "pwrite(off=%llu, len=%zu)",
				  (unsigned long long)off, len);
	/* The read/write counterparts of msync(MS_SYNC) and msync(MS_ASYNC)
	 * on the written range. */
	if (s->sync == MMB_WSYNC_MSYNC && fdatasync(s->fd) < 0)
		return mmb_seterr(-errno, errno, "fdatasync()");
	if (s->sync == MMB_WSYNC_MSYNC_ASYNC &&
	    sync_file_range(s->fd, (off_t)off, n, SYNC_FILE_RANGE_WRITE) < 0)
		return mmb_seterr(-errno, errno,
				  "sync_file_range(off=%llu, len=%zd)",
				  (unsigned long long)off, n);
	return (long)n;
}

static int pread_sync(void *state)
{
	struct pread_state *s = state;

	if (s->sync == MMB_WSYNC_FSYNC && fsync(s->fd) < 0)
		return mmb_seterr(-errno, errno, "fsync()");
	return 0;
}

static void pread_close(void *state)
{
	struct pread_state *s = state;

	if (!s)
		return;
	close(s->fd);
	free(s);
}

const struct mmb_backend mmb_backend_pread = {
    .name = "pread",
    .help = "buffered pread/pwrite through the page cache (posix_fadvise "
	    "for advice)",
    .caps = MMB_CAP_READ | MMB_CAP_WRITE,
    .open = pread_open,
    .read = pread_read,
    .write = pread_write,
    .sync = pread_sync,
    .close = pread_close,
};
