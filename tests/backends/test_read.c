/* test_read.c - every backend returns the bytes pread returns, from two
 * threads at once, at random block-aligned offsets, at unaligned offsets
 * (where the API allows), at the last (short) block and past the end. */
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
		long n, m;

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
	long n, past;
	int ok;

	if (!buf || !want) {
		free(buf);
		free(want);
		return 1;
	}
	n = b->read(ts, buf, BLOCK, last);
	pat_fill(want, (size_t)(size - last), last, 0);
	ok = n == (long)(size - last) && memcmp(buf, want, (size_t)n) == 0;
	past = b->read(ts, buf, BLOCK, mmb_align_up(size, BLOCK));
	free(buf);
	free(want);
	ASSERT_EQ(n, (long)(size - last));
	ASSERT(ok);
	ASSERT_EQ(past, 0);
	return 0;
}

static int read_body(struct fx *f, const char *name, uint64_t window)
{
	const struct mmb_backend *b = mmb_backend_find(name);
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

int read_test(const char *name, uint64_t window)
{
	struct fx f;
	int rc;

	if (fx_setup(&f, READ_FILE_SIZE))
		return 1;
	rc = read_body(&f, name, window);
	fx_teardown(&f);
	return rc;
}

TEST_IMPL(read_pread)
{
	return read_test("pread", 0);
}

TEST_IMPL(read_pread_direct)
{
	return read_test("pread-direct", 0);
}

TEST_IMPL(read_io_uring)
{
	return read_test("io_uring", 0);
}

TEST_IMPL(read_mmap)
{
	return read_test("mmap", 0);
}

TEST_IMPL(read_mmap_populate)
{
	return read_test("mmap-populate", 0);
}

TEST_IMPL(read_mmap_4k)
{
	return read_test("mmap-4k", 0);
}

TEST_IMPL(read_mmap_thp)
{
	return read_test("mmap-thp", 0);
}

/* 1 MiB windows over 24 MiB: random ops remap nearly every time and the
 * unaligned ones span window boundaries. */
TEST_IMPL(read_mmap_window)
{
	return read_test("mmap-window", 1 * MiB);
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
		long n;
		int rc;

		/* O_DIRECT refuses ops longer than its block size */
		if (!(b->caps & MMB_CAP_READ) || (b->caps & MMB_CAP_DIRECT))
			continue;
		rc = bk_open(b, f.path, f.size, &o, &st);
		if (rc == 77)
			continue;
		if (rc) {
			fail = 1;
			continue;
		}
		ts = st;
		if (b->thread_open && b->thread_open(st, 0, &ts)) {
			fprintf(stderr, "%s: thread_open failed\n", b->name);
			b->close(st);
			fail = 1;
			continue;
		}
		memset(buf, 0, MiB);
		n = b->read(ts, buf, len, 0);
		fprintf(stderr, "%s: read(len=%zu) = %ld\n", b->name, len, n);
		if (n != (long)MiB || memcmp(buf, want, MiB) != 0)
			fail = 1;
		if (b->thread_open && b->thread_close)
			b->thread_close(ts);
		b->close(st);
	}
	fx_teardown(&f);
	munmap(buf, len);
	free(want);
	return fail;
}
