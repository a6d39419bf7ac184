/* SPDX-License-Identifier: MIT */
/* posix/atomic.c - atomic_os.h on POSIX: open O_EXCL, write, fsync,
 * rename. Outputs are created 0666 and the umask decides who may read
 * them, as for any file a program writes (mkstemp's 0600, widened to 0644
 * whatever the umask, gave away what umask 077 keeps). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../atomic_os.h"
#include "mmb/error.h"

void mmb__unique_suffix(char *tmpl)
{
	static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
				    "opqrstuvwxyz0123456789";
	static uint64_t counter;
	struct timespec ts;
	size_t n = strlen(tmpl);
	uint64_t x;

	clock_gettime(CLOCK_REALTIME, &ts);
	x = ((uint64_t)ts.tv_nsec << 16) ^ (uint64_t)ts.tv_sec ^
	    ((uint64_t)getpid() << 40) ^ (++counter * 0x9e3779b97f4a7c15ull);
	for (size_t i = n >= 6 ? n - 6 : 0; i < n; i++) {
		x ^= x >> 12, x ^= x << 25, x ^= x >> 27; /* xorshift */
		tmpl[i] = chars[(x * 2685821657736338717ull >> 58) % 62];
	}
}

int mmb__tmp_create(struct mmb__tmpfile *t, const char *dest)
{
	int len = snprintf(t->path, sizeof(t->path), "%s.tmp.XXXXXX", dest);
	int fd = -1;

	t->h = -1;
	if (len < 0 || (size_t)len >= sizeof(t->path))
		return mmb_seterr(MMB_ENAMETOOLONG, ENAMETOOLONG, "%s", dest);
	/* mkstemp, with the mode left to the umask; O_EXCL never follows a
	 * planted link. */
	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		mmb__unique_suffix(t->path);
		fd = open(t->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0)
		return mmb_seterr(-errno, errno, "open(%s)", t->path);
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
