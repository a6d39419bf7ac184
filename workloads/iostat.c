/* iostat.c - storage traffic around the timed region (I/O amplification),
 * the context that explains it, and the verdict's words about it. */
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
#include "mmb/backend.h"
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

static double delta(uint64_t a, uint64_t b)
{
	return b >= a ? (double)(b - a) : NAN;
}

void mmb__io_metrics(const struct mmb__io *io, double *m)
{
	double dr = NAN, dw = NAN;

	if (io->proc_ok) {
		dr = delta(io->p0.read_bytes, io->p1.read_bytes);
		dw = delta(io->p0.write_bytes, io->p1.write_bytes);
		/* Dirty pages truncated before writeback were counted in
		 * write_bytes but never written. */
		double cw = delta(io->p0.cancelled_write_bytes,
				  io->p1.cancelled_write_bytes);
		if (!isnan(dw) && !isnan(cw))
			dw = dw > cw ? dw - cw : 0;
	}
	m[MMB_M_DEV_READ_BYTES] = dr;
	m[MMB_M_DEV_WRITE_BYTES] = dw;
	m[MMB_M_READ_AMP] =
	    m[MMB_M_BYTES_READ] > 0 ? dr / m[MMB_M_BYTES_READ] : NAN;
	m[MMB_M_WRITE_AMP] =
	    m[MMB_M_BYTES_WRITTEN] > 0 ? dw / m[MMB_M_BYTES_WRITTEN] : NAN;
	m[MMB_M_DISK_READ_BYTES] =
	    io->disk_ok ? delta(io->d0r, io->d1r) * 512 : NAN;
	m[MMB_M_DISK_WRITE_BYTES] =
	    io->disk_ok ? delta(io->d0w, io->d1w) * 512 : NAN;
}

/* ---- verdict ------------------------------------------------------------- */

#define APPEND(...)                                                          \
	do {                                                                 \
		if (len < n)                                                 \
			len +=                                               \
			    (size_t)snprintf(v + len, n - len, __VA_ARGS__); \
	} while (0)

/* Ratios as people say them: "13x", "2.4x", "0.96x". */
static void ratio(double x, char *buf, size_t n)
{
	snprintf(buf, n, x >= 10 ? "%.0fx" : x >= 1 ? "%.1fx" : "%.2fx", x);
}

/* F moved much more through the device than R per requested byte. */
static bool amplified(double f, double r)
{
	return isfinite(f) && isfinite(r) && f >= 1.5 && f >= 2 * r;
}

size_t mmb__io_verdict_amp(const struct mmb_run_result *r,
			   const struct mmb_backend_result *F,
			   const struct mmb_backend_result *R, bool faster,
			   char *v, size_t n, size_t len)
{
	const double *fm = F->median.m, *rm = R->median.m;
	bool rd = amplified(fm[MMB_M_READ_AMP], rm[MMB_M_READ_AMP]);
	bool wr = amplified(fm[MMB_M_WRITE_AMP], rm[MMB_M_WRITE_AMP]);
	bool mapped = (F->caps & MMB_CAP_MAPPED) != 0;
	char a[16], b[16];

	if (rd) {
		ratio(fm[MMB_M_READ_AMP], a, sizeof(a));
		ratio(rm[MMB_M_READ_AMP], b, sizeof(b));
		if (faster)
			APPEND(", but it read");
		else
			APPEND("; %s read", F->name);
		APPEND(" %s the requested bytes from the device (%s: %s; %s)",
		       a, R->name, b,
		       mapped ? "readahead and fault-around" : "readahead");
	}
	if (wr) {
		ratio(fm[MMB_M_WRITE_AMP], a, sizeof(a));
		ratio(rm[MMB_M_WRITE_AMP], b, sizeof(b));
		if (rd)
			APPEND(" and wrote");
		else if (faster)
			APPEND(", but it wrote");
		else
			APPEND("; %s wrote", F->name);
		APPEND(" %s the requested bytes to the device (%s: %s; %s)", a,
		       R->name, b,
		       mapped ? "a store dirties a whole page or folio"
			      : "partial pages written back whole");
	}
	/* A write-only run has no read ratio, but a mapping must read a
	 * page in before a store can change part of it. */
	double fr = fm[MMB_M_DEV_READ_BYTES], rr = rm[MMB_M_DEV_READ_BYTES];
	double fw = fm[MMB_M_BYTES_WRITTEN];
	bool rbw = !rd && fm[MMB_M_BYTES_READ] == 0 && fw > 0 && isfinite(fr) &&
		   isfinite(rr) && fr >= 0.5 * fw && fr >= 2 * rr;
	if (rbw) {
		if (faster)
			APPEND(", but it made the device read");
		else
			APPEND("; %s made the device read", F->name);
		APPEND(" %.1f MiB to write %.1f MiB (%s: %.1f MiB; pages read "
		       "in before being partly overwritten%s)",
		       fr / 1048576, fw / 1048576, R->name, rr / 1048576,
		       mapped ? ", with readahead" : "");
	}
	/* Random advice turns readahead and fault-around off; say so only
	 * when it was not already asked for. */
	if ((rd || (rbw && mapped)) && r->advice != MMB_ADV_RANDOM)
		APPEND("; try --advice random");
	return len;
}

/* A run started from another cache state than the one asked for. */
static bool cache_off(const struct mmb_run_result *r, double resident)
{
	if (!isfinite(resident))
		return false;
	if (strcmp(r->cache, "cold") == 0)
		return resident > 0.01;
	if (strcmp(r->cache, "warm") == 0)
		return resident < 0.99;
	return false;
}

size_t mmb__io_verdict_cache(const struct mmb_run_result *r,
			     const struct mmb_backend_result *F,
			     const struct mmb_backend_result *R, char *v,
			     size_t n, size_t len)
{
	const struct mmb_backend_result *two[2] = {F, R};

	for (int i = 0; i < 2; i++) {
		/* The worst repetition tells whether any started off. */
		bool cold = strcmp(r->cache, "cold") == 0;
		double res = cold ? two[i]->max.m[MMB_M_RESIDENT_BEFORE]
				  : two[i]->min.m[MMB_M_RESIDENT_BEFORE];
		if (!cache_off(r, res))
			continue;
		APPEND("; the page cache was not %s for %s: %.1f%% of the "
		       "file was cached before a run, so the comparison is "
		       "not the one asked for",
		       r->cache, two[i]->name, res * 100);
	}
	return len;
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
