/* SPDX-License-Identifier: MIT */
/* backends/common.c - helpers shared by the backends. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

int mmb__open_file(const char *backend, const char *path,
		   const struct mmb_backend_opts *o, int extra_flags, char *why,
		   size_t whylen)
{
	int flags = (o->writable ? O_RDWR : O_RDONLY) | O_CLOEXEC | extra_flags;
	struct stat st;
	int fd;

	/* The validated file: not through a symlink, and the same inode. */
	if (o->file_id.set)
		flags |= O_NOFOLLOW;
	fd = open(path, flags);
	if (fd < 0) {
		int e = errno;

		mmb_seterr(-e, e, "open(%s, %s%s)%s", path,
			   o->writable ? "O_RDWR" : "O_RDONLY",
			   (extra_flags & O_DIRECT) ? "|O_DIRECT" : "",
			   e == ELOOP && o->file_id.set
			       ? ": it was replaced by a symlink since it was "
				 "validated; refusing to follow it"
			       : "");
		return mmb__why_err(-e, backend, why, whylen);
	}
	if (o->file_id.set &&
	    (fstat(fd, &st) < 0 || (uint64_t)st.st_dev != o->file_id.dev ||
	     (uint64_t)st.st_ino != o->file_id.ino)) {
		close(fd);
		mmb_seterr(MMB_EPERM, 0,
			   "open(%s): not the file that was validated (it was "
			   "replaced since); refusing to use it",
			   path);
		return mmb__why_err(MMB_EPERM, backend, why, whylen);
	}
	return fd;
}

int mmb__fadvise(const char *backend, int fd, const struct mmb_backend_opts *o,
		 char *why, size_t whylen)
{
	int adv, rc;

	switch (o->advice) {
	case -1:
		return 0;
	case MMB_ADV_NORMAL:
		adv = POSIX_FADV_NORMAL;
		break;
	case MMB_ADV_SEQUENTIAL:
		adv = POSIX_FADV_SEQUENTIAL;
		break;
	case MMB_ADV_RANDOM:
		adv = POSIX_FADV_RANDOM;
		break;
	case MMB_ADV_WILLNEED:
		adv = POSIX_FADV_WILLNEED;
		break;
	case MMB_ADV_DONTNEED:
		adv = POSIX_FADV_DONTNEED;
		break;
	default: {
		const char *name = o->advice >= 0 && o->advice < MMB_ADV__COUNT
				       ? mmb_advice_name(o->advice)
				       : NULL;

		return mmb__why(MMB_EINVAL, why, whylen,
				"%s: advice '%s' has no posix_fadvise "
				"equivalent; use normal, sequential, random, "
				"willneed or dontneed",
				backend, name ? name : "(unknown)");
	}
	}
	/* posix_fadvise returns the error number instead of setting errno. */
	rc = posix_fadvise(fd, 0, 0, adv);
	if (rc != 0) {
		mmb_seterr(-rc, rc, "posix_fadvise(advice=%d)", adv);
		return mmb__why_err(-rc, backend, why, whylen);
	}
	return 0;
}

int mmb__read_line(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "re");
	int e;

	if (!f) {
		e = errno;
		return mmb_seterr(-e, e, "fopen(%s)", path);
	}
	if (!fgets(buf, (int)n, f)) {
		e = ferror(f) ? EIO : EINVAL;
		fclose(f);
		return mmb_seterr(-e, 0, "read(%s): empty", path);
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}
