/* SPDX-License-Identifier: MIT */
/* test_shrink.c - a file that shrinks under a running backend is an error
 * of that backend, never a SIGBUS that kills the process: every backend
 * of the registry, mapped ones included, reads past the new end and must
 * return an error (a mapping: MMB_ESIGBUS with the new size and the
 * faulting offset in the message) or a short read (an fd: 0 bytes).
 * mmap-hugetlb maps a copy of the file in hugetlbfs, which the truncate
 * does not reach: it must go on serving the copy's bytes, and it is its
 * copy that is then cut short (root: /proc/self/map_files), through .read
 * and through the guard scope the runner's loop runs in. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmb/error.h"
#include "mmbench/backend.h"

#include "helpers.h"
#include "test.h"

/* Cut mmap-hugetlb's copy to `to` bytes through /proc/self/map_files (it
 * is unlinked and its fd closed). 0, -1 with errno. */
static int cut_copy(const struct mmb_backend *b, void *st, off_t to)
{
	size_t len;
	char *base = b->mapping(st, &len), path[128];

	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx",
		 (unsigned long)base, (unsigned long)(base + len));
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = ftruncate(fd, to);
	close(fd);
	return rc;
}

/* A scope's body: one byte at the offset *arg. */
static int touch_at(void *p, size_t n, void *arg)
{
	uint64_t off = *(const uint64_t *)arg;

	return off < n ? ((volatile const char *)p)[off] : -1;
}

static int shrink_one(const struct mmb_backend *b, uint64_t arg)
{
	struct fx f;
	struct mmb_backend_opts o = test_opts();
	void *st = NULL, *ts = NULL;
	char *buf = aligned_alloc(4096, 4096), msg[512];
	int ret = 1;

	(void)arg;
	if (!buf || fx_setup(&f, 4 * MiB) < 0)
		return 1;
	int rc = bk_open(b, f.path, f.size, &o, &st);
	if (rc) {
		ret = rc;
		goto out;
	}
	if (b->thread_open && b->thread_open(st, 0, &ts) < 0) {
		fprintf(stderr, "%s: thread_open failed\n", b->name);
		goto close;
	}
	void *h = ts ? ts : st;
	/* a read before: the pages are mapped (mmap-populate: all of them) */
	if (b->read(h, buf, 4096, 3 * MiB) != 4096) {
		fprintf(stderr, "%s: read before the shrink failed\n", b->name);
		goto tclose;
	}
	if (truncate(f.path, 64 * 1024) < 0) {
		perror("truncate");
		goto tclose;
	}
	/* A backend with a cache of its own serves the page it holds (it
	 * cannot see the truncate): it must not serve one it has to read. */
	uint64_t at = (b->caps & MMB_CAP_USERCACHE) ? 3 * MiB + 4096 : 3 * MiB;
	int64_t n = b->read(h, buf, 4096, at);
	bool copy = strcmp(b->name, "mmap-hugetlb") == 0;
	if (copy) {
		char want[4096];
		pat_fill(want, sizeof(want), at, 0);
		if (n != 4096 || memcmp(buf, want, sizeof(want)) != 0) {
			fprintf(stderr, "%s: its copy gave %lld bytes\n",
				b->name, (long long)n);
			goto tclose;
		}
		if (cut_copy(b, st, 2 * MiB) < 0) {
			perror("mmap-hugetlb: cut its copy");
			ret = 77;
			goto tclose;
		}
		/* the runner's loop runs in it: a bus error must end it */
		if (!b->scope) {
			fprintf(stderr, "%s: no guard scope\n", b->name);
			goto tclose;
		}
		if (b->scope(st, touch_at, &at) != MMB_ESIGBUS) {
			fprintf(stderr, "%s: the scope survived no bus error\n",
				b->name);
			goto tclose;
		}
		n = b->read(h, buf, 4096, at);
	}
	if (b->caps & MMB_CAP_MAPPED) {
		mmb_errmsg(msg, sizeof(msg));
		if (n != MMB_ESIGBUS) {
			fprintf(stderr, "%s: read after the shrink gave %lld\n",
				b->name, (long long)n);
			goto tclose;
		}
		/* the one-line error says the file shrank (whole-file
		 * mappings: to what size) and names the offset */
		bool whole = !b->thread_open && !copy;
		if (!strstr(msg,
			    whole ? "file shrank to 65536 bytes" : "shrank") ||
		    !strstr(msg, "offset 3145728")) {
			fprintf(stderr, "%s: message '%s'\n", b->name, msg);
			goto tclose;
		}
	} else if (n > 0) {
		fprintf(stderr, "%s: read past the new end gave %lld bytes\n",
			b->name, (long long)n);
		goto tclose;
	}
	ret = 0;
tclose:
	if (ts)
		b->thread_close(ts);
close:
	b->close(st);
out:
	fx_teardown(&f);
	free(buf);
	return ret;
}

TEST_IMPL(shrink_under_every_backend)
{
	return for_each_backend(MMB_CAP_READ, "shrink", shrink_one, 0);
}
