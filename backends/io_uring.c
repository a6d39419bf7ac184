/* SPDX-License-Identifier: MIT */
/* backends/io_uring.c - reads and writes through io_uring (liburing): one
 * ring per thread, queue depth 1, each op submitted and waited for with a
 * single io_uring_enter. This measures io_uring's per-op path, not its
 * batching; the file is registered so ops skip the fd lookup. */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

struct iou_state {
	struct mmb__fd f; /* first: fd.c's helpers take the state */
	struct io_uring ring;
};

/* A ring with the file registered as fixed file 0. */
static int iou_ring_init(struct iou_state *s)
{
	int rc = io_uring_queue_init(1, &s->ring, 0);

	if (rc < 0)
		return mmb_seterr(rc, -rc, "io_uring_queue_init(entries=1)");
	rc = io_uring_register_files(&s->ring, &s->f.fd, 1);
	if (rc < 0) {
		io_uring_queue_exit(&s->ring);
		return mmb_seterr(rc, -rc, "io_uring_register_files(1)");
	}
	return 0;
}

static int iou_open(const char *path, uint64_t size,
		    const struct mmb_backend_opts *o, void **state, char *why,
		    size_t whylen)
{
	struct iou_state *s;
	void *p;
	int rc;

	(void)size;
	rc = mmb__fd_state_open("io_uring", path, o, 0, sizeof(*s), &p, why,
				whylen);
	if (rc < 0)
		return rc;
	s = p;
	rc = iou_ring_init(s);
	if (rc == MMB_ENOSYS || rc == MMB_EPERM) {
		rc =
		    mmb__why(MMB_ESKIP, why, whylen,
			     "io_uring: io_uring_queue_init failed with %s: %s",
			     rc == MMB_ENOSYS ? "ENOSYS" : "EPERM",
			     rc == MMB_ENOSYS
				 ? "the kernel has no io_uring"
				 : "io_uring is disabled or filtered (check "
				   "/proc/sys/kernel/io_uring_disabled and the "
				   "seccomp profile)");
		goto err_close;
	}
	if (rc < 0) {
		mmb__why_err(rc, "io_uring", why, whylen);
		goto err_close;
	}
	*state = s;
	return 0;

err_close:
	mmb__fd_close(s);
	return rc;
}

static int iou_thread_open(void *state, unsigned idx, void **tstate)
{
	struct iou_state *s = state, *t;
	int rc;

	(void)idx;
	t = calloc(1, sizeof(*t));
	if (!t)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "io_uring: calloc");
	t->f = s->f;
	rc = iou_ring_init(t);
	if (rc < 0) {
		free(t);
		return rc;
	}
	*tstate = t;
	return 0;
}

static void iou_thread_close(void *tstate)
{
	struct iou_state *t = tstate;

	if (!t)
		return;
	io_uring_queue_exit(&t->ring);
	free(t);
}

/* An SQE carries a 32-bit length and a CQE an int result: an op is split
 * where the kernel splits read(2)/write(2) (MMB__FD_MAX_RW), one SQE per
 * piece, so a huge op moves all its bytes instead of having its length
 * wrapped. */

/* Submit the prepared SQE, wait for its completion, return its result. */
static int iou_run(struct iou_state *s, const char *op, uint64_t off,
		   size_t len)
{
	struct io_uring_cqe *cqe;
	int rc, res;

	do
		rc = io_uring_submit_and_wait(&s->ring, 1);
	while (rc == -EINTR);
	if (rc < 0)
		return mmb_seterr(rc, -rc, "io_uring_submit_and_wait(%s)", op);
	do
		rc = io_uring_wait_cqe(&s->ring, &cqe);
	while (rc == -EINTR);
	if (rc < 0)
		return mmb_seterr(rc, -rc, "io_uring_wait_cqe(%s)", op);
	res = cqe->res;
	io_uring_cqe_seen(&s->ring, cqe);
	if (res < 0)
		return mmb_seterr(res, -res, "io_uring %s(off=%llu, len=%zu)",
				  op, (unsigned long long)off, len);
	return res;
}

/* One read or write of len bytes, piece by piece; stops at the end of
 * the file (a short read). */
static int64_t iou_rw(struct iou_state *s, bool wr, void *buf, size_t len,
		      uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&s->ring);
		size_t want =
		    len - done < MMB__FD_MAX_RW ? len - done : MMB__FD_MAX_RW;
		int n;

		if (wr)
			io_uring_prep_write(sqe, 0, (char *)buf + done,
					    (unsigned)want, off + done);
		else
			io_uring_prep_read(sqe, 0, (char *)buf + done,
					   (unsigned)want, off + done);
		sqe->flags |= IOSQE_FIXED_FILE;
		n = iou_run(s, wr ? "write" : "read", off + done, want);
		if (n < 0)
			return n;
		if (n == 0 && wr)
			return mmb_seterr(MMB_EIO, 0,
					  "io_uring write(off=%llu, len=%zu): "
					  "wrote nothing",
					  (unsigned long long)(off + done),
					  want);
		done += (size_t)n;
		if ((size_t)n < want && !wr)
			break;
	}
	return (int64_t)done;
}

static int64_t iou_read(void *tstate, void *buf, size_t len, uint64_t off)
{
	return iou_rw(tstate, false, buf, len, off);
}

static int64_t iou_write(void *tstate, const void *buf, size_t len,
			 uint64_t off)
{
	struct iou_state *s = tstate;
	struct io_uring_sqe *sqe;
	int64_t n = iou_rw(s, true, (void *)buf, len, off);
	int rc;

	if (n < 0 || s->f.sync == MMB_WSYNC_NONE ||
	    s->f.sync == MMB_WSYNC_FSYNC)
		return n;
	/* Per-write durability goes through the ring too, so the op stays
	 * io_uring end to end: fdatasync for MS_SYNC, start write-back of
	 * the range for MS_ASYNC. */
	sqe = io_uring_get_sqe(&s->ring);
	if (s->f.sync == MMB_WSYNC_MSYNC)
		io_uring_prep_fsync(sqe, 0, IORING_FSYNC_DATASYNC);
	else
		/* 0 = to the end of the file, for a range the SQE's
		 * 32-bit length cannot hold. */
		io_uring_prep_sync_file_range(
		    sqe, 0, (uint64_t)n > UINT32_MAX ? 0 : (unsigned)n, off,
		    SYNC_FILE_RANGE_WRITE);
	sqe->flags |= IOSQE_FIXED_FILE;
	rc = iou_run(
	    s, s->f.sync == MMB_WSYNC_MSYNC ? "fdatasync" : "sync_file_range",
	    off, (size_t)n);
	return rc < 0 ? rc : n;
}

static void iou_close(void *state)
{
	struct iou_state *s = state;

	if (!s)
		return;
	io_uring_queue_exit(&s->ring);
	mmb__fd_close(s);
}

const struct mmb_backend mmb_backend_io_uring = {
    .name = "io_uring",
    .help = "io_uring read/write, one ring per thread, queue depth 1 "
	    "(submit and wait per op)",
    .caps = MMB_CAP_READ | MMB_CAP_WRITE,
    .open = iou_open,
    .thread_open = iou_thread_open,
    .thread_close = iou_thread_close,
    .read = iou_read,
    .write = iou_write,
    .sync = mmb__fd_sync,
    .close = iou_close,
};
