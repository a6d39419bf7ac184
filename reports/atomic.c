/* atomic.c - whole-file writes that never leave a half-written file: a
 * temp file in the destination's directory (same file system, so rename
 * is atomic), fsync, rename; any failure removes the temp file. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmb/error.h"
#include "mmb/result.h"

static int temp_name(const char *path, char *tmp, size_t n)
{
	int len = snprintf(tmp, n, "%s.tmp.XXXXXX", path);
	if (len < 0 || (size_t)len >= n)
		return mmb_seterr(MMB_ENAMETOOLONG, ENAMETOOLONG, "%s", path);
	return 0;
}

int mmb_write_file_atomic(const char *path, const void *data, size_t len)
{
	char tmp[PATH_MAX];
	const char *p = data;
	int fd, rc;

	if (!path || !*path)
		return mmb_seterr(MMB_EINVAL, 0, "empty output path");
	rc = temp_name(path, tmp, sizeof(tmp));
	if (rc < 0)
		return rc;
	fd = mkstemp(tmp);
	if (fd < 0)
		return mmb_seterr(-errno, errno, "mkstemp(%s)", tmp);
	for (size_t done = 0; done < len;) {
		ssize_t w = write(fd, p + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			rc = mmb_seterr(-errno, errno, "write(%s)", tmp);
			goto err_unlink;
		}
		done += (size_t)w;
	}
	/* mkstemp makes 0600; results are meant to be shared. */
	if (fchmod(fd, 0644) < 0) {
		rc = mmb_seterr(-errno, errno, "fchmod(%s)", tmp);
		goto err_unlink;
	}
	if (fsync(fd) < 0) {
		rc = mmb_seterr(-errno, errno, "fsync(%s)", tmp);
		goto err_unlink;
	}
	if (close(fd) < 0) {
		fd = -1;
		rc = mmb_seterr(-errno, errno, "close(%s)", tmp);
		goto err_unlink;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		rc = mmb_seterr(-errno, errno, "rename(%s, %s)", tmp, path);
		goto err_unlink;
	}
	return 0;

err_unlink:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return rc;
}

int mmb_check_writable(const char *path)
{
	char tmp[PATH_MAX];
	struct stat st;
	int fd, rc;

	if (!path || !*path)
		return mmb_seterr(MMB_EINVAL, 0, "empty output path");
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return mmb_seterr(MMB_EISDIR, EISDIR, "%s", path);
	rc = temp_name(path, tmp, sizeof(tmp));
	if (rc < 0)
		return rc;
	fd = mkstemp(tmp);
	if (fd < 0)
		return mmb_seterr(-errno, errno, "mkstemp(%s)", tmp);
	close(fd);
	unlink(tmp);
	return 0;
}
