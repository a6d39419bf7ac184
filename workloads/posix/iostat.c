/* SPDX-License-Identifier: MIT */
/* posix/iostat.c - storage counters on Linux: the process's bytes through
 * the block layer (/proc/self/io), the whole disk's sectors
 * (/sys/block/DEV/stat) around the timed region, and the context that
 * decides amplification (readahead, fault-around, THP defrag). The
 * metrics and the verdict's words built from them are portable
 * (workloads/iostat.c). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "iostat.h"
#include "mmbench/backend.h"
#include "mmb/error.h"
#include "mmb/map.h"

/* ---- /proc/self/io ------------------------------------------------------ */

static bool field_u64(const char *text, const char *key, uint64_t *out)
{
	size_t kl = strlen(key);

	for (const char *l = text; *l;) {
		const char *nl = strchr(l, '\n');
		if (strncmp(l, key, kl) != 0 || l[kl] != ':') {
			if (!nl)
				break;
			l = nl + 1;
			continue;
		}
		const char *p = l + kl + 1;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p < '0' || *p > '9')
			return false;
		char *end;
		errno = 0;
		unsigned long long v = strtoull(p, &end, 10);
		if (errno || (*end && *end != '\n' && *end != ' '))
			return false;
		*out = v;
		return true;
	}
	return false;
}

int mmb__procio_parse(const char *text, struct mmb__procio *out)
{
	struct mmb__procio p = {0};

	if (!text || !field_u64(text, "read_bytes", &p.read_bytes) ||
	    !field_u64(text, "write_bytes", &p.write_bytes))
		return MMB_ENOTSUP;
	/* Older kernels may lack it; it only refines write_bytes. */
	field_u64(text, "cancelled_write_bytes", &p.cancelled_write_bytes);
	*out = p;
	return 0;
}

/* Whole small file into buf (NUL-terminated). */
static int slurp(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;

	if (fd < 0)
		return -errno;
	while (len + 1 < n) {
		ssize_t r = read(fd, buf + len, n - 1 - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = -errno;
			close(fd);
			return e;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = 0;
	return 0;
}

int mmb__procio_read(const char *path, struct mmb__procio *out)
{
	char buf[1024];
	int rc = slurp(path, buf, sizeof(buf));

	return rc < 0 ? rc : mmb__procio_parse(buf, out);
}

/* ---- the file's disk ----------------------------------------------------- */

int mmb__blkdev_disk(const char *sysfs, unsigned maj, unsigned min, char *name,
		     size_t n)
{
	char link[PATH_MAX], dir[PATH_MAX], part[PATH_MAX + 16];

	if ((size_t)snprintf(link, sizeof(link), "%s/dev/block/%u:%u", sysfs,
			     maj, min) >= sizeof(link))
		return MMB_ENAMETOOLONG;
	if (!realpath(link, dir))
		return MMB_ENOENT;
	/* A partition's directory sits inside its disk's and holds a
	 * "partition" file; the disk's stat is what the device did. */
	snprintf(part, sizeof(part), "%s/partition", dir);
	if (access(part, F_OK) == 0) {
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			return MMB_ENOENT;
		*slash = 0;
	}
	const char *base = strrchr(dir, '/');
	base = base ? base + 1 : dir;
	if (!*base)
		return MMB_ENOENT;
	if ((size_t)snprintf(name, n, "%s", base) >= n)
		return MMB_ENAMETOOLONG;
	return 0;
}

int mmb__blkdev_stat(const char *sysfs, const char *disk, uint64_t *rd_sect,
		     uint64_t *wr_sect)
{
	char path[PATH_MAX], buf[512];
	unsigned long long f[7];
	int rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/block/%s/stat", sysfs,
			     disk) >= sizeof(path))
		return MMB_ENAMETOOLONG;
	rc = slurp(path, buf, sizeof(buf));
	if (rc < 0)
		return rc;
	/* read I/Os, merges, sectors, ticks; write I/Os, merges, sectors */
	if (sscanf(buf, "%llu %llu %llu %llu %llu %llu %llu", &f[0], &f[1],
		   &f[2], &f[3], &f[4], &f[5], &f[6]) != 7)
		return MMB_ENOTSUP;
	*rd_sect = f[2];
	*wr_sect = f[6];
	return 0;
}

static int blkdev_of_dev(dev_t dev, char *name, size_t n)
{
	return mmb__blkdev_disk("/sys", major(dev), minor(dev), name, n);
}

int mmb__blkdev_of_fd(int fd, char *name, size_t n)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	return blkdev_of_dev(st.st_dev, name, n);
}

/* ---- one measured window ------------------------------------------------- */

void mmb__io_start(struct mmb__io *io, int fd)
{
	memset(io, 0, sizeof(*io));
	io->proc_ok = mmb__procio_read("/proc/self/io", &io->p0) == 0;
	io->disk_ok =
	    mmb__blkdev_of_fd(fd, io->disk, sizeof(io->disk)) == 0 &&
	    mmb__blkdev_stat("/sys", io->disk, &io->d0r, &io->d0w) == 0;
}

void mmb__io_stop(struct mmb__io *io)
{
	if (io->proc_ok)
		io->proc_ok = mmb__procio_read("/proc/self/io", &io->p1) == 0;
	if (io->disk_ok)
		io->disk_ok =
		    mmb__blkdev_stat("/sys", io->disk, &io->d1r, &io->d1w) == 0;
}

/* ---- context ------------------------------------------------------------- */

static bool read_line(const char *path, char *buf, size_t n)
{
	if (slurp(path, buf, n) < 0)
		return false;
	buf[strcspn(buf, "\n")] = 0;
	return true;
}

static int64_t read_i64(const char *path)
{
	char buf[64], *end;
	long long v;

	if (!read_line(path, buf, sizeof(buf)))
		return -1;
	errno = 0;
	v = strtoll(buf, &end, 10);
	return errno || end == buf || v < 0 ? -1 : (int64_t)v;
}

void mmb__io_env(struct mmb_env *env, const char *path)
{
	char buf[256];
	struct stat st;
	struct statfs sf;

	snprintf(env->block_device, sizeof(env->block_device), "unavailable");
	env->read_ahead_kb = -1;
	if (path && stat(path, &st) == 0 &&
	    blkdev_of_dev(st.st_dev, env->block_device,
			  sizeof(env->block_device)) == 0) {
		snprintf(buf, sizeof(buf), "/sys/block/%s/queue/read_ahead_kb",
			 env->block_device);
		env->read_ahead_kb = read_i64(buf);
	} else {
		snprintf(env->block_device, sizeof(env->block_device),
			 "unavailable");
	}
	env->page_cluster = read_i64("/proc/sys/vm/page-cluster");
	/* debugfs: mounted and root only; "unavailable" otherwise. */
	env->fault_around_bytes =
	    read_i64("/sys/kernel/debug/fault_around_bytes");
	snprintf(env->thp_defrag, sizeof(env->thp_defrag), "unavailable");
	if (read_line("/sys/kernel/mm/transparent_hugepage/defrag", buf,
		      sizeof(buf))) {
		char *l = strchr(buf, '['), *rb = l ? strchr(l, ']') : NULL;
		if (l && rb) {
			*rb = 0;
			snprintf(env->thp_defrag, sizeof(env->thp_defrag), "%s",
				 l + 1);
		}
	}
	env->fs_block_size = path && statfs(path, &sf) == 0 && sf.f_bsize > 0
				 ? (uint64_t)sf.f_bsize
				 : 0;
}
