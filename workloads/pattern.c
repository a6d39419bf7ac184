/* SPDX-License-Identifier: MIT */
/* pattern.c - the test file: its deterministic pattern, its path, its
 * creation (not timed; through a temp file and rename, so an interrupted
 * creation never leaves a file that looks valid) and the checks before it
 * is reused.
 *
 * The data directory is shared by every run of a user, so it is checked
 * before anything goes into it (mmb__dir_check: no directory others can
 * write to), the file is never opened through a symlink, and its identity
 * (device, inode) goes back to the caller so every later open can check
 * it gets that same file (mmb_backend_opts.file_id). */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PATTERN_PAGE 4096u

uint64_t mmb_pattern_page_word(uint64_t off)
{
	/* The page number, 7 bits per byte with each byte's top bit set:
	 * unique per page (below 2^56 pages) and no byte is ever zero. */
	uint64_t page = off / PATTERN_PAGE, w = 0;
	for (int i = 0; i < 8; i++)
		w |= (uint64_t)(0x80u | ((page >> (7 * i)) & 0x7fu)) << (8 * i);
	return w;
}

static unsigned char pattern_byte(uint64_t off)
{
	unsigned in_page = (unsigned)(off % PATTERN_PAGE);
	if (in_page < 8) {
		uint64_t w = mmb_pattern_page_word(off);
		unsigned char b[8];
		memcpy(b, &w, 8);
		return b[in_page];
	}
	return (unsigned char)(1 + (in_page * 7u) % 255u);
}

static unsigned char page[PATTERN_PAGE];
static pthread_once_t page_once = PTHREAD_ONCE_INIT;

static void page_init(void)
{
	for (unsigned j = 0; j < PATTERN_PAGE; j++)
		page[j] = pattern_byte(PATTERN_PAGE + j);
}

void mmb_pattern_fill(void *buf, uint64_t off, size_t len)
{
	unsigned char *p = buf;
	size_t i = 0;

	/* The fixed part of a page is the same in every page: copy it, then
	 * patch the page headers. */
	pthread_once(&page_once, page_init);
	while (i < len) {
		uint64_t o = off + i;
		size_t in_page = (size_t)(o % PATTERN_PAGE);
		size_t n = PATTERN_PAGE - in_page;
		if (n > len - i)
			n = len - i;
		memcpy(p + i, page + in_page, n);
		if (in_page < 8) {
			uint64_t w = mmb_pattern_page_word(o);
			size_t hn = 8 - in_page < n ? 8 - in_page : n;
			memcpy(p + i, (unsigned char *)&w + in_page, hn);
		}
		i += n;
	}
}

int mmb_testfile_path(char *buf, size_t n, uint64_t size)
{
	const char *dir = getenv("MMBENCH_DATA_DIR");
	char sz[32];
	int len;

	if (!dir || !*dir)
		dir = mmb__data_dir();
	if (size && size % (1ull << 30) == 0)
		snprintf(sz, sizeof(sz), "%lluG",
			 (unsigned long long)(size >> 30));
	else if (size && size % (1ull << 20) == 0)
		snprintf(sz, sizeof(sz), "%lluM",
			 (unsigned long long)(size >> 20));
	else if (size && size % 1024 == 0)
		snprintf(sz, sizeof(sz), "%lluK",
			 (unsigned long long)(size >> 10));
	else
		snprintf(sz, sizeof(sz), "%llu", (unsigned long long)size);
	len = snprintf(buf, n, "%s/mmbench-%s.dat", dir, sz);
	if (len < 0 || (size_t)len >= n)
		return mmb_seterr(MMB_ENAMETOOLONG, ENAMETOOLONG,
				  "test file path in %s", dir);
	return 0;
}

/* The stamp records that the file was created, or last read through, by
 * this code and held the pattern at that modification time: while the
 * file is not modified again a sampled check suffices; after any write
 * (a write workload, or anything else) the whole file is compared once.
 * Bump the generation when the pattern changes. */
#define STAMP_GEN "mmbench-testfile/1"

static void stamp_text(char *buf, size_t n, uint64_t size, uint64_t mtime_ns)
{
	snprintf(buf, n, STAMP_GEN " size=%llu mtime=%llu",
		 (unsigned long long)size, (unsigned long long)mtime_ns);
}

/* 1 when [off, off+n) holds the pattern, 0 when not, negative on error. */
static int range_matches(int fd, unsigned char *got, unsigned char *want,
			 uint64_t off, size_t n)
{
	long r = mmb__file_pread(fd, got, n, off);

	if (r < 0)
		return (int)r;
	if ((size_t)r != n)
		return 0;
	mmb_pattern_fill(want, off, n);
	return memcmp(got, want, n) == 0;
}

/* The sampled check: every page of a file up to 64 pages, else 64 plus
 * one per 256 pages (1 GiB: 1088 pages, 4.25 MiB), one page at a random
 * place in each of that many equal strata, the first and last page
 * always, so repeated reuses look at different pages. */
static int sample_matches(int fd, uint64_t size)
{
	uint64_t pages = (size + PATTERN_PAGE - 1) / PATTERN_PAGE;
	uint64_t k = pages <= 64 ? pages : 64 + pages / 256;
	unsigned char got[PATTERN_PAGE], want[PATTERN_PAGE];
	struct mmb__rng r;
	int rc = 1;

	mmb__rng_seed(&r, mmb__now_ns());
	for (uint64_t i = 0; rc == 1 && i < k; i++) {
		uint64_t lo = pages * i / k, hi = pages * (i + 1) / k;
		uint64_t pg = i == 0	   ? 0
			      : i == k - 1 ? pages - 1
					   : lo + mmb__rng_below(&r, hi - lo);
		uint64_t off = pg * PATTERN_PAGE;
		size_t n = size - off < PATTERN_PAGE ? (size_t)(size - off)
						     : PATTERN_PAGE;

		rc = range_matches(fd, got, want, off, n);
	}
	return rc;
}

/* Every byte; 0 also when stopped (the file is then not reused). */
static int full_matches(int fd, uint64_t size, int (*stop)(void))
{
	size_t chunk = 1u << 20;
	unsigned char *got = malloc(chunk), *want = malloc(chunk);
	int rc = 1;

	if (!got || !want)
		rc = mmb_seterr(MMB_ENOMEM, ENOMEM, "malloc(%zu)", chunk);
	for (uint64_t off = 0; rc == 1 && off < size; off += chunk) {
		size_t n = size - off < chunk ? (size_t)(size - off) : chunk;

		if (stop && stop())
			rc = 0;
		else
			rc = range_matches(fd, got, want, off, n);
	}
	free(got);
	free(want);
	return rc;
}

/* Both separators: Windows paths may use either. */
static bool is_sep(char c)
{
	return c == '/' || c == '\\';
}

/* The directory part of path ("." when none) and where the name starts. */
static int split_path(const char *path, char *dir, size_t n, const char **base)
{
	const char *slash = NULL;

	for (const char *p = path; *p; p++)
		if (is_sep(*p))
			slash = p;
	*base = slash ? slash + 1 : path;
	if (!slash) {
		snprintf(dir, n, ".");
		return 0;
	}
	size_t dl = slash == path ? 1 : (size_t)(slash - path);
	if (dl >= n)
		return mmb_seterr(MMB_ENAMETOOLONG, ENAMETOOLONG,
				  "test file %s", path);
	memcpy(dir, path, dl);
	dir[dl] = 0;
	return 0;
}

/* Parents 0755 as usual, the data directory itself 0700. */
static int mkdir_p(const char *dir)
{
	char tmp[PATH_MAX];
	size_t len = strlen(dir);
	int rc;

	if (len >= sizeof(tmp))
		return mmb_seterr(MMB_ENAMETOOLONG, ENAMETOOLONG, "mkdir(%s)",
				  dir);
	memcpy(tmp, dir, len + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (!is_sep(*p))
			continue;
		char c = *p;
		*p = 0;
		rc = mmb__mkdir(tmp, false);
		if (rc < 0)
			return rc;
		*p = c;
	}
	return mmb__mkdir(tmp, true);
}

static int create_file(const char *path, const char *dir, uint64_t size,
		       int (*stop)(void), struct mmb__file_info *fi)
{
	char tmp[PATH_MAX + 32], stamp[96], m[256];
	size_t chunk = 1u << 20;
	unsigned char *buf;
	int fd, rc, sig;

	rc = mmb__file_temp(path, tmp, sizeof(tmp), &fd);
	if (rc < 0) {
		/* EACCES, EROFS, ENOSPC...: say where. */
		const struct mmb_errctx *e = mmb_last_error();
		snprintf(m, sizeof(m), "%s", e->call);
		return mmb_seterr(rc, e->os_error, "data directory %s: %s", dir,
				  m);
	}
	buf = malloc(chunk);
	if (!buf) {
		rc = mmb_seterr(MMB_ENOMEM, ENOMEM, "malloc(%zu)", chunk);
		goto err_close;
	}
	for (uint64_t off = 0; off < size; off += chunk) {
		size_t n = size - off < chunk ? (size_t)(size - off) : chunk;

		/* A 1 MiB write takes milliseconds: Ctrl-C stops this within
		 * one. */
		if (stop && (sig = stop()) != 0) {
			rc = mmb_seterr(MMB_EINTR, EINTR,
					"creating %s: stopped by signal %d "
					"after %llu of %llu bytes; removed it",
					tmp, sig, (unsigned long long)off,
					(unsigned long long)size);
			goto err_free;
		}
		mmb_pattern_fill(buf, off, n);
		for (size_t done = 0; done < n;) {
			long w = mmb__file_pwrite(fd, buf + done, n - done,
						  off + done);
			if (w <= 0) {
				rc = w < 0
					 ? (int)w
					 : mmb_seterr(MMB_EIO, EIO,
						      "write(%s): no progress",
						      tmp);
				goto err_free;
			}
			done += (size_t)w;
		}
	}
	free(buf);
	rc = mmb__file_info(fd, fi);
	if (rc < 0)
		goto err_close;
	/* After the last write, so it names the final modification time; a
	 * file system without xattrs just has no stamp. */
	stamp_text(stamp, sizeof(stamp), size, fi->mtime_ns);
	mmb__file_stamp_set(fd, stamp);
	rc = mmb__file_publish(fd, tmp, path);
	if (rc < 0)
		goto err_remove;
	return 0;

err_free:
	free(buf);
err_close:
	mmb__file_close(fd);
err_remove:
	mmb__file_remove(tmp);
	return rc;
}

/* 1 when path holds a valid test file of size bytes (fi describes it), 0
 * when it does not exist or must be recreated, or a negative MMB_E* when
 * it must not be touched: a symlink, not a regular file, owned by another
 * user, or unreadable. */
static int valid_existing(const char *path, uint64_t size, int (*stop)(void),
			  struct mmb__file_info *fi)
{
	char want[96], have[96];
	uint64_t hole;
	int fd, rc = mmb__file_open_nofollow(path, &fd, fi);

	if (rc == MMB_ENOENT)
		return 0;
	if (rc < 0 && mmb_last_error()->os_error == ELOOP)
		return mmb_seterr(MMB_EPERM, ELOOP,
				  "%s is a symlink: refusing to follow it "
				  "(remove it and mmbench recreates the file)",
				  path);
	if (rc < 0)
		return rc;
	if (!fi->regular || !fi->mine) {
		if (!fi->regular)
			rc = mmb_seterr(MMB_EPERM, 0,
					"%s is not a regular file: refusing "
					"to replace it",
					path);
		else
			rc = mmb_seterr(MMB_EPERM, 0,
					"%s is owned by uid %llu, not by you "
					"or root: refusing to use it",
					path, (unsigned long long)fi->uid);
		goto out;
	}
	/* A second link may be someone else's file: recreate (the rename
	 * replaces only our name for it). */
	rc = 0;
	if (fi->nlink != 1 || fi->size != size)
		goto out;
	/* Holes (--advice remove punched them) are never part of a file
	 * that was written out in full. */
	if (mmb__file_first_hole(fd, size, &hole) < 0 || hole < size)
		goto out;
	stamp_text(want, sizeof(want), size, fi->mtime_ns);
	rc = mmb__file_stamp_get(fd, have, sizeof(have));
	if (rc == 0 && strcmp(have, want) == 0)
		rc = sample_matches(fd, size);
	else if (rc == MMB_ENOTSUP)
		rc = sample_matches(fd, size); /* no better at this cost */
	else {
		rc = full_matches(fd, size, stop);
		if (rc == 1)
			mmb__file_stamp_set(fd, want);
	}
out:
	mmb__file_close(fd);
	return rc;
}

int mmb_testfile_prepare(const char *path, uint64_t size, int (*stop)(void),
			 bool *created, struct mmb_file_id *id)
{
	char dir[PATH_MAX];
	struct mmb__file_info fi;
	struct mmb_errctx saved;
	const char *base;
	uint64_t avail;
	int rc;

	*created = false;
	if (id)
		memset(id, 0, sizeof(*id));
	if (size == 0)
		return mmb_seterr(MMB_EINVAL, 0, "test file size is 0");
	rc = split_path(path, dir, sizeof(dir), &base);
	if (rc < 0)
		return rc;
	rc = mkdir_p(dir);
	if (rc < 0)
		return rc;
	rc = mmb__dir_check(dir);
	if (rc < 0)
		return rc;
	mmb__file_sweep_temps(dir, base);
	rc = valid_existing(path, size, stop, &fi);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		mmb_clearerr();
		rc = mmb__dir_space(dir, &avail);
		if (rc < 0)
			return rc;
		if (avail < size)
			return mmb_seterr(MMB_ENOSPC, ENOSPC,
					  "data directory %s: the test file "
					  "needs %llu bytes, %llu are free",
					  dir, (unsigned long long)size,
					  (unsigned long long)avail);
		rc = create_file(path, dir, size, stop, &fi);
		/* Another mmbench may have published the same file meanwhile;
		 * on Windows our rename then fails while it has the file open.
		 * The re-check must not replace the reason ours failed. */
		if (rc < 0 && rc != MMB_EINTR) {
			saved = *mmb_last_error();
			if (valid_existing(path, size, stop, &fi) == 1)
				rc = 0;
			else
				mmb_seterr(saved.code, saved.os_error, "%s",
					   saved.call);
		}
		if (rc < 0)
			return rc;
		*created = true;
	}
	mmb_clearerr();
	if (id && fi.ino) {
		id->set = true;
		id->dev = fi.dev;
		id->ino = fi.ino;
	}
	return 0;
}
