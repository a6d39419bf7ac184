/* SPDX-License-Identifier: MIT */
/* posix/files.c - the test file's I/O, aligned buffers and the default
 * data directory on POSIX, and the checks that keep other users from
 * planting files in it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "internal.h"

#define STAMP_XATTR "user.mmbench"

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

static void fill_info(const struct stat *st, struct mmb__file_info *fi)
{
	uid_t me = geteuid();

	fi->size = (uint64_t)st->st_size;
	fi->dev = (uint64_t)st->st_dev;
	fi->ino = (uint64_t)st->st_ino;
	fi->mtime_ns = (uint64_t)st->st_mtim.tv_sec * 1000000000ull +
		       (uint64_t)st->st_mtim.tv_nsec;
	fi->nlink = (uint64_t)st->st_nlink;
	fi->uid = (uint64_t)st->st_uid;
	fi->regular = S_ISREG(st->st_mode);
	fi->mine = st->st_uid == me || st->st_uid == 0;
}

int mmb__file_info(int fd, struct mmb__file_info *fi)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return mmb_seterr(-errno, errno, "fstat");
	fill_info(&st, fi);
	return 0;
}

int mmb__file_open_nofollow(const char *path, int *fd,
			    struct mmb__file_info *fi)
{
	struct stat st;
	/* O_NONBLOCK: a FIFO planted here must not hang the open. */
	int f = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	if (f < 0)
		return mmb_seterr(-errno, errno, "open(%s, O_NOFOLLOW)", path);
	if (fstat(f, &st) < 0) {
		int e = errno;
		close(f);
		return mmb_seterr(-e, e, "fstat(%s)", path);
	}
	fill_info(&st, fi);
	/* Only the open had to not block; reads of a file never do. */
	if (fi->regular)
		fcntl(f, F_SETFL, fcntl(f, F_GETFL) & ~O_NONBLOCK);
	*fd = f;
	return 0;
}

int mmb__file_check_id(const char *path, int fd, const struct mmb_file_id *id)
{
	struct stat st;
	int rc = fd >= 0 ? fstat(fd, &st) : lstat(path, &st);

	if (rc < 0)
		return mmb_seterr(-errno, errno, "%s(%s)",
				  fd >= 0 ? "fstat" : "lstat", path);
	if ((uint64_t)st.st_dev == id->dev && (uint64_t)st.st_ino == id->ino &&
	    S_ISREG(st.st_mode))
		return 0;
	return mmb_seterr(MMB_EPERM, 0,
			  "%s was replaced (by %s) since it was "
			  "validated: refusing to use it",
			  path,
			  S_ISLNK(st.st_mode)	? "a symlink"
			  : S_ISREG(st.st_mode) ? "another file"
						: "something not a file");
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
	int len = snprintf(tmp, n, "%s.%ld.XXXXXX", path, (long)getpid());

	if (len < 0 || (size_t)len >= n)
		return mmb_seterr(MMB_ENAMETOOLONG, ENAMETOOLONG, "%s", path);
	/* mkstemp: O_CREAT|O_EXCL, mode 0600; never follows a symlink. */
	*fd = mkstemp(tmp);
	if (*fd < 0)
		return mmb_seterr(-errno, errno, "mkstemp(%s)", tmp);
	fcntl(*fd, F_SETFD, FD_CLOEXEC);
	return 0;
}

/* The pid of "<base>.<pid>.XXXXXX", or 0 when name is not such a temp. */
static long temp_pid(const char *name, const char *base)
{
	size_t bl = strlen(base), nl = strlen(name);
	const char *p;
	char *end;
	long pid;

	if (nl < bl + 9 || strncmp(name, base, bl) != 0 || name[bl] != '.')
		return 0;
	p = name + bl + 1;
	if (*p < '1' || *p > '9')
		return 0;
	pid = strtol(p, &end, 10);
	if (*end != '.' || strlen(end + 1) != 6 || pid <= 0)
		return 0;
	return pid;
}

/* "mmbench-<size>.dat": the name part of a default test file's temp. */
static bool default_base(const char *name, char *base, size_t n)
{
	const char *dat = strstr(name, ".dat.");
	size_t len;

	if (strncmp(name, "mmbench-", 8) != 0 || !dat)
		return false;
	len = (size_t)(dat - name) + 4;
	if (len >= n)
		return false;
	memcpy(base, name, len);
	base[len] = 0;
	return true;
}

int mmb__file_sweep_temps(const char *dir, const char *base)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	uid_t me = geteuid();
	struct dirent *e;
	int removed = 0;
	DIR *d;

	if (dfd < 0)
		return 0;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		char b[NAME_MAX + 1];
		struct stat st;
		long pid = temp_pid(e->d_name, base);

		if (!pid && default_base(e->d_name, b, sizeof(b)))
			pid = temp_pid(e->d_name, b);
		/* kill(pid, 0) fails with ESRCH only when no such process
		 * exists; EPERM means it runs as someone else. */
		if (!pid || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 ||
		    errno != ESRCH)
			continue;
		if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode) || st.st_uid != me)
			continue;
		if (unlinkat(dfd, e->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	return removed;
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

int mmb__mkdir(const char *dir, bool private_dir)
{
	if (mkdir(dir, private_dir ? 0700 : 0755) < 0 && errno != EEXIST)
		return mmb_seterr(-errno, errno, "mkdir(%s)", dir);
	return 0;
}

/* One directory on the way: owned by me or root, not writable by others
 * unless sticky (there, others cannot rename or remove our files). */
static int dir_ok(const char *dir, const char *what)
{
	struct stat st;
	uid_t me = geteuid();

	if (stat(dir, &st) < 0)
		return mmb_seterr(-errno, errno, "stat(%s)", dir);
	if (!S_ISDIR(st.st_mode))
		return mmb_seterr(MMB_ENOTDIR, ENOTDIR, "%s %s", what, dir);
	if (st.st_uid != me && st.st_uid != 0)
		return mmb_seterr(MMB_EPERM, 0,
				  "%s %s is owned by uid %lu, not by you (uid "
				  "%lu) or root: refusing it",
				  what, dir, (unsigned long)st.st_uid,
				  (unsigned long)me);
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
		return mmb_seterr(MMB_EPERM, 0,
				  "%s %s is writable by %s (mode %04o) and not "
				  "sticky: refusing it",
				  what, dir,
				  (st.st_mode & S_IWOTH) ? "everyone"
							 : "its group",
				  (unsigned)(st.st_mode & 07777));
	return 0;
}

int mmb__dir_check(const char *dir)
{
	char real[PATH_MAX];
	struct stat st;
	uid_t me = geteuid();
	int rc;

	if (lstat(dir, &st) < 0)
		return mmb_seterr(-errno, errno, "lstat(%s)", dir);
	if (S_ISLNK(st.st_mode) && st.st_uid != me && st.st_uid != 0)
		return mmb_seterr(MMB_EPERM, 0,
				  "data directory %s is a symlink owned by uid "
				  "%lu, not by you (uid %lu) or root: refusing "
				  "to follow it",
				  dir, (unsigned long)st.st_uid,
				  (unsigned long)me);
	if (!realpath(dir, real))
		return mmb_seterr(-errno, errno, "realpath(%s)", dir);
	rc = dir_ok(real, "data directory");
	/* Then every directory above it: one writable by others lets them
	 * rename ours away and put their own in its place. */
	for (char *slash = strrchr(real, '/'); rc == 0 && slash;
	     slash = strrchr(real, '/')) {
		if (slash == real) {
			rc = real[1] ? dir_ok("/", "directory") : 0;
			break;
		}
		*slash = 0;
		rc = dir_ok(real, "directory");
	}
	return rc;
}

int mmb__dir_space(const char *dir, uint64_t *avail)
{
	struct statvfs sv;

	if (statvfs(dir, &sv) < 0)
		return mmb_seterr(-errno, errno, "statvfs(%s)", dir);
	*avail = (uint64_t)sv.f_bavail * (uint64_t)sv.f_frsize;
	return 0;
}

const char *mmb__data_dir(void)
{
	static char dir[64];

	/* Per user: one user's directory (or a planted one) never stands in
	 * another's way. Not cached: the user may change (setuid, fork). */
	snprintf(dir, sizeof(dir), "/var/tmp/mmbench-%lu",
		 (unsigned long)geteuid());
	return dir;
}

int mmb__file_stamp_get(int fd, char *buf, size_t n)
{
	ssize_t len = fgetxattr(fd, STAMP_XATTR, buf, n - 1);

	if (len < 0) {
		int e = errno;
		if (e == ENODATA)
			return mmb_seterr(MMB_ENOENT, e, "no stamp");
		if (e == ENOTSUP || e == ERANGE)
			return mmb_seterr(e == ENOTSUP ? MMB_ENOTSUP
						       : MMB_ENOENT,
					  e, "fgetxattr(%s)", STAMP_XATTR);
		return mmb_seterr(-e, e, "fgetxattr(%s)", STAMP_XATTR);
	}
	buf[len] = 0;
	return 0;
}

int mmb__file_stamp_set(int fd, const char *stamp)
{
	if (fsetxattr(fd, STAMP_XATTR, stamp, strlen(stamp), 0) < 0)
		return mmb_seterr(errno == ENOTSUP ? MMB_ENOTSUP : -errno,
				  errno, "fsetxattr(%s)", STAMP_XATTR);
	return 0;
}

int mmb__file_first_hole(int fd, uint64_t size, uint64_t *hole)
{
	off_t h = lseek(fd, 0, SEEK_HOLE);

	/* EINVAL/ENXIO: the file system cannot tell; the end counts as the
	 * implicit hole. */
	*hole = h < 0 || (uint64_t)h > size ? size : (uint64_t)h;
	return 0;
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
