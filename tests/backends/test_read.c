/* SPDX-License-Identifier: MIT */
/* test_read.c - every backend of the registry returns the bytes pread
 * returns, from two threads at once, at random block-aligned offsets, at
 * unaligned offsets (where the API allows), at the last (short) block and
 * past the end; and one op of more than 2 GiB (and one longer than 4 GiB)
 * moves what pread moves. The registry is iterated: a new backend is
 * covered without editing this file. */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "helpers.h"
#include "test.h"

/* 24 MiB and a bit: the last block is short, and the hugetlb copy has to
 * round up. */
#define READ_FILE_SIZE (24 * MiB + 1234)
#define BLOCK	       4096
#define OPS	       1500

struct reader {
	const struct mmb_backend *b;
	void *ts;
	const char *path;
	uint64_t size;
	unsigned seed;
	bool aligned_only; /* O_DIRECT: offsets/lengths in whole blocks */
	uint64_t sum_backend, sum_pread;
	long mismatches, errors;
};

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	uint64_t s = 0x9e3779b97f4a7c15ull * (r->seed + 1);
	uint64_t nblocks = r->size / BLOCK;
	/* One page-aligned buffer, read into at +0 and at +1 (bounce path of
	 * O_DIRECT, unaligned memcpy of the others). */
	char *buf = aligned_alloc(4096, 2 * BLOCK), *want = malloc(BLOCK);
	char *ref = malloc(BLOCK);
	int fd = open(r->path, O_RDONLY | O_CLOEXEC);

	if (!buf || !want || !ref || fd < 0) {
		r->errors++;
		goto out;
	}
	for (int i = 0; i < OPS; i++) {
		uint64_t off = (rnd(&s) % nblocks) * BLOCK;
		size_t len = BLOCK;
		char *dst = buf + (i & 1);
		int64_t n;
		ssize_t m;

		if (!r->aligned_only && (i % 3) == 0) {
			off = rnd(&s) % r->size;
			len = 1 + rnd(&s) % BLOCK;
		}
		n = r->b->read(r->ts, dst, len, off);
		m = pread(fd, ref, len, (off_t)off);
		if (n < 0 || n != m) {
			r->errors++;
			continue;
		}
		pat_fill(want, (size_t)n, off, 0);
		r->mismatches += memcmp(dst, want, (size_t)n) != 0;
		r->sum_backend = fnv(r->sum_backend, dst, (size_t)n);
		r->sum_pread = fnv(r->sum_pread, ref, (size_t)m);
	}
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	free(want);
	free(ref);
	return NULL;
}

static int check_eof(const struct mmb_backend *b, void *ts, uint64_t size)
{
	char *buf = aligned_alloc(4096, BLOCK), *want = malloc(BLOCK);
	uint64_t last = mmb_align_down(size - 1, BLOCK);
	int64_t n, past;
	int ok;

	if (!buf || !want) {
		free(buf);
		free(want);
		return 1;
	}
	n = b->read(ts, buf, BLOCK, last);
	pat_fill(want, (size_t)(size - last), last, 0);
	ok = n == (int64_t)(size - last) && memcmp(buf, want, (size_t)n) == 0;
	past = b->read(ts, buf, BLOCK, mmb_align_up(size, BLOCK));
	free(buf);
	free(want);
	ASSERT_EQ(n, (int64_t)(size - last));
	ASSERT(ok);
	ASSERT_EQ(past, 0);
	return 0;
}

static int read_body(struct fx *f, const struct mmb_backend *b, uint64_t window)
{
	const char *name = b->name;
	struct mmb_backend_opts o = test_opts();
	struct reader r[2];
	pthread_t th[2];
	void *st = NULL;
	int rc, fail = 0;

	o.threads = 2;
	o.window_size = window;
	rc = bk_open(b, f->path, f->size, &o, &st);
	if (rc)
		return rc;
	for (int i = 0; i < 2; i++) {
		r[i] = (struct reader){.b = b,
				       .ts = st,
				       .path = f->path,
				       .size = f->size,
				       .seed = (unsigned)i,
				       .aligned_only =
					   (b->caps & MMB_CAP_DIRECT) != 0,
				       .sum_backend = FNV_INIT,
				       .sum_pread = FNV_INIT};
		if (b->thread_open &&
		    b->thread_open(st, (unsigned)i, &r[i].ts)) {
			fprintf(stderr, "thread_open(%d) failed\n", i);
			r[i].ts = NULL;
			fail = 1;
		}
	}
	for (int i = 0; i < 2 && !fail; i++)
		pthread_create(&th[i], NULL, reader_main, &r[i]);
	for (int i = 0; i < 2 && !fail; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 2 && !fail; i++) {
		fprintf(stderr, "%s thread %d: %d ops, checksum %016llx\n",
			name, i, OPS, (unsigned long long)r[i].sum_backend);
		if (r[i].errors || r[i].mismatches ||
		    r[i].sum_backend != r[i].sum_pread) {
			fprintf(stderr,
				"  errors %ld, mismatches %ld, pread "
				"checksum %016llx\n",
				r[i].errors, r[i].mismatches,
				(unsigned long long)r[i].sum_pread);
			fail = 1;
		}
	}
	if (!fail)
		fail = check_eof(b, r[0].ts ? r[0].ts : st, f->size);
	for (int i = 0; i < 2; i++)
		if (b->thread_close && r[i].ts)
			b->thread_close(r[i].ts);
	b->close(st);
	return fail;
}

int read_test(const struct mmb_backend *b, uint64_t window)
{
	struct fx f;
	int rc;

	if (fx_setup(&f, READ_FILE_SIZE))
		return 1;
	/* Fresh from the writes, the file is cached: what a non-blocking
	 * backend needs to serve every op. */
	if (b->caps & MMB_CAP_NONBLOCK)
		warm(f.path);
	rc = read_body(&f, b, window);
	fx_teardown(&f);
	return rc;
}

/* 1 MiB windows over 24 MiB (mmap-window; the others ignore it): random
 * ops remap nearly every time and the unaligned ones span window
 * boundaries. */
TEST_IMPL(read_all_backends)
{
	return for_each_backend(MMB_CAP_READ, "read", read_test, 1 * MiB);
}

/* One op longer than 4 GiB (any 32-bit length field would wrap it to 4 KiB)
 * on a small file: every backend returns the whole file, as pread does. The
 * buffer is reserved, not touched beyond the file's size. */
TEST_IMPL(read_len_over_4g)
{
	const size_t len = (4ull << 30) + BLOCK;
	struct mmb_backend_opts o = test_opts();
	char *want = malloc(MiB), *buf;
	struct fx f;
	int fail = 0;

	ASSERT(want != NULL);
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT(buf != MAP_FAILED);
	ASSERT_OK(fx_setup(&f, MiB));
	pat_fill(want, MiB, 0, 0);
	for (size_t i = 0; mmb_backends[i]; i++) {
		const struct mmb_backend *b = mmb_backends[i];
		void *st = NULL, *ts;
		int64_t n;
		int rc;

		/* O_DIRECT refuses ops longer than its block size */
		if (!(b->caps & MMB_CAP_READ) || (b->caps & MMB_CAP_DIRECT))
			continue;
		rc = bk_open_thread(b, f.path, f.size, &o, &st, &ts);
		if (rc == 77)
			continue;
		if (rc) {
			fail = 1;
			continue;
		}
		memset(buf, 0, MiB);
		n = b->read(ts, buf, len, 0);
		fprintf(stderr, "%s: read(len=%zu) = %lld\n", b->name, len,
			(long long)n);
		if (n != (int64_t)MiB || memcmp(buf, want, MiB) != 0)
			fail = 1;
		bk_close_thread(b, st, ts);
	}
	fx_teardown(&f);
	munmap(buf, len);
	free(want);
	return fail;
}

/* ---- one op of more than 2 GiB on a sparse file -------------------------
 *
 * 2 GiB + 8 MiB, holes but for 1 MiB of pattern at the start, around 2 GiB
 * and at the end; one read of 2 GiB + 8 MiB from 4 MiB: every backend that
 * can must return 2 GiB + 4 MiB (more than a 32-bit int holds, the
 * end-of-file cut included) with the pattern and the zeros where pread has
 * them. The file is read once first, so a non-blocking backend finds it
 * cached. */
#define BIG_SIZE ((2ull << 30) + 8 * MiB)
#define BIG_OFF	 (4 * MiB)
#define BIG_LEN	 ((size_t)BIG_SIZE)

static const uint64_t big_marks[] = {0, (2ull << 30) - MiB / 2, BIG_SIZE - MiB};

static int big_file(struct fx *f)
{
	char *buf = malloc(MiB);
	int fd, bad = 0;

	if (!buf)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/mmb-big-XXXXXX",
		 getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR")
						       : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(buf);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/data", f->dir);
	f->size = BIG_SIZE;
	fd = open(f->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	bad = fd < 0 || ftruncate(fd, (off_t)BIG_SIZE) < 0;
	for (size_t i = 0; !bad && i < sizeof(big_marks) / 8; i++) {
		pat_fill(buf, MiB, big_marks[i], 0);
		bad = pwrite(fd, buf, MiB, (off_t)big_marks[i]) != (ssize_t)MiB;
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return bad ? -1 : 0;
}

/* What pread reads at file offset `at`: the pattern inside a mark. */
static uint8_t big_byte(uint64_t at)
{
	for (size_t i = 0; i < sizeof(big_marks) / 8; i++)
		if (at >= big_marks[i] && at < big_marks[i] + MiB)
			return pat_byte(at, 0);
	return 0;
}

/* Set every byte big_check looks at to what it must not be, so that a
 * backend that leaves buf alone cannot pass on the previous one's bytes. */
static void big_poison(uint8_t *buf)
{
	const uint64_t n = BIG_SIZE - BIG_OFF;

	for (uint64_t i = 0; i < n; i += 65521)
		buf[i] = (uint8_t)~big_byte(BIG_OFF + i);
	for (size_t k = 1; k < sizeof(big_marks) / 8; k++)
		for (uint64_t a = big_marks[k]; a < big_marks[k] + MiB; a++)
			buf[a - BIG_OFF] = (uint8_t)~pat_byte(a, 0);
	buf[n - 1] = (uint8_t)~big_byte(BIG_SIZE - 1);
}

/* buf holds the op's bytes: check each mark and a byte every 64 KiB. */
static int big_check(const char *name, const uint8_t *buf, int64_t n)
{
	const int64_t want = (int64_t)(BIG_SIZE - BIG_OFF);

	fprintf(stderr, "%s: read(off=%llu, len=%zu) = %lld (want %lld)\n",
		name, (unsigned long long)BIG_OFF, BIG_LEN, (long long)n,
		(long long)want);
	if (n != want)
		return 1;
	for (uint64_t i = 0; i < (uint64_t)n; i += 65521)
		if (buf[i] != big_byte(BIG_OFF + i))
			return 1;
	for (size_t k = 1; k < sizeof(big_marks) / 8; k++)
		for (uint64_t a = big_marks[k]; a < big_marks[k] + MiB; a++)
			if (buf[a - BIG_OFF] != pat_byte(a, 0))
				return 1;
	return buf[n - 1] != big_byte(BIG_SIZE - 1);
}

static int big_one(const struct mmb_backend *b, const struct fx *f,
		   uint8_t *buf)
{
	struct mmb_backend_opts o = test_opts();
	void *st = NULL, *ts;
	int64_t n;
	int rc;

	/* O_DIRECT refuses ops longer than the block size it opened with. */
	o.block_size = BIG_LEN;
	rc = bk_open_thread(b, f->path, f->size, &o, &st, &ts);
	if (rc)
		return rc;
	big_poison(buf);
	n = b->read(ts, buf, BIG_LEN, BIG_OFF);
	rc = big_check(b->name, buf, n);
	bk_close_thread(b, st, ts);
	return rc;
}

/* The reference: pread(2) in pieces (it moves at most 2 GiB - 4 KiB). */
static int64_t pread_all(int fd, uint8_t *buf)
{
	int64_t done = 0;
	ssize_t n;

	while ((size_t)done < BIG_LEN &&
	       (n = pread(fd, buf + done, BIG_LEN - (size_t)done,
			  (off_t)(BIG_OFF + (uint64_t)done))) > 0)
		done += n;
	return done;
}

TEST_IMPL(read_over_2g_sparse)
{
	uint8_t *buf;
	struct fx f = {0};
	int fd, ran = 0, fail = 0;

	if (sizeof(size_t) < 8)
		SKIP("32-bit size_t: no op over 2 GiB");
	if (big_file(&f) < 0) {
		fx_teardown(&f);
		SKIP("cannot create a sparse %llu-byte file in %s",
		     (unsigned long long)BIG_SIZE, f.dir);
	}
	buf = mmap(NULL, BIG_LEN, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT(buf != MAP_FAILED);
	madvise(buf, BIG_LEN, MADV_HUGEPAGE); /* fewer faults, if THP allows */
	/* The reference, and the page cache filled for every backend. */
	fd = open(f.path, O_RDONLY | O_CLOEXEC);
	ASSERT(fd >= 0);
	fail = big_check("pread(2) itself", buf, pread_all(fd, buf));
	close(fd);
	for (size_t i = 0; !fail && mmb_backends[i]; i++) {
		const struct mmb_backend *b = mmb_backends[i];
		int rc;

		if (!(b->caps & MMB_CAP_READ))
			continue;
		rc = big_one(b, &f, buf);
		ran += rc == 0;
		fail |= rc == 1;
	}
	munmap(buf, BIG_LEN);
	evict(f.path);
	fx_teardown(&f);
	if (!fail && !ran)
		SKIP("no backend could run here");
	return fail;
}
