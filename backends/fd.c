/* SPDX-License-Identifier: MIT */
/* backends/fd.c - what every file-descriptor backend shares: open with
 * flags and advice, whole-length pread/pwrite, the per-write sync policy,
 * the end-of-run fsync and close. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

int mmb__fd_open(struct mmb__fd *f, const char *backend, const char *path,
		 const struct mmb_backend_opts *o, int extra_flags, char *why,
		 size_t whylen)
{
	int rc;

	f->sync = o->sync;
	rc = f->fd = mmb__open_file(backend, path, o, extra_flags, why, whylen);
	if (rc < 0)
		return rc;
	rc = mmb__fadvise(backend, f->fd, o, why, whylen);
	if (rc < 0) {
		close(f->fd);
		f->fd = -1;
		return rc;
	}
	return 0;
}

int mmb__fd_state_open(const char *backend, const char *path,
		       const struct mmb_backend_opts *o, int extra_flags,
		       size_t size, void **state, char *why, size_t whylen)
{
	struct mmb__fd *f = calloc(1, size);
	int rc;

	if (!f)
		return mmb__why(MMB_ENOMEM, why, whylen, "%s: out of memory",
				backend);
	rc = mmb__fd_open(f, backend, path, o, extra_flags, why, whylen);
	if (rc < 0) {
		free(f);
		return rc;
	}
	*state = f;
	return 0;
}

int mmb__fd_wsync(const struct mmb__fd *f, uint64_t off, uint64_t n)
{
	/* The read/write counterparts of msync(MS_SYNC) and msync(MS_ASYNC)
	 * on the written range. */
	if (f->sync == MMB_WSYNC_MSYNC && fdatasync(f->fd) < 0)
		return mmb_seterr(-errno, errno, "fdatasync()");
	if (f->sync == MMB_WSYNC_MSYNC_ASYNC &&
	    sync_file_range(f->fd, (off_t)off, (off_t)n,
			    SYNC_FILE_RANGE_WRITE) < 0)
		return mmb_seterr(
		    -errno, errno, "sync_file_range(off=%llu, len=%llu)",
		    (unsigned long long)off, (unsigned long long)n);
	return 0;
}

int64_t mmb__fd_pread_full(int fd, void *buf, size_t len, uint64_t off,
			   const char *what)
{
	size_t done = 0;

	while (done < len) {
		size_t want =
		    len - done < MMB__FD_MAX_RW ? len - done : MMB__FD_MAX_RW;
		ssize_t n =
		    pread(fd, (char *)buf + done, want, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return mmb_seterr(
			    -errno, errno, "%s(off=%llu, len=%zu)", what,
			    (unsigned long long)(off + done), want);
		done += (size_t)n;
		if ((size_t)n < want) /* end of file */
			break;
	}
	return (int64_t)done;
}

int64_t mmb__fd_pwrite_full(int fd, const void *buf, size_t len, uint64_t off,
			    const char *what)
{
	size_t done = 0;

	while (done < len) {
		size_t want =
		    len - done < MMB__FD_MAX_RW ? len - done : MMB__FD_MAX_RW;
		ssize_t n = pwrite(fd, (const char *)buf + done, want,
				   (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return mmb_seterr(
			    -errno, errno, "%s(off=%llu, len=%zu)", what,
			    (unsigned long long)(off + done), want);
		if (n == 0)
			return mmb_seterr(
			    MMB_EIO, 0, "%s(off=%llu, len=%zu): wrote nothing",
			    what, (unsigned long long)(off + done), want);
		done += (size_t)n;
	}
	return (int64_t)done;
}

int64_t mmb__fd_read(void *state, void *buf, size_t len, uint64_t off)
{
	const struct mmb__fd *f = state;

	return mmb__fd_pread_full(f->fd, buf, len, off, "pread");
}

int64_t mmb__fd_write(void *state, const void *buf, size_t len, uint64_t off)
{
	const struct mmb__fd *f = state;
	int64_t n = mmb__fd_pwrite_full(f->fd, buf, len, off, "pwrite");
	int rc;

	if (n <= 0)
		return n;
	rc = mmb__fd_wsync(f, off, (uint64_t)n);
	return rc < 0 ? rc : n;
}

int mmb__fd_sync(void *state)
{
	const struct mmb__fd *f = state;

	if (f->sync == MMB_WSYNC_FSYNC && fsync(f->fd) < 0)
		return mmb_seterr(-errno, errno, "fsync()");
	return 0;
}

void mmb__fd_close(void *state)
{
	struct mmb__fd *f = state;

	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	free(f);
}
