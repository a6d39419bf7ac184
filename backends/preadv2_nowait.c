/* SPDX-License-Identifier: MIT */
/* backends/preadv2_nowait.c - preadv2(RWF_NOWAIT): reads served from the
 * page cache only. A read whose data is not all cached gets EAGAIN instead
 * of waiting for the device: it is not served (MMB_CAP_NONBLOCK), which the
 * runner counts in ops_not_served. Skips where RWF_NOWAIT does not work;
 * never falls back to a read that blocks. */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include "internal.h"

static int pn_open(const char *path, uint64_t size,
		   const struct mmb_backend_opts *o, void **state, char *why,
		   size_t whylen)
{
	char c;
	struct iovec iov = {.iov_base = &c, .iov_len = 1};
	int rc = mmb__fd_state_open("preadv2-nowait", path, o, 0,
				    sizeof(struct mmb__fd), state, why, whylen);

	if (rc < 0)
		return rc;
	/* A one-byte probe: EAGAIN (not cached) is fine, EOPNOTSUPP,
	 * EINVAL or ENOSYS mean no RWF_NOWAIT here. */
	rc = size ? (int)preadv2(((struct mmb__fd *)*state)->fd, &iov, 1, 0,
				 RWF_NOWAIT)
		  : 0;
	if (rc >= 0 || errno == EAGAIN)
		return 0;
	rc = errno;
	mmb__fd_close(*state);
	return mmb__why(MMB_ESKIP, why, whylen,
			"preadv2-nowait: preadv2(%s, RWF_NOWAIT): %s", path,
			strerror(rc));
}

/* Until len or the end of the file; EAGAIN on any piece, even after a
 * partial read, leaves the whole op not served. */
static int64_t pn_read(void *state, void *buf, size_t len, uint64_t off)
{
	const struct mmb__fd *f = state;
	size_t done = 0;
	ssize_t n = 1;

	while (done < len && n > 0) {
		struct iovec iov = {.iov_base = (char *)buf + done,
				    .iov_len = len - done < MMB__FD_MAX_RW
						   ? len - done
						   : MMB__FD_MAX_RW};
		n = preadv2(f->fd, &iov, 1, (off_t)(off + done), RWF_NOWAIT);
		if (n < 0 && errno == EAGAIN)
			return MMB_EAGAIN;
		if (n < 0 && errno != EINTR)
			return mmb_seterr(-errno, errno,
					  "preadv2(RWF_NOWAIT, off=%llu)",
					  (unsigned long long)(off + done));
		done += n > 0 ? (size_t)n : 0;
	}
	return (int64_t)done;
}

const struct mmb_backend mmb_backend_preadv2_nowait = {
    .name = "preadv2-nowait",
    .help = "preadv2 with RWF_NOWAIT: page-cache hits only; a read that "
	    "would block is not served (ops_not_served)",
    .caps = MMB_CAP_READ | MMB_CAP_NONBLOCK,
    .open = pn_open,
    .read = pn_read,
    .close = mmb__fd_close,
};
