/* pattern.c - the test file: its deterministic pattern, its path, and its
 * creation (not timed; through a temp file and rename, so an interrupted
 * creation never leaves a file that looks valid). */
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

/* Does the file hold the pattern? Samples the first, middle and last
 * pages rather than reading a gigabyte. */
static bool pattern_matches(int fd, uint64_t size)
{
	uint64_t at[3] = {0, size / 2, size > 64 ? size - 64 : 0};
	unsigned char got[64], want[64];

	for (int i = 0; i < 3; i++) {
		size_t n = size - at[i] < 64 ? (size_t)(size - at[i]) : 64;
		if (mmb__file_pread(fd, got, n, at[i]) != (long)n)
			return false;
		mmb_pattern_fill(want, at[i], n);
		if (memcmp(got, want, n) != 0)
			return false;
	}
	return true;
}

/* Both separators: Windows paths may use either. */
static bool is_sep(char c)
{
	return c == '/' || c == '\\';
}

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
		rc = mmb__mkdir(tmp);
		if (rc < 0)
			return rc;
		*p = c;
	}
	return mmb__mkdir(tmp);
}

static int create_file(const char *path, uint64_t size)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 16];
	const char *slash = NULL;
	size_t chunk = 1u << 20;
	unsigned char *buf;
	int fd, rc;

	for (const char *p = path; *p; p++)
		if (is_sep(*p))
			slash = p;
	if (slash && slash != path) {
		size_t dl = (size_t)(slash - path);
		if (dl >= sizeof(dir))
			return mmb_seterr(MMB_ENAMETOOLONG, ENAMETOOLONG,
					  "test file %s", path);
		memcpy(dir, path, dl);
		dir[dl] = 0;
		rc = mkdir_p(dir);
		if (rc < 0)
			return rc;
	}
	rc = mmb__file_temp(path, tmp, sizeof(tmp), &fd);
	if (rc < 0)
		return rc;
	buf = malloc(chunk);
	if (!buf) {
		rc = mmb_seterr(MMB_ENOMEM, ENOMEM, "malloc(%zu)", chunk);
		goto err_close;
	}
	for (uint64_t off = 0; off < size; off += chunk) {
		size_t n = size - off < chunk ? (size_t)(size - off) : chunk;
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

/* 1 when path holds a valid test file of size bytes, 0 when it does not
 * exist or is not one, or a negative MMB_E* when it cannot be read. */
static int valid_existing(const char *path, uint64_t size)
{
	uint64_t have;
	bool regular, ok;
	int fd, rc = mmb__file_open_ro(path, &fd, &have, &regular);

	if (rc == MMB_ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	ok = regular && have == size && pattern_matches(fd, size);
	mmb__file_close(fd);
	return ok;
}

int mmb_testfile_prepare(const char *path, uint64_t size, bool *created)
{
	int rc;

	*created = false;
	if (size == 0)
		return mmb_seterr(MMB_EINVAL, 0, "test file size is 0");
	rc = valid_existing(path, size);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	mmb_clearerr();
	rc = create_file(path, size);
	/* Another mmbench may have published the same file meanwhile; on
	 * Windows our rename then fails while it has the file open. */
	if (rc < 0 && valid_existing(path, size) == 1) {
		mmb_clearerr();
		return 0;
	}
	*created = rc == 0;
	return rc;
}
