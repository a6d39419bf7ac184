/* SPDX-License-Identifier: MIT */
/* test_write.c - writes through every write-capable backend of the
 * registry, under each sync policy, reach the file: after sync and close,
 * pread of the whole file equals the expected image, and the file kept its
 * size. The registry is iterated: a new backend is covered without
 * editing this file. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "test.h"

#define WRITE_FILE_SIZE (8 * MiB)
#define BLOCK		4096
#define WRITES		64

static int verify_file(const struct fx *f, const uint8_t *image)
{
	uint8_t *buf = malloc(WRITE_FILE_SIZE);
	struct stat stt;
	int fd = open(f->path, O_RDONLY | O_CLOEXEC), same = 0;
	ssize_t n = -1;

	if (buf && fd >= 0) {
		n = pread(fd, buf, WRITE_FILE_SIZE, 0);
		same = n == (ssize_t)WRITE_FILE_SIZE &&
		       memcmp(buf, image, WRITE_FILE_SIZE) == 0;
		if (fstat(fd, &stt) < 0)
			stt.st_size = -1;
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	ASSERT(fd >= 0);
	ASSERT_EQ(n, WRITE_FILE_SIZE);
	ASSERT(same);
	ASSERT_EQ(stt.st_size, WRITE_FILE_SIZE);
	return 0;
}

static int write_body(struct fx *f, uint8_t *image, const struct mmb_backend *b,
		      enum mmb_wsync sync, uint64_t window)
{
	struct mmb_backend_opts o = test_opts();
	bool direct;
	uint64_t s = 88172645463325252ull;
	void *st = NULL, *ts;
	char *buf = NULL;
	int rc, fail = 0, spans = 0;

	ASSERT(b && b->write && (b->caps & MMB_CAP_WRITE));
	direct = (b->caps & MMB_CAP_DIRECT) != 0;
	o.writable = true;
	o.sync = sync;
	o.window_size = window;
	rc = bk_open_thread(b, f->path, f->size, &o, &st, &ts);
	if (rc)
		return rc;
	buf = aligned_alloc(4096, 2 * BLOCK);
	for (int i = 0; buf && i < WRITES && !fail; i++) {
		uint64_t off;
		size_t len = BLOCK;
		char *src = buf + (i & 1);
		int64_t n;

		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		off = (s % (WRITE_FILE_SIZE / BLOCK)) * BLOCK;
		if (window && !direct && (i % 4) == 0) {
			/* Straddle a window boundary. */
			off =
			    (1 + s % (WRITE_FILE_SIZE / window - 1)) * window -
			    1000;
			spans++;
		} else if (!direct && (i % 3) == 0) {
			off = s % (WRITE_FILE_SIZE - BLOCK);
			len = 1 + (s >> 32) % BLOCK;
		}
		pat_fill(src, len, off, 1 + (uint32_t)i);
		n = b->write(ts, src, len, off);
		if (n != (int64_t)len) {
			char msg[256];

			fprintf(stderr, "write(off=%llu, len=%zu) = %lld: %s\n",
				(unsigned long long)off, len, (long long)n,
				mmb_errmsg(msg, sizeof(msg)));
			fail = 1;
		}
		memcpy(image + off, src, len);
	}
	if (!buf)
		fail = 1;
	if (b->sync && b->sync(st) < 0) {
		fprintf(stderr, "sync failed\n");
		fail = 1;
	}
	bk_close_thread(b, st, ts);
	free(buf);
	if (spans)
		fprintf(stderr, "%d of %d writes spanned a window boundary\n",
			spans, WRITES);
	return fail ? 1 : verify_file(f, image);
}

static int write_test(const struct mmb_backend *b, enum mmb_wsync sync,
		      uint64_t window)
{
	struct fx f;
	uint8_t *image = malloc(WRITE_FILE_SIZE);
	int rc = 1;

	if (!image)
		return 1;
	pat_fill(image, WRITE_FILE_SIZE, 0, 0);
	if (fx_setup(&f, WRITE_FILE_SIZE) == 0) {
		rc = write_body(&f, image, b, sync, window);
		fx_teardown(&f);
	}
	free(image);
	return rc;
}

/* Every sync policy in turn, with 1 MiB windows for mmap-window (the
 * others ignore it): a quarter of its writes straddle a boundary. */
static int write_policies(const struct mmb_backend *b, uint64_t window)
{
	for (int sync = MMB_WSYNC_NONE; sync <= MMB_WSYNC_FSYNC; sync++) {
		int rc = write_test(b, (enum mmb_wsync)sync, window);

		fprintf(stderr, "%s --sync %s: %s\n", b->name,
			mmb_wsync_name((enum mmb_wsync)sync),
			rc == 0	   ? "ok"
			: rc == 77 ? "skipped"
				   : "FAILED");
		if (rc)
			return rc;
	}
	return 0;
}

TEST_IMPL(write_all_backends)
{
	return for_each_backend(MMB_CAP_WRITE, "write", write_policies,
				1 * MiB);
}
