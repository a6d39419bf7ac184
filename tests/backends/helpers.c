/* SPDX-License-Identifier: MIT */
/* helpers.c - see helpers.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "helpers.h"
#include "test.h"

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

uint8_t pat_byte(uint64_t i, uint32_t seed)
{
	return (uint8_t)(mix((i >> 3) ^ ((uint64_t)seed << 48)) >>
			 ((i & 7) * 8));
}

void pat_fill(void *buf, size_t len, uint64_t off, uint32_t seed)
{
	uint8_t *p = buf;
	size_t i = 0;

	/* Byte by byte up to an 8-byte boundary, then whole words. */
	for (; i < len && ((off + i) & 7); i++)
		p[i] = pat_byte(off + i, seed);
	for (; i + 8 <= len; i += 8) {
		uint64_t w = mix(((off + i) >> 3) ^ ((uint64_t)seed << 48));

		for (int k = 0; k < 8; k++)
			p[i + k] = (uint8_t)(w >> (k * 8));
	}
	for (; i < len; i++)
		p[i] = pat_byte(off + i, seed);
}

int fx_setup(struct fx *f, uint64_t size)
{
	const char *tmp = getenv("TMPDIR");
	size_t chunk = 1 << 20;
	char *buf;
	int fd;

	snprintf(f->dir, sizeof(f->dir), "%s/mmb-backends-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		perror("mkdtemp");
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/data", f->dir);
	f->size = size;
	fd = open(f->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	buf = malloc(chunk);
	if (fd < 0 || !buf)
		goto err;
	for (uint64_t off = 0; off < size; off += chunk) {
		size_t n = size - off < chunk ? (size_t)(size - off) : chunk;

		pat_fill(buf, n, off, 0);
		if (pwrite(fd, buf, n, (off_t)off) != (ssize_t)n)
			goto err;
	}
	free(buf);
	close(fd);
	return 0;
err:
	perror("fx_setup");
	free(buf);
	if (fd >= 0)
		close(fd);
	fx_teardown(f);
	return -1;
}

int fx_run(uint64_t size, int (*body)(struct fx *f))
{
	struct fx f;
	int rc;

	if (fx_setup(&f, size))
		return 1;
	rc = body(&f);
	fx_teardown(&f);
	return rc;
}

void fx_teardown(struct fx *f)
{
	unlink(f->path);
	rmdir(f->dir);
}

uint64_t fnv(uint64_t h, const void *p, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

struct mmb_backend_opts test_opts(void)
{
	struct mmb_backend_opts o = {
	    .block_size = 4096,
	    .advice = -1,
	    .sync = MMB_WSYNC_NONE,
	    .threads = 1,
	};
	return o;
}

int bk_open(const struct mmb_backend *b, const char *path, uint64_t size,
	    const struct mmb_backend_opts *o, void **state)
{
	char why[512] = "";
	int rc;

	if (!b) {
		fprintf(stderr, "backend not registered\n");
		return 1;
	}
	rc = b->open(path, size, o, state, why, sizeof(why));
	if (rc == MMB_ESKIP) {
		fprintf(stderr, "SKIP: %s\n", why);
		return 77;
	}
	if (rc < 0) {
		fprintf(stderr, "%s open: %s (%s)\n", b->name, why,
			mmb_errname(rc));
		return 1;
	}
	return 0;
}

int bk_open_thread(const struct mmb_backend *b, const char *path, uint64_t size,
		   const struct mmb_backend_opts *o, void **state, void **ts)
{
	int rc = bk_open(b, path, size, o, state);

	if (rc)
		return rc;
	*ts = *state;
	if (b->thread_open && b->thread_open(*state, 0, ts)) {
		fprintf(stderr, "%s: thread_open failed\n", b->name);
		b->close(*state);
		return 1;
	}
	return 0;
}

void bk_close_thread(const struct mmb_backend *b, void *state, void *ts)
{
	if (b->thread_open && b->thread_close)
		b->thread_close(ts);
	b->close(state);
}

void evict(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		fdatasync(fd);
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
	}
}

void warm(const char *path)
{
	static char buf[1 << 16];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t off = 0;
	ssize_t n;

	if (fd < 0)
		return;
	while ((n = pread(fd, buf, sizeof(buf), off)) > 0)
		off += n;
	close(fd);
}

int for_each_backend(unsigned caps, const char *what,
		     int (*fn)(const struct mmb_backend *b, uint64_t arg),
		     uint64_t arg)
{
	int ran = 0, skipped = 0, failed = 0;

	for (size_t i = 0; mmb_backends[i]; i++) {
		const struct mmb_backend *b = mmb_backends[i];
		int rc;

		if ((b->caps & caps) != caps)
			continue;
		fprintf(stderr, "---- %s: %s\n", what, b->name);
		rc = fn(b, arg);
		fprintf(stderr, "---- %s: %s %s\n", what, b->name,
			rc == 0	   ? "passed"
			: rc == 77 ? "skipped"
				   : "FAILED");
		ran += rc == 0;
		skipped += rc == 77;
		failed += rc != 0 && rc != 77;
	}
	fprintf(stderr, "%s: %d passed, %d skipped, %d failed\n", what, ran,
		skipped, failed);
	if (failed)
		return 1;
	if (!ran) {
		fprintf(stderr, "SKIP: every backend skipped here\n");
		return 77;
	}
	return 0;
}

long smaps_field(const void *addr, const char *field, char *flags,
		 size_t flagslen)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[1024];
	bool in = false;
	long val = -1;
	size_t flen = strlen(field);

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end;

		/* VMA header lines look like "7f..-7f.. r--s 0000 ...". */
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 &&
		    strchr(line, ' ') > strchr(line, '-')) {
			if (in)
				break;
			in = start == (unsigned long)(uintptr_t)addr;
			continue;
		}
		if (!in)
			continue;
		if (strncmp(line, field, flen) == 0 && line[flen] == ':')
			val = strtol(line + flen + 1, NULL, 10);
		if (flags && strncmp(line, "VmFlags:", 8) == 0)
			snprintf(flags, flagslen, "%s", line + 8);
	}
	fclose(f);
	return val;
}

long pagemap_present(const void *addr, size_t len)
{
	long ps = sysconf(_SC_PAGESIZE), present = 0;
	uintptr_t first = (uintptr_t)addr / (uintptr_t)ps;
	size_t n = (len + (size_t)ps - 1) / (size_t)ps;
	uint64_t ent[512];
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	for (size_t i = 0; i < n;) {
		size_t k = n - i < 512 ? n - i : 512;
		ssize_t r = pread(fd, ent, k * 8, (off_t)((first + i) * 8));

		if (r != (ssize_t)(k * 8)) {
			close(fd);
			return -1;
		}
		for (size_t j = 0; j < k; j++)
			present += (long)(ent[j] >> 63);
		i += k;
	}
	close(fd);
	return present;
}

long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}
