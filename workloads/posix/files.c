/* posix/files.c - the test file's I/O, aligned buffers and the default
 * data directory on POSIX. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

int mmb__file_open_ro(const char *path, int *fd, uint64_t *size, bool *regular)
{
	struct stat st;
	int f = open(path, O_RDONLY | O_CLOEXEC);

	if (f < 0)
		return mmb_seterr(-errno, errno, "open(%s)", path);
	if (fstat(f, &st) < 0) {
		int e = errno;
		close(f);
		return mmb_seterr(-e, e, "fstat(%s)", path);
	}
	*fd = f;
	*size = (uint64_t)st.st_size;
	*regular = S_ISREG(st.st_mode);
	return 0;
}

void mmb__file_close(int fd)
{
	close(fd);
}

long mmb__file_pread(int fd, void *buf, size_t len, uint64_t off)
{
	for (;;) {
		ssize_t n = pread(fd, buf, len, (off_t)off);
		if (n >= 0)
			return (long)n;
		if (errno != EINTR)
			return mmb_seterr(-errno, errno,
					  "pread(offset=%llu, len=%zu)",
					  (unsigned long long)off, len);
	}
}

long mmb__file_pwrite(int fd, const void *buf, size_t len, uint64_t off)
{
	for (;;) {
		ssize_t n = pwrite(fd, buf, len, (off_t)off);
		if (n >= 0)
			return (long)n;
		if (errno != EINTR)
			return mmb_seterr(-errno, errno,
					  "pwrite(offset=%llu, len=%zu)",
					  (unsigned long long)off, len);
	}
}

int mmb__file_temp(const char *path, char *tmp, size_t n, int *fd)
{
	int len = snprintf(tmp, n, "%s.XXXXXX", path);

	if (len < 0 || (size_t)len >= n)
		return mmb_seterr(MMB_ENAMETOOLONG, ENAMETOOLONG, "%s", path);
	*fd = mkstemp(tmp);
	if (*fd < 0)
		return mmb_seterr(-errno, errno, "mkstemp(%s)", tmp);
	return 0;
}

int mmb__file_publish(int fd, const char *tmp, const char *path)
{
	/* mkstemp makes 0600; the test file is shared between users. */
	if (fchmod(fd, 0644) < 0) {
		int e = errno;
		close(fd);
		return mmb_seterr(-e, e, "fchmod(%s)", tmp);
	}
	if (close(fd) < 0)
		return mmb_seterr(-errno, errno, "close(%s)", tmp);
	if (rename(tmp, path) < 0)
		return mmb_seterr(-errno, errno, "rename(%s, %s)", tmp, path);
	return 0;
}

void mmb__file_remove(const char *path)
{
	unlink(path);
}

int mmb__mkdir(const char *dir)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return mmb_seterr(-errno, errno, "mkdir(%s)", dir);
	return 0;
}

const char *mmb__data_dir(void)
{
	return "/var/tmp/mmbench";
}

void *mmb__aligned_alloc(size_t align, size_t len)
{
	void *p;
	return posix_memalign(&p, align, len) == 0 ? p : NULL;
}

void mmb__aligned_free(void *p)
{
	free(p);
}
