/* SPDX-License-Identifier: MIT */
/* posix/atomic.c - atomic_os.h on POSIX: mkstemp, write, fchmod, fsync,
 * rename. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../atomic_os.h"
#include "mmb/error.h"

int mmb__tmp_create(struct mmb__tmpfile *t, const char *dest)
{
	int len = snprintf(t->path, sizeof(t->path), "%s.tmp.XXXXXX", dest);
	int fd;

	t->h = -1;
	if (len < 0 || (size_t)len >= sizeof(t->path))
		return mmb_seterr(MMB_ENAMETOOLONG, ENAMETOOLONG, "%s", dest);
	fd = mkstemp(t->path);
	if (fd < 0)
		return mmb_seterr(-errno, errno, "mkstemp(%s)", t->path);
	t->h = fd;
	return 0;
}

int mmb__tmp_write(struct mmb__tmpfile *t, const void *data, size_t len)
{
	const char *p = data;

	for (size_t done = 0; done < len;) {
		ssize_t w = write((int)t->h, p + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return mmb_seterr(-errno, errno, "write(%s)", t->path);
		done += (size_t)w;
	}
	return 0;
}

int mmb__tmp_commit(struct mmb__tmpfile *t, const char *dest)
{
	int fd = (int)t->h, rc;

	/* mkstemp makes 0600; results are meant to be shared. */
	if (fchmod(fd, 0644) < 0) {
		rc = mmb_seterr(-errno, errno, "fchmod(%s)", t->path);
		goto err_discard;
	}
	if (fsync(fd) < 0) {
		rc = mmb_seterr(-errno, errno, "fsync(%s)", t->path);
		goto err_discard;
	}
	t->h = -1;
	if (close(fd) < 0) {
		rc = mmb_seterr(-errno, errno, "close(%s)", t->path);
		goto err_discard;
	}
	if (rename(t->path, dest) < 0) {
		rc = mmb_seterr(-errno, errno, "rename(%s, %s)", t->path, dest);
		goto err_discard;
	}
	return 0;

err_discard:
	mmb__tmp_discard(t);
	return rc;
}

void mmb__tmp_discard(struct mmb__tmpfile *t)
{
	if (t->h >= 0)
		close((int)t->h);
	t->h = -1;
	unlink(t->path);
}

int mmb__path_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
