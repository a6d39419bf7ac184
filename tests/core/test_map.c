/* SPDX-License-Identifier: MIT */
/* test_map.c - mappings through the public API only (portable: the same
 * assertions are meant to run against core/win under wine). */
#include <fcntl.h>
#include <unistd.h>

#include "mmb/map.h"
#include "test.h"
#include "util.h"

#define MiB (1024u * 1024u)

TEST_IMPL(align_helpers)
{
	size_t pg = mmb_page_size(), gran = mmb_alloc_granularity();

	ASSERT(pg >= 4096 && mmb_is_aligned(pg, pg) && (pg & (pg - 1)) == 0);
	ASSERT(gran >= pg && gran % pg == 0);
	ASSERT_EQ(mmb_align_down(pg + 1, pg), pg);
	ASSERT_EQ(mmb_align_up(pg + 1, pg), 2 * pg);
	ASSERT_EQ(mmb_align_up(2 * pg, pg), 2 * pg);
	ASSERT(!mmb_is_aligned(pg + 1, pg));
	/* 0 means "no huge pages"; otherwise a power of two above pg. */
	size_t h = mmb_huge_page_size();
	ASSERT(h == 0 || (h > pg && (h & (h - 1)) == 0));
	return 0;
}

TEST_IMPL(advice_names)
{
	for (int a = 0; a < MMB_ADV__COUNT; a++) {
		const char *n = mmb_advice_name((enum mmb_advice)a);

		ASSERT(n != NULL);
		ASSERT_EQ(mmb_advice_parse(n), a);
	}
	ASSERT(strcmp(mmb_advice_name(MMB_ADV_RANDOM), "random") == 0);
	ASSERT(mmb_advice_name(MMB_ADV__COUNT) == NULL);
	ASSERT_EQ(mmb_advice_parse("bogus"), -1);
	ASSERT_EQ(mmb_advice_parse(NULL), -1);
	return 0;
}

/* Write through mmb_map_write and through the data pointer, flush, then
 * read the file back with read(). */
TEST_IMPL(map_rdwr_roundtrip)
{
	const char *p = tpath(0, "rw.dat");
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR,
				 .flags = MMB_MAP_CREATE,
				 .size = 2 * MiB};
	struct mmb_map *m;
	unsigned char *buf = malloc(2 * MiB), *back = malloc(2 * MiB);

	ASSERT(p && buf && back);
	ASSERT_OK(mmb_map_open(&m, p, &o));
	ASSERT_EQ(tfile_size(p), 2 * MiB);
	ASSERT_EQ(mmb_map_size(m), 2 * MiB);
	ASSERT_EQ(mmb_map_access(m), MMB_ACCESS_RDWR);
	for (size_t i = 0; i < 2 * MiB; i++)
		buf[i] = tpattern(i, 7);
	ASSERT_OK(mmb_map_write(m, 0, buf, MiB));
	memcpy((char *)mmb_map_data(m) + MiB, buf + MiB, MiB);
	ASSERT_OK(mmb_map_flush(m, 0, 0, false));
	ASSERT_OK(mmb_map_flush(m, 4097, 10, true));
	ASSERT_OK(mmb_map_flush(m, MiB, 0, false));
	ASSERT_OK(mmb_map_close(m));
	ASSERT_EQ(tfile_read(p, 0, back, 2 * MiB), 2 * MiB);
	ASSERT(memcmp(buf, back, 2 * MiB) == 0);
	free(buf);
	free(back);
	return 0;
}

/* The documented workflow: open, ftruncate, map, close the fd, then write,
 * flush and unmap. */
TEST_IMPL(map_fd_outlives_close)
{
	const char *p = tpath(0, "fd.dat");
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR};
	struct mmb_map *m;
	char back[16];
	int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);

	ASSERT(fd >= 0);
	ASSERT_OK(ftruncate(fd, 3 * 4096));
	ASSERT_OK(mmb_map_fd(&m, fd, &o));
	ASSERT_OK(close(fd));
	ASSERT_OK(mmb_map_write(m, 8190, "hello, mapping", 14));
	ASSERT_OK(mmb_map_flush(m, 8190, 14, false));
	ASSERT_OK(mmb_map_close(m));
	ASSERT_EQ(tfile_read(p, 8190, back, 14), 14);
	ASSERT(memcmp(back, "hello, mapping", 14) == 0);
	return 0;
}

/* An unaligned offset is rounded internally; data points at it exactly. */
TEST_IMPL(map_unaligned_offset)
{
	const char *p = tpath(0, "off.dat");
	size_t gran = mmb_alloc_granularity();
	uint64_t off = gran + 123;
	struct mmb_map_opts o = {.offset = off, .length = 1000};
	struct mmb_map *m;
	unsigned char b[1000];

	ASSERT_OK(tfile_write(p, 4 * gran, 3));
	ASSERT_OK(mmb_map_open(&m, p, &o));
	ASSERT_EQ(mmb_map_offset(m), off);
	ASSERT_EQ(mmb_map_size(m), 1000);
	ASSERT_EQ(((unsigned char *)mmb_map_data(m))[0], tpattern(off, 3));
	ASSERT_OK(mmb_map_read(m, 0, b, sizeof(b)));
	for (size_t i = 0; i < sizeof(b); i++)
		ASSERT_EQ(b[i], tpattern(off + i, 3));
	void *q;
	ASSERT_OK(mmb_map_ptr(m, 999, 1, &q));
	ASSERT_EQ(*(unsigned char *)q, tpattern(off + 999, 3));
	ASSERT_EQ(mmb_map_ptr(m, 999, 2, &q), MMB_EBADOFF);
	ASSERT_EQ(mmb_map_read(m, 1, b, 1000), MMB_EBADOFF);
	mmb_map_close(m);

	/* length 0 = to the end of the file */
	o.length = 0;
	ASSERT_OK(mmb_map_open(&m, p, &o));
	ASSERT_EQ(mmb_map_size(m), 4 * gran - off);
	mmb_map_close(m);
	return 0;
}

TEST_IMPL(map_cow_private)
{
	const char *p = tpath(0, "cow.dat");
	struct mmb_map_opts o = {.access = MMB_ACCESS_COW};
	struct mmb_map *m, *ro;
	unsigned char b[64], z[64];

	ASSERT_OK(tfile_write(p, 65536, 5));
	ASSERT_OK(mmb_map_open(&m, p, &o));
	ASSERT_OK(mmb_map_open(&ro, p, NULL));
	memset(z, 0xAB, sizeof(z));
	ASSERT_OK(mmb_map_write(m, 100, z, sizeof(z)));
	ASSERT_OK(mmb_map_set_sync(m, MMB_SYNC_IMMEDIATE, 0));
	ASSERT_OK(mmb_map_write(m, 5000, z, sizeof(z)));
	ASSERT_OK(mmb_map_flush(m, 0, 0, false));
	ASSERT_EQ(mmb_map_flushes(m), 0); /* COW: nothing to flush */
	ASSERT_OK(mmb_map_read(m, 100, b, sizeof(b)));
	ASSERT(memcmp(b, z, sizeof(z)) == 0);
	/* Neither another mapping nor the file sees the private bytes. */
	ASSERT_OK(mmb_map_read(ro, 100, b, sizeof(b)));
	for (size_t i = 0; i < sizeof(b); i++)
		ASSERT_EQ(b[i], tpattern(100 + i, 5));
	ASSERT_OK(mmb_map_close(m));
	ASSERT_EQ(tfile_read(p, 5000, b, sizeof(b)), sizeof(b));
	for (size_t i = 0; i < sizeof(b); i++)
		ASSERT_EQ(b[i], tpattern(5000 + i, 5));
	mmb_map_close(ro);
	return 0;
}

TEST_IMPL(map_readonly_refuses_write)
{
	const char *p = tpath(0, "ro.dat");
	struct mmb_map *m;
	struct mmb_cursor *c;
	char e[256];

	ASSERT_OK(tfile_write(p, 8192, 1));
	ASSERT_OK(mmb_map_open(&m, p, NULL));
	ASSERT_EQ(mmb_map_access(m), MMB_ACCESS_READ);
	ASSERT_EQ(mmb_map_write(m, 10, "x", 1), MMB_EREADONLY);
	mmb_errmsg(e, sizeof(e));
	ASSERT(strstr(e, "write(file offset=10, len=1)") != NULL);
	ASSERT(strstr(e, mmb_strerror(MMB_EREADONLY)) != NULL);
	ASSERT_OK(mmb_cursor_new(&c, m));
	ASSERT_EQ(mmb_cursor_write(c, "x", 1), MMB_EREADONLY);
	ASSERT_EQ(mmb_cursor_tell(c), 0);
	mmb_cursor_free(c);
	ASSERT_EQ(tfile_read(p, 10, e, 1), 1);
	ASSERT_EQ((unsigned char)e[0], tpattern(10, 1));
	mmb_map_close(m);
	return 0;
}

TEST_IMPL(map_errors)
{
	const char *p = tpath(0, "err.dat"), *empty = tpath(1, "empty.dat");
	const char *missing = tpath(2, "missing.dat");
	struct mmb_map_opts o = {0};
	struct mmb_map *m;
	char e[256], b[8];
	void *q;

	ASSERT_OK(tfile_write(p, 10000, 2));
	ASSERT_OK(tfile_write(empty, 0, 0));

	o.offset = 10000; /* == size: nothing to map */
	ASSERT_EQ(mmb_map_open(&m, p, &o), MMB_EBADOFF);
	ASSERT(strstr(mmb_errmsg(e, sizeof(e)), "file size is 10000"));
	o.offset = 1 << 20;
	ASSERT_EQ(mmb_map_open(&m, p, &o), MMB_EBADOFF);
	o.offset = 5000;
	o.length = 5001;
	ASSERT_EQ(mmb_map_open(&m, p, &o), MMB_EBADOFF);
	ASSERT_EQ(mmb_map_open(&m, empty, NULL), MMB_EBADOFF);
	ASSERT_EQ(mmb_map_open(&m, missing, NULL), MMB_ENOENT);
	mmb_errmsg(e, sizeof(e));
	ASSERT(strstr(e, "open(") && strstr(e, "missing.dat"));
	ASSERT(strstr(e, mmb_strerror(MMB_ENOENT)));
	ASSERT_EQ(tfile_size(missing), -1); /* no CREATE: not created */

	/* Contradictory or impossible options. */
	o = (struct mmb_map_opts){.flags = MMB_MAP_CREATE};
	ASSERT_EQ(mmb_map_open(&m, missing, &o), MMB_EINVAL);
	o = (struct mmb_map_opts){.flags = MMB_MAP_THP | MMB_MAP_NOHUGEPAGE};
	ASSERT_EQ(mmb_map_open(&m, p, &o), MMB_EINVAL);
	o = (struct mmb_map_opts){.access = (enum mmb_access)9};
	ASSERT_EQ(mmb_map_open(&m, p, &o), MMB_EINVAL);

	/* A NULL handle is "not mapped" everywhere. */
	ASSERT(!mmb_map_valid(NULL));
	ASSERT(mmb_map_data(NULL) == NULL);
	ASSERT_EQ(mmb_map_size(NULL), 0);
	ASSERT_EQ(mmb_map_read(NULL, 0, b, 1), MMB_ENOTMAPPED);
	ASSERT_EQ(mmb_map_write(NULL, 0, b, 1), MMB_ENOTMAPPED);
	ASSERT_EQ(mmb_map_ptr(NULL, 0, 1, &q), MMB_ENOTMAPPED);
	ASSERT_EQ(mmb_map_remap(NULL, 0, 0), MMB_ENOTMAPPED);
	ASSERT_EQ(mmb_map_flush(NULL, 0, 0, false), MMB_ENOTMAPPED);
	ASSERT_EQ(mmb_map_advise(NULL, MMB_ADV_NORMAL, 0, 0), MMB_ENOTMAPPED);
	ASSERT(mmb_map_resident(NULL) == MMB_ENOTMAPPED);
	ASSERT_OK(mmb_map_close(NULL));

	/* A handle whose view is gone (failed remap) is "not mapped" too,
	 * until a remap succeeds. */
	ASSERT_OK(mmb_map_open(&m, p, NULL));
	ASSERT_EQ(mmb_map_remap(m, 20000, 0), MMB_EBADOFF);
	ASSERT(!mmb_map_valid(m));
	ASSERT(mmb_map_data(m) == NULL);
	ASSERT_EQ(mmb_map_read(m, 0, b, 1), MMB_ENOTMAPPED);
	ASSERT(strstr(mmb_errmsg(e, sizeof(e)), "not mapped"));
	ASSERT_EQ(mmb_map_write(m, 0, b, 1), MMB_ENOTMAPPED);
	ASSERT_EQ(mmb_map_ptr(m, 0, 1, &q), MMB_ENOTMAPPED);
	ASSERT_EQ(mmb_map_flush(m, 0, 0, true), MMB_ENOTMAPPED);
	ASSERT_EQ(mmb_map_advise(m, MMB_ADV_RANDOM, 0, 0), MMB_ENOTMAPPED);
	ASSERT_EQ(mmb_map_lock(m), MMB_ENOTMAPPED);
	ASSERT_OK(mmb_map_remap(m, 0, 0));
	ASSERT_OK(mmb_map_read(m, 9999, b, 1));
	ASSERT_EQ((unsigned char)b[0], tpattern(9999, 2));
	/* Out-of-range advice and flush ranges. */
	ASSERT_EQ(mmb_map_advise(m, MMB_ADV_NORMAL, 10001, 0), MMB_EBADOFF);
	ASSERT_EQ(mmb_map_advise(m, MMB_ADV__COUNT, 0, 0), MMB_EINVAL);
	ASSERT_EQ(mmb_map_flush(m, 5000, 5001, false), MMB_EBADOFF);
	ASSERT_EQ(mmb_map_set_sync(m, (enum mmb_sync_policy)17, 0), MMB_EINVAL);
	mmb_map_close(m);
	return 0;
}

/* A file that grew is seen in full after a remap. */
TEST_IMPL(map_remap_grown_file)
{
	const char *p = tpath(0, "grow.dat");
	struct mmb_map *m;
	unsigned char b;

	ASSERT_OK(tfile_write(p, 4096, 4));
	ASSERT_OK(mmb_map_open(&m, p, NULL));
	ASSERT_EQ(mmb_map_size(m), 4096);
	ASSERT_OK(tfile_write(p, 3 * 65536, 4));
	ASSERT_EQ(mmb_map_read(m, 4096, &b, 1), MMB_EBADOFF);
	ASSERT_OK(mmb_map_remap(m, 0, 0));
	ASSERT_EQ(mmb_map_remaps(m), 1);
	ASSERT_EQ(mmb_map_size(m), 3 * 65536);
	ASSERT_OK(mmb_map_read(m, 3 * 65536 - 1, &b, 1));
	ASSERT_EQ(b, tpattern(3 * 65536 - 1, 4));
	ASSERT_OK(mmb_map_remap(m, 65536 + 7, 100));
	ASSERT_EQ(mmb_map_remaps(m), 2);
	ASSERT_EQ(mmb_map_offset(m), 65536 + 7);
	ASSERT_OK(mmb_map_read(m, 0, &b, 1));
	ASSERT_EQ(b, tpattern(65536 + 7, 4));
	mmb_map_close(m);
	return 0;
}

/* Flush counts per sync policy, for direct writes, cursors and windows. */
TEST_IMPL(sync_policies)
{
	const char *p = tpath(0, "sync.dat");
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR};
	struct mmb_map *m;
	struct mmb_cursor *c;
	char blk[100];

	memset(blk, 'z', sizeof(blk));
	ASSERT_OK(tfile_write(p, 1 << 20, 0));
	ASSERT_OK(mmb_map_open(&m, p, &o));

	/* never (default) */
	for (int i = 0; i < 5; i++)
		ASSERT_OK(mmb_map_write(m, (uint64_t)i * 8192, blk, 100));
	ASSERT_EQ(mmb_map_flushes(m), 0);

	/* immediate: one flush per write, cursor writes included */
	ASSERT_OK(mmb_map_set_sync(m, MMB_SYNC_IMMEDIATE, 0));
	for (int i = 0; i < 5; i++)
		ASSERT_OK(mmb_map_write(m, (uint64_t)i * 8192, blk, 100));
	ASSERT_EQ(mmb_map_flushes(m), 5);
	ASSERT_OK(mmb_cursor_new(&c, m));
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(mmb_cursor_write(c, blk, 100), 100);
	mmb_cursor_free(c);
	ASSERT_EQ(mmb_map_flushes(m), 8);

	/* lazy: nothing until the view is replaced (or closed), then one */
	ASSERT_OK(mmb_map_set_sync(m, MMB_SYNC_LAZY, 0));
	for (int i = 0; i < 5; i++)
		ASSERT_OK(mmb_map_write(m, (uint64_t)i * 8192, blk, 100));
	ASSERT_EQ(mmb_map_flushes(m), 8);
	ASSERT_OK(mmb_map_remap(m, 0, 0));
	ASSERT_EQ(mmb_map_flushes(m), 9);
	ASSERT_OK(mmb_map_remap(m, 0, 0)); /* clean: no flush owed */
	ASSERT_EQ(mmb_map_flushes(m), 9);

	/* periodic with a 0 ms interval flushes on every write; with an
	 * hour-long one only when the policy is left */
	ASSERT_OK(mmb_map_set_sync(m, MMB_SYNC_PERIODIC, 0));
	for (int i = 0; i < 4; i++)
		ASSERT_OK(mmb_map_write(m, (uint64_t)i * 8192, blk, 100));
	ASSERT_EQ(mmb_map_flushes(m), 13);
	ASSERT_OK(mmb_map_set_sync(m, MMB_SYNC_PERIODIC, 3600 * 1000));
	for (int i = 0; i < 4; i++)
		ASSERT_OK(mmb_map_write(m, (uint64_t)i * 8192, blk, 100));
	ASSERT_EQ(mmb_map_flushes(m), 13);
	ASSERT_OK(mmb_map_set_sync(m, MMB_SYNC_NEVER, 0));
	ASSERT_EQ(mmb_map_flushes(m), 14);
	ASSERT_OK(mmb_map_close(m));
	return 0;
}

TEST_IMPL(cursor_clamping)
{
	const char *p = tpath(0, "cur.dat");
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR};
	struct mmb_map *m;
	struct mmb_cursor *c;
	unsigned char b[300];

	ASSERT_OK(tfile_write(p, 1000, 9));
	ASSERT_OK(mmb_map_open(&m, p, &o));
	ASSERT_OK(mmb_cursor_new(&c, m));
	ASSERT_EQ(mmb_cursor_tell(c), 0);
	ASSERT_EQ(mmb_cursor_read(c, b, 300), 300);
	ASSERT_EQ(b[299], tpattern(299, 9));
	ASSERT_EQ(mmb_cursor_tell(c), 300);
	/* seek clamping at both ends, all three whences */
	ASSERT_EQ(mmb_cursor_seek(c, -5000, 1), 0);
	ASSERT_EQ(mmb_cursor_seek(c, 5000, 0), 1000);
	ASSERT_EQ(mmb_cursor_seek(c, INT64_MAX, 1), 1000);
	ASSERT_EQ(mmb_cursor_seek(c, INT64_MIN, 2), 0);
	ASSERT_EQ(mmb_cursor_seek(c, -100, 2), 900);
	ASSERT_EQ(mmb_cursor_seek(c, 10, 1), 910);
	ASSERT_EQ(mmb_cursor_seek(c, 0, 7), MMB_EINVAL);
	ASSERT_EQ(mmb_cursor_tell(c), 910);
	/* reads and writes truncated at the end, then 0 */
	ASSERT_EQ(mmb_cursor_read(c, b, 300), 90);
	ASSERT_EQ(b[89], tpattern(999, 9));
	ASSERT_EQ(mmb_cursor_read(c, b, 300), 0);
	ASSERT_EQ(mmb_cursor_seek(c, -50, 2), 950);
	memset(b, 'W', sizeof(b));
	ASSERT_EQ(mmb_cursor_write(c, b, 300), 50);
	ASSERT_EQ(mmb_cursor_write(c, b, 300), 0);
	ASSERT_EQ(mmb_cursor_tell(c), 1000);
	mmb_cursor_free(c);
	ASSERT_OK(mmb_map_close(m));
	ASSERT_EQ(tfile_read(p, 940, b, 100), 60);
	ASSERT_EQ(b[9], tpattern(949, 9));
	for (int i = 10; i < 60; i++)
		ASSERT_EQ(b[i], 'W');

	ASSERT_EQ(mmb_cursor_new(&c, NULL), MMB_ENOTMAPPED);
	return 0;
}

/* Several threads share one cursor: every record lands exactly once, in
 * order of the cursor, and the total equals the mapping size. */
#define CT_THREADS 4
#define CT_REC	   64
#define CT_RECS	   4096 /* total records */

struct ct_arg {
	struct mmb_cursor *c;
	unsigned id;
	long moved;
	int err;
};

static void *ct_writer(void *p)
{
	struct ct_arg *a = p;
	unsigned char rec[CT_REC];
	long n;

	memset(rec, (int)('A' + a->id), sizeof(rec));
	while ((n = mmb_cursor_write(a->c, rec, sizeof(rec))) > 0)
		a->moved += n;
	if (n < 0)
		a->err = (int)n;
	return NULL;
}

static void *ct_reader(void *p)
{
	struct ct_arg *a = p;
	unsigned char rec[CT_REC];
	long n;

	while ((n = mmb_cursor_read(a->c, rec, sizeof(rec))) > 0) {
		/* each record is whole: one writer wrote it at once */
		for (int i = 1; i < CT_REC; i++)
			if (rec[i] != rec[0])
				a->err = -1;
		a->moved += n;
	}
	if (n < 0)
		a->err = (int)n;
	return NULL;
}

#include <pthread.h>

TEST_IMPL(cursor_threads)
{
	const char *p = tpath(0, "threads.dat");
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR,
				 .flags = MMB_MAP_CREATE,
				 .size = CT_REC * CT_RECS};
	struct mmb_map *m;
	struct mmb_cursor *c;
	pthread_t t[CT_THREADS];
	struct ct_arg a[CT_THREADS];
	long total = 0;

	ASSERT_OK(mmb_map_open(&m, p, &o));
	ASSERT_OK(mmb_cursor_new(&c, m));
	for (unsigned i = 0; i < CT_THREADS; i++) {
		a[i] = (struct ct_arg){.c = c, .id = i};
		ASSERT_OK(pthread_create(&t[i], NULL, ct_writer, &a[i]));
	}
	for (unsigned i = 0; i < CT_THREADS; i++) {
		pthread_join(t[i], NULL);
		ASSERT_OK(a[i].err);
		total += a[i].moved;
	}
	ASSERT_EQ(total, CT_REC * CT_RECS);
	ASSERT_EQ(mmb_cursor_tell(c), CT_REC * CT_RECS);

	/* Count records per writer in the file; they must add up. */
	unsigned char *all = malloc(CT_REC * CT_RECS);
	long per[CT_THREADS] = {0};
	ASSERT(all);
	ASSERT_OK(mmb_map_flush(m, 0, 0, false));
	ASSERT_EQ(tfile_read(p, 0, all, CT_REC * CT_RECS), CT_REC * CT_RECS);
	for (size_t r = 0; r < CT_RECS; r++) {
		unsigned char *rec = all + r * CT_REC;
		ASSERT(rec[0] >= 'A' && rec[0] < 'A' + CT_THREADS);
		for (int i = 1; i < CT_REC; i++)
			ASSERT_EQ(rec[i], rec[0]);
		per[rec[0] - 'A'] += CT_REC;
	}
	for (unsigned i = 0; i < CT_THREADS; i++)
		ASSERT_EQ(per[i], a[i].moved);
	free(all);

	/* Concurrent readers: together they read every byte once. */
	ASSERT_EQ(mmb_cursor_seek(c, 0, 0), 0);
	total = 0;
	for (unsigned i = 0; i < CT_THREADS; i++) {
		a[i] = (struct ct_arg){.c = c, .id = i};
		ASSERT_OK(pthread_create(&t[i], NULL, ct_reader, &a[i]));
	}
	for (unsigned i = 0; i < CT_THREADS; i++) {
		pthread_join(t[i], NULL);
		ASSERT_OK(a[i].err);
		total += a[i].moved;
	}
	ASSERT_EQ(total, CT_REC * CT_RECS);
	mmb_cursor_free(c);
	ASSERT_OK(mmb_map_close(m));
	return 0;
}

/* A failed remap leaves the map unmapped: the cursor reports that error
 * (it used to see a size of 0 and return 0, like end of file). */
TEST_IMPL(cursor_after_failed_remap)
{
	const char *p = tpath(0, "curfail.dat");
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR};
	struct mmb_map *m;
	struct mmb_cursor *c;
	char b[16];

	ASSERT_OK(tfile_write(p, 10000, 3));
	ASSERT_OK(mmb_map_open(&m, p, &o));
	ASSERT_OK(mmb_cursor_new(&c, m));
	ASSERT_EQ(mmb_cursor_seek(c, 100, 0), 100);
	ASSERT_EQ(mmb_map_remap(m, 20000, 0), MMB_EBADOFF);
	ASSERT_EQ(mmb_cursor_read(c, b, sizeof(b)), MMB_ENOTMAPPED);
	ASSERT_EQ(mmb_cursor_write(c, b, sizeof(b)), MMB_ENOTMAPPED);
	ASSERT_EQ(mmb_cursor_write(c, b, 0), MMB_ENOTMAPPED);
	ASSERT_EQ(mmb_cursor_seek(c, 0, 2), MMB_ENOTMAPPED);
	ASSERT_EQ(mmb_cursor_tell(c), 100); /* the position is kept */
	/* once a remap works the cursor goes on from where it was */
	ASSERT_OK(mmb_map_remap(m, 0, 0));
	ASSERT_EQ(mmb_cursor_read(c, b, sizeof(b)), sizeof(b));
	ASSERT_EQ((unsigned char)b[0], tpattern(100, 3));
	mmb_cursor_free(c);
	ASSERT_OK(mmb_map_close(m));
	return 0;
}

/* The flush count once it reached `want`, or after 10 s: the flusher is
 * due after one interval, but its msync may wait for a disk that other
 * work keeps busy (the test checks that the flush happens, not when). */
static uint64_t wait_flushes(struct mmb_map *m, uint64_t want)
{
	for (int i = 0; i < 1000 && mmb_map_flushes(m) < want; i++)
		tsleep_ms(10);
	return mmb_map_flushes(m);
}

/* PERIODIC flushes without any further write: one write, then idle for
 * three intervals; the background flusher has flushed it exactly once
 * (before, the interval was only checked on a later write, so an idle map
 * was flushed at close only). Two maps share the one thread, which stops
 * when the last periodic map is closed. */
TEST_IMPL(periodic_flusher)
{
	const char *p = tpath(0, "periodic.dat"),
		   *q = tpath(1, "periodic2.dat");
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR};
	struct mmb_map *m, *m2;
	char back[8];

	ASSERT_OK(tfile_write(p, 65536, 1));
	ASSERT_OK(tfile_write(q, 65536, 1));
	ASSERT_OK(mmb_map_open(&m, p, &o));
	ASSERT_OK(mmb_map_open(&m2, q, &o));
	ASSERT_OK(mmb_map_set_sync(m, MMB_SYNC_PERIODIC, 100));
	ASSERT_OK(mmb_map_set_sync(m2, MMB_SYNC_PERIODIC, 100));
	ASSERT_OK(mmb_map_write(m, 1000, "durable", 7));
	ASSERT_EQ(mmb_map_flushes(m), 0);
	tsleep_ms(300);
	ASSERT_EQ(wait_flushes(m, 1), 1);
	ASSERT_EQ(mmb_map_flushes(m2), 0); /* clean: never flushed */
	ASSERT_EQ(tfile_read(p, 1000, back, 7), 7);
	ASSERT(memcmp(back, "durable", 7) == 0);
	/* a burst of writes within one interval: one more flush */
	for (int i = 0; i < 50; i++)
		ASSERT_OK(mmb_map_write(m, (uint64_t)i * 64, "x", 1));
	tsleep_ms(300);
	ASSERT_EQ(wait_flushes(m, 2), 2);
	ASSERT_OK(mmb_map_close(m));
	ASSERT_OK(mmb_map_write(m2, 0, "y", 1));
	tsleep_ms(300);
	ASSERT_EQ(wait_flushes(m2, 1), 1);
	ASSERT_OK(mmb_map_close(m2));
	return 0;
}

/* The workflow's size step: the file's size before mapping. */
TEST_IMPL(file_size_before_map)
{
	const char *p = tpath(0, "size.dat");
	uint64_t size = 0;
	int fd;

	ASSERT_OK(tfile_write(p, 12345, 1));
	ASSERT_OK(mmb_path_size(p, &size));
	ASSERT_EQ(size, 12345);
	fd = open(p, O_RDONLY);
	ASSERT(fd >= 0);
	size = 0;
	ASSERT_OK(mmb_file_size(fd, &size));
	ASSERT_EQ(size, 12345);
	close(fd);
	ASSERT_EQ(mmb_path_size(tpath(1, "absent"), &size), MMB_ENOENT);
	ASSERT_EQ(mmb_file_size(fd, &size), MMB_EBADF);
	ASSERT_EQ(mmb_path_size(p, NULL), MMB_EINVAL);
	return 0;
}

/* Truncate/extend + remap as one call. */
TEST_IMPL(map_resize)
{
	const char *p = tpath(0, "resize.dat");
	uint64_t g = mmb_alloc_granularity();
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR};
	struct mmb_map *m, *ro;
	unsigned char b[8];

	ASSERT_OK(tfile_write(p, (size_t)g, 2));
	ASSERT_OK(mmb_map_open(&m, p, &o));
	ASSERT_OK(mmb_map_resize(m, 3 * g));
	ASSERT_EQ(mmb_map_size(m), 3 * g);
	ASSERT_EQ(tfile_size(p), 3 * g);
	ASSERT_EQ(mmb_map_remaps(m), 1);
	/* old bytes kept, new ones zero, and writable to the new end */
	ASSERT_OK(mmb_map_read(m, g - 1, b, 2));
	ASSERT_EQ(b[0], tpattern((size_t)g - 1, 2));
	ASSERT_EQ(b[1], 0);
	ASSERT_OK(mmb_map_write(m, 3 * g - 4, "tail", 4));
	ASSERT_OK(mmb_map_resize(m, g + 10));
	ASSERT_EQ(mmb_map_size(m), g + 10);
	ASSERT_EQ(tfile_size(p), g + 10);
	ASSERT_EQ(mmb_map_read(m, g + 9, b, 2), MMB_EBADOFF);
	ASSERT_OK(mmb_map_close(m));
	/* a map at an offset keeps it */
	o.offset = g;
	ASSERT_OK(mmb_map_open(&m, p, &o));
	ASSERT_EQ(mmb_map_resize(m, g), MMB_EBADOFF);
	ASSERT_EQ(mmb_map_size(m), 10); /* nothing changed */
	ASSERT_OK(mmb_map_resize(m, 2 * g));
	ASSERT_EQ(mmb_map_offset(m), g);
	ASSERT_EQ(mmb_map_size(m), g);
	ASSERT_OK(mmb_map_close(m));
	ASSERT_OK(mmb_map_open(&ro, p, NULL));
	ASSERT_EQ(mmb_map_resize(ro, 4 * g), MMB_EREADONLY);
	ASSERT_OK(mmb_map_close(ro));
	ASSERT_EQ(mmb_map_resize(NULL, 1), MMB_ENOTMAPPED);
	return 0;
}

/* MS_INVALIDATE: after another writer changed the file, the mapping reads
 * the new bytes. */
TEST_IMPL(map_invalidate)
{
	const char *p = tpath(0, "inval.dat");
	struct mmb_map *m;
	unsigned char b[4];
	int fd;

	ASSERT_OK(tfile_write(p, 65536, 3));
	ASSERT_OK(mmb_map_open(&m, p, NULL));
	ASSERT_OK(mmb_map_read(m, 100, b, 4));
	fd = open(p, O_WRONLY);
	ASSERT(fd >= 0);
	ASSERT_EQ(lseek(fd, 100, SEEK_SET), 100);
	ASSERT_EQ(write(fd, "NEW!", 4), 4);
	close(fd);
	ASSERT_OK(mmb_map_invalidate(m, 0, 0));
	ASSERT_OK(mmb_map_invalidate(m, 99, 10));
	ASSERT_OK(mmb_map_read(m, 100, b, 4));
	ASSERT(memcmp(b, "NEW!", 4) == 0);
	ASSERT_EQ(mmb_map_invalidate(m, 65537, 0), MMB_EBADOFF);
	ASSERT_OK(mmb_map_close(m));
	ASSERT_EQ(mmb_map_invalidate(NULL, 0, 0), MMB_ENOTMAPPED);
	return 0;
}

/* An executable mapping: x86-64 code written to a file runs from it. */
TEST_IMPL(map_exec)
{
#if defined(__x86_64__)
	static const unsigned char code[] = {0xb8, 0x2a, 0x00, 0x00,
					     0x00, 0xc3}; /* mov eax,42; ret */
	const char *p = tpath(0, "code.bin");
	struct mmb_map_opts o = {
	    .access = MMB_ACCESS_RDWR, .flags = MMB_MAP_CREATE, .size = 4096};
	struct mmb_map *m;
	int (*fn)(void);
	void *q;
	int rc;

	ASSERT_OK(mmb_map_open(&m, p, &o));
	ASSERT_OK(mmb_map_write(m, 64, code, sizeof(code)));
	ASSERT_OK(mmb_map_close(m));
	o = (struct mmb_map_opts){.flags = MMB_MAP_EXEC};
	rc = mmb_map_open(&m, p, &o);
	if (rc == MMB_EPERM || rc == MMB_EACCES)
		SKIP("cannot map executable here (noexec mount?)");
	ASSERT_OK(rc);
	ASSERT_OK(mmb_map_ptr(m, 64, sizeof(code), &q));
	/* object pointer to function pointer: through memcpy, as ISO C
	 * allows no cast between them */
	memcpy(&fn, &q, sizeof(fn));
	ASSERT_EQ(fn(), 42);
	ASSERT_OK(mmb_map_close(m));
	return 0;
#else
	SKIP("the test's machine code is x86-64");
#endif
}

/* A sparse 8 GiB file mapped whole: bytes at the far end and past 4 GiB
 * (32-bit offsets) land where they should; a window walks it too. */
TEST_IMPL(map_sparse_8g)
{
	const char *p = tpath(0, "sparse.dat");
	const uint64_t size = 8ull << 30;
	struct mmb_map_opts o = {
	    .access = MMB_ACCESS_RDWR, .flags = MMB_MAP_CREATE, .size = size};
	struct mmb_map *m;
	struct mmb_window *w;
	unsigned char b[8];
	int rc;

	if (sizeof(size_t) < 8)
		SKIP("needs a 64-bit address space");
	rc = mmb_map_open(&m, p, &o);
	if (rc == MMB_EFBIG || rc == MMB_ENOSPC || rc == MMB_ENOMEM)
		SKIP("cannot make or map an 8 GiB sparse file here (%s)",
		     mmb_strerror(rc));
	ASSERT_OK(rc);
	ASSERT_EQ(mmb_map_size(m), size);
	ASSERT_OK(mmb_map_write(m, size - 8, "the end!", 8));
	ASSERT_OK(mmb_map_write(m, (4ull << 30) + 3, "past4gb", 7));
	ASSERT_OK(mmb_map_read(m, 6ull << 30, b, 8)); /* a hole */
	for (int i = 0; i < 8; i++)
		ASSERT_EQ(b[i], 0);
	ASSERT_OK(mmb_map_flush(m, size - 4096, 0, false));
	ASSERT_OK(mmb_map_close(m));
	uint64_t fsize = 0; /* (mingw's stat has a 32-bit size) */
	ASSERT_OK(mmb_path_size(p, &fsize));
	ASSERT_EQ(fsize, size);
	ASSERT_OK(mmb_window_open(&w, p, MMB_ACCESS_READ, 1u << 20, 0));
	ASSERT_EQ(mmb_window_pread(w, b, 8, size - 8), 8);
	ASSERT(memcmp(b, "the end!", 8) == 0);
	ASSERT_EQ(mmb_window_pread(w, b, 7, (4ull << 30) + 3), 7);
	ASSERT(memcmp(b, "past4gb", 7) == 0);
	ASSERT_EQ(mmb_window_remaps(w), 2);
	ASSERT_OK(mmb_window_close(w));
	remove(p);
	return 0;
}

/* Many mappings open at once (each keeps its own descriptor): every one
 * sees its own range. */
TEST_IMPL(many_mappings)
{
	enum { N = 512 };
	const char *p = tpath(0, "many.dat");
	uint64_t g = mmb_alloc_granularity();
	struct mmb_map **maps = calloc(N, sizeof(*maps));
	unsigned char b;

	ASSERT(maps);
	ASSERT_OK(tfile_write(p, (size_t)(64 * g), 5));
	for (int i = 0; i < N; i++) {
		struct mmb_map_opts o = {.offset = (uint64_t)(i % 64) * g +
						   (uint64_t)i,
					 .length = 100};
		ASSERT_OK(mmb_map_open(&maps[i], p, &o));
	}
	for (int i = 0; i < N; i++) {
		uint64_t off = (uint64_t)(i % 64) * g + (uint64_t)i;

		ASSERT_EQ(mmb_map_offset(maps[i]), off);
		ASSERT_OK(mmb_map_read(maps[i], 99, &b, 1));
		ASSERT_EQ(b, tpattern((size_t)off + 99, 5));
	}
	for (int i = 0; i < N; i++)
		ASSERT_OK(mmb_map_close(maps[i]));
	free(maps);
	return 0;
}
