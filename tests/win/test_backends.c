/* SPDX-License-Identifier: MIT */
/* test_backends.c - the Windows backends (readfile, winview and any added
 * to backends/win/registry.c: the loops iterate the registry): the same
 * bytes as ReadFile at the same offsets, one op of more than 2 GiB, writes
 * under each sync policy, refusals with a reason, threads, page-fault
 * counts. */
#include <windows.h>

#include <psapi.h>
#include <pthread.h>

#include "mmbench/backend.h"
#include "test.h"
#include "util.h"

#define KiB 1024u
#define MiB (1024u * 1024u)

struct bk {
	const struct mmb_backend *b;
	void *state, *t; /* t: per-thread state, or state */
};

/* The file's size, 64 bits (tfile_size's stat has a 32-bit st_size under
 * mingw); -1 when it cannot be read. */
static long long size64(const char *path)
{
	WIN32_FILE_ATTRIBUTE_DATA a;

	if (!GetFileAttributesExA(path, GetFileExInfoStandard, &a))
		return -1;
	return (long long)(((uint64_t)a.nFileSizeHigh << 32) | a.nFileSizeLow);
}

static int bk_open(struct bk *k, const char *name, const char *path,
		   const struct mmb_backend_opts *o, char *why, size_t n)
{
	long long size = size64(path);
	int rc;

	k->b = mmb_backend_find(name);
	if (!k->b)
		return MMB_EINVAL;
	why[0] = 0;
	rc = k->b->open(path, size < 0 ? 0 : (uint64_t)size, o, &k->state, why,
			n);
	if (rc)
		return rc;
	k->t = k->state;
	if (k->b->thread_open) {
		rc = k->b->thread_open(k->state, 0, &k->t);
		if (rc) {
			k->b->close(k->state);
			return rc;
		}
	}
	return 0;
}

static void bk_close(struct bk *k)
{
	if (k->b->thread_close && k->t != k->state)
		k->b->thread_close(k->t);
	k->b->close(k->state);
}

/* The reference: ReadFile at an offset on a handle of our own. */
static int64_t ref_read(HANDLE h, void *buf, size_t len, uint64_t off)
{
	OVERLAPPED ov = {.Offset = (DWORD)off,
			 .OffsetHigh = (DWORD)(off >> 32)};
	DWORD got = 0;

	if (!ReadFile(h, buf, (DWORD)len, &got, &ov))
		return GetLastError() == ERROR_HANDLE_EOF ? 0 : -1;
	return (int64_t)got;
}

/* Every registered backend passes the caps check and is found by name;
 * nothing here counts the registry. */
TEST_IMPL(win_backend_registry)
{
	char why[256];

	ASSERT(mmb_backends[0] != NULL);
	for (size_t n = 0; mmb_backends[n]; n++) {
		ASSERT_EQ(mmb_backend_check(mmb_backends[n], why, sizeof(why)),
			  0);
		ASSERT(mmb_backend_find(mmb_backends[n]->name) ==
		       mmb_backends[n]);
	}
	ASSERT(mmb_backend_find("winview")->caps & MMB_CAP_MAPPED);
	ASSERT(!(mmb_backend_find("readfile")->caps & MMB_CAP_MAPPED));
	ASSERT(mmb_backend_find("mmap") == NULL); /* Linux only */
	ASSERT(mmb_backend_find(NULL) == NULL);
	ASSERT_EQ(mmb_wsync_parse("msync-async"), MMB_WSYNC_MSYNC_ASYNC);
	ASSERT(strcmp(mmb_wsync_name(MMB_WSYNC_FSYNC), "fsync") == 0);
	return 0;
}

TEST_IMPL(win_backend_reads_match_readfile)
{
	const char *p = tpath(0, "reads.dat");
	size_t gran = mmb_alloc_granularity(), maxlen = 70000;
	uint64_t size = 3 * gran + 777;
	struct mmb_backend_opts o = {
	    .block_size = maxlen, .advice = -1, .threads = 1};
	unsigned char *got = malloc(maxlen), *want = malloc(maxlen);
	char why[256];
	HANDLE h;

	ASSERT(got && want);
	ASSERT_OK(tfile_write(p, (size_t)size, 13));
	h = CreateFileA(p, GENERIC_READ,
			FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
			NULL, OPEN_EXISTING, 0, NULL);
	ASSERT(h != INVALID_HANDLE_VALUE);
	for (size_t i = 0; mmb_backends[i]; i++) {
		struct bk k;
		unsigned seed = 99;
		size_t mlen;

		if (!(mmb_backends[i]->caps & MMB_CAP_READ))
			continue;
		ASSERT_OK(bk_open(&k, mmb_backends[i]->name, p, &o, why,
				  sizeof(why)));
		if (k.b->mapping) {
			ASSERT(k.b->mapping(k.state, &mlen) != NULL);
			ASSERT(mlen >= size);
		}
		for (int n = 0; n < 300; n++) {
			seed = seed * 1103515245u + 12345u;
			uint64_t off = seed % (size + 100); /* some past EOF */
			seed = seed * 1103515245u + 12345u;
			size_t len = 1 + seed % maxlen;
			int64_t r = ref_read(h, want, len, off);
			int64_t g = k.b->read(k.t, got, len, off);

			ASSERT(r >= 0);
			ASSERT_EQ(g, r);
			ASSERT(memcmp(got, want, (size_t)r) == 0);
			if (r > 0)
				ASSERT_EQ(got[r - 1],
					  tpattern((size_t)off + r - 1, 13));
		}
		bk_close(&k);
	}
	CloseHandle(h);
	free(got);
	free(want);
	return 0;
}

/* Each backend under each sync policy it supports: the bytes written are
 * in the file after close, the bytes around them unchanged. */
TEST_IMPL(win_backend_writes)
{
	static const enum mmb_wsync syncs[] = {MMB_WSYNC_NONE, MMB_WSYNC_MSYNC,
					       MMB_WSYNC_MSYNC_ASYNC,
					       MMB_WSYNC_FSYNC};
	const char *p = tpath(0, "writes.dat");
	size_t gran = mmb_alloc_granularity();
	unsigned char blk[5000], back[5000];
	char why[256];

	for (size_t i = 0; mmb_backends[i]; i++) {
		const char *name = mmb_backends[i]->name;

		if (!(mmb_backends[i]->caps & MMB_CAP_WRITE))
			continue;
		for (size_t s = 0; s < sizeof(syncs) / sizeof(syncs[0]); s++) {
			struct mmb_backend_opts o = {.block_size = sizeof(blk),
						     .advice = -1,
						     .sync = syncs[s],
						     .writable = true,
						     .threads = 1};
			/* spanning a granule boundary, and the last bytes */
			uint64_t offs[] = {gran - 2500, 2 * gran - 5000};
			struct bk k;
			int rc;

			ASSERT_OK(tfile_write(p, 2 * gran, 17));
			rc = bk_open(&k, name, p, &o, why, sizeof(why));
			if (rc == MMB_ENOTSUP) {
				/* only readfile lacks msync-async */
				ASSERT(strcmp(name, "readfile") == 0);
				ASSERT_EQ(syncs[s], MMB_WSYNC_MSYNC_ASYNC);
				continue;
			}
			ASSERT_OK(rc);
			for (size_t w = 0; w < 2; w++) {
				memset(blk, (int)('a' + i * 4 + s + w),
				       sizeof(blk));
				ASSERT_EQ(
				    k.b->write(k.t, blk, sizeof(blk), offs[w]),
				    sizeof(blk));
			}
			/* a write at EOF moves nothing through a view */
			if (k.b->caps & MMB_CAP_MAPPED)
				ASSERT_EQ(k.b->write(k.t, blk, 1, 2 * gran), 0);
			if (k.b->sync)
				ASSERT_OK(k.b->sync(k.state));
			bk_close(&k);
			ASSERT_EQ(tfile_size(p), 2 * gran);
			for (size_t w = 0; w < 2; w++) {
				ASSERT_EQ(
				    tfile_read(p, offs[w], back, sizeof(back)),
				    sizeof(back));
				for (size_t j = 0; j < sizeof(back); j++)
					ASSERT_EQ(back[j], 'a' + i * 4 + s + w);
			}
			ASSERT_EQ(tfile_read(p, gran - 2501, back, 1), 1);
			ASSERT_EQ(back[0], tpattern(gran - 2501, 17));
		}
	}
	return 0;
}

/* What cannot be done here is refused at open with a reason. */
TEST_IMPL(win_backend_refusals)
{
	const char *p = tpath(0, "refuse.dat"), *missing = tpath(1, "gone");
	struct mmb_backend_opts o = {
	    .block_size = 4096, .advice = -1, .threads = 1};
	struct bk k;
	char why[256];

	ASSERT_OK(tfile_write(p, 65536, 19));
	o.writable = true;
	o.sync = MMB_WSYNC_MSYNC_ASYNC;
	ASSERT_EQ(bk_open(&k, "readfile", p, &o, why, sizeof(why)),
		  MMB_ENOTSUP);
	ASSERT(strstr(why, "readfile: msync-async"));
	o.writable = false;
	o.sync = MMB_WSYNC_NONE;

	o.advice = MMB_ADV_WILLNEED;
	ASSERT_EQ(bk_open(&k, "readfile", p, &o, why, sizeof(why)),
		  MMB_ENOTSUP);
	ASSERT(strstr(why, "readfile: advice 'willneed'"));
	ASSERT_OK(bk_open(&k, "winview", p, &o, why, sizeof(why)));
	bk_close(&k);
	o.advice = MMB_ADV_RANDOM;
	ASSERT_OK(bk_open(&k, "readfile", p, &o, why, sizeof(why)));
	bk_close(&k);
	ASSERT_EQ(bk_open(&k, "winview", p, &o, why, sizeof(why)), MMB_ENOTSUP);
	ASSERT(strncmp(why, "winview: madvise(MADV_RANDOM", 28) == 0);
	o.advice = -1;

	for (size_t i = 0; mmb_backends[i]; i++) {
		const char *name = mmb_backends[i]->name;

		ASSERT_EQ(bk_open(&k, name, missing, &o, why, sizeof(why)),
			  MMB_ENOENT);
		ASSERT(strstr(why, name) == why && strstr(why, "gone"));
		/* opened read-only: writes fail and change nothing */
		ASSERT_OK(bk_open(&k, name, p, &o, why, sizeof(why)));
		if (k.b->write)
			ASSERT(k.b->write(k.t, "x", 1, 0) < 0);
		bk_close(&k);
	}
	ASSERT_EQ(tfile_read(p, 0, why, 1), 1);
	ASSERT_EQ((unsigned char)why[0], tpattern(0, 19));
	return 0;
}

#define NTHREADS 4

struct th_arg {
	const struct mmb_backend *b;
	void *state;
	unsigned idx;
	uint64_t size;
	int err;
};

/* Every thread reads all of its quarter, through its own state. */
static void *th_reader(void *p)
{
	struct th_arg *a = p;
	uint64_t part = a->size / NTHREADS, off = part * a->idx;
	unsigned char buf[4096];
	void *t = a->state;

	if (a->b->thread_open && a->b->thread_open(a->state, a->idx, &t)) {
		a->err = 1;
		return NULL;
	}
	for (uint64_t done = 0; done < part; done += sizeof(buf)) {
		if (a->b->read(t, buf, sizeof(buf), off + done) !=
		    (int64_t)sizeof(buf)) {
			a->err = 2;
			break;
		}
		for (size_t i = 0; i < sizeof(buf); i += 511)
			if (buf[i] != tpattern((size_t)(off + done + i), 23))
				a->err = 3;
	}
	if (a->b->thread_close && t != a->state)
		a->b->thread_close(t);
	return NULL;
}

TEST_IMPL(win_backend_threads)
{
	const char *p = tpath(0, "threads.dat");
	uint64_t size = 4 * MiB;
	struct mmb_backend_opts o = {
	    .block_size = 4096, .advice = -1, .threads = NTHREADS};
	char why[256];

	ASSERT_OK(tfile_write(p, (size_t)size, 23));
	for (size_t i = 0; mmb_backends[i]; i++) {
		const struct mmb_backend *b = mmb_backends[i];
		struct th_arg a[NTHREADS];
		pthread_t t[NTHREADS];
		void *state;

		ASSERT_OK(b->open(p, size, &o, &state, why, sizeof(why)));
		for (unsigned j = 0; j < NTHREADS; j++) {
			a[j] = (struct th_arg){b, state, j, size, 0};
			ASSERT_OK(
			    pthread_create(&t[j], NULL, th_reader, &a[j]));
		}
		for (unsigned j = 0; j < NTHREADS; j++) {
			pthread_join(t[j], NULL);
			ASSERT_EQ(a[j].err, 0);
		}
		b->close(state);
	}
	return 0;
}

static DWORD faults(void)
{
	PROCESS_MEMORY_COUNTERS pmc = {.cb = sizeof(pmc)};

	return GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof(pmc))
		   ? pmc.PageFaultCount
		   : 0;
}

/* GetProcessMemoryInfo's PageFaultCount is the Windows fault counter:
 * touching every page of a fresh view faults, reading the same pages with
 * ReadFile into one warm buffer does not fault per page. */
TEST_IMPL(win_page_faults)
{
	const char *p = tpath(0, "faults.dat");
	size_t pages = 256, pg = mmb_page_size();
	struct mmb_backend_opts o = {
	    .block_size = 4096, .advice = -1, .threads = 1};
	unsigned char *fresh, buf[4096];
	DWORD before, view_faults, read_faults;
	char why[256];
	struct bk k;

	/* Does this system count faults at all? (wine reports 0.) */
	fresh = VirtualAlloc(NULL, 64 * pg, MEM_COMMIT | MEM_RESERVE,
			     PAGE_READWRITE);
	ASSERT(fresh != NULL);
	before = faults();
	for (size_t i = 0; i < 64; i++)
		fresh[i * pg] = 1;
	if (faults() == before) {
		VirtualFree(fresh, 0, MEM_RELEASE);
		SKIP("PageFaultCount does not move on this system (wine "
		     "does not count page faults)");
	}
	VirtualFree(fresh, 0, MEM_RELEASE);

	ASSERT_OK(tfile_write(p, pages * pg, 29));
	ASSERT_OK(bk_open(&k, "winview", p, &o, why, sizeof(why)));
	before = faults();
	for (size_t i = 0; i < pages; i++)
		ASSERT_EQ(k.b->read(k.t, buf, 1, i * pg), 1);
	view_faults = faults() - before;
	bk_close(&k);

	ASSERT_OK(bk_open(&k, "readfile", p, &o, why, sizeof(why)));
	ASSERT_EQ(k.b->read(k.t, buf, sizeof(buf), 0), sizeof(buf));
	before = faults();
	for (size_t i = 0; i < pages; i++)
		ASSERT_EQ(k.b->read(k.t, buf, sizeof(buf), i * pg),
			  sizeof(buf));
	read_faults = faults() - before;
	bk_close(&k);
	printf("page faults for %zu pages: winview %lu, readfile %lu\n", pages,
	       (unsigned long)view_faults, (unsigned long)read_faults);
	ASSERT(view_faults >= 1 && view_faults <= pages + 16);
	ASSERT(read_faults < view_faults);
	return 0;
}

/* One op of more than 2 GiB (a long is 32 bits here): on a sparse file of
 * 2 GiB + 8 MiB with 1 MiB of pattern at the start, around 2 GiB and at
 * the end, every backend reads 2 GiB + 8 MiB from 4 MiB and must return
 * 2 GiB + 4 MiB (cut at the end of the file) with the pattern in place. */
#define BIG_SIZE ((2ull << 30) + 8 * MiB)
#define BIG_OFF	 (4 * MiB)

static const uint64_t big_marks[] = {0, (2ull << 30) - MiB / 2, BIG_SIZE - MiB};

static int big_file(const char *p)
{
	unsigned char *buf = malloc(MiB);
	HANDLE h = CreateFileA(p, GENERIC_READ | GENERIC_WRITE, 0, NULL,
			       CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
	LARGE_INTEGER end = {.QuadPart = (LONGLONG)BIG_SIZE};
	DWORD ret;
	int bad = !buf || h == INVALID_HANDLE_VALUE;

	/* Sparse where the file system allows; wine's files are sparse on
	 * the host's anyway. */
	if (!bad)
		DeviceIoControl(h, FSCTL_SET_SPARSE, NULL, 0, NULL, 0, &ret,
				NULL);
	bad = bad || !SetFilePointerEx(h, end, NULL, FILE_BEGIN) ||
	      !SetEndOfFile(h);
	for (size_t i = 0; !bad && i < 3; i++) {
		OVERLAPPED ov = {.Offset = (DWORD)big_marks[i],
				 .OffsetHigh = (DWORD)(big_marks[i] >> 32)};
		DWORD put = 0;

		for (size_t j = 0; j < MiB; j++)
			buf[j] = tpattern((size_t)(big_marks[i] + j), 31);
		bad = !WriteFile(h, buf, MiB, &put, &ov) || put != MiB;
	}
	if (h != INVALID_HANDLE_VALUE)
		CloseHandle(h);
	free(buf);
	return bad ? -1 : 0;
}

static unsigned char big_byte(uint64_t at)
{
	for (size_t i = 0; i < 3; i++)
		if (at >= big_marks[i] && at < big_marks[i] + MiB)
			return tpattern((size_t)at, 31);
	return 0;
}

TEST_IMPL(win_backend_read_over_2g)
{
	const char *p = tpath(0, "big.dat");
	const size_t len = (size_t)BIG_SIZE;
	const int64_t want = (int64_t)(BIG_SIZE - BIG_OFF);
	struct mmb_backend_opts o = {
	    .block_size = len, .advice = -1, .threads = 1};
	unsigned char *buf;
	char why[256];
	int ran = 0;

	if (big_file(p) < 0)
		SKIP("cannot create a %llu-byte file",
		     (unsigned long long)BIG_SIZE);
	buf = VirtualAlloc(NULL, len, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
	if (!buf) {
		DeleteFileA(p);
		SKIP("cannot allocate a %zu-byte buffer", len);
	}
	for (size_t i = 0; mmb_backends[i]; i++) {
		struct bk k;
		int64_t n;
		int bad = 0;

		if (!(mmb_backends[i]->caps & MMB_CAP_READ))
			continue;
		ASSERT_OK(bk_open(&k, mmb_backends[i]->name, p, &o, why,
				  sizeof(why)));
		buf[want - 1] = 0xa5;
		n = k.b->read(k.t, buf, len, BIG_OFF);
		bk_close(&k);
		printf("%s: read(off=%llu, len=%zu) = %lld (want %lld)\n",
		       mmb_backends[i]->name, (unsigned long long)BIG_OFF, len,
		       (long long)n, (long long)want);
		ASSERT(n == want);
		for (uint64_t j = 0; j < (uint64_t)n; j += 65521)
			bad |= buf[j] != big_byte(BIG_OFF + j);
		for (size_t m = 1; m < 3; m++)
			for (uint64_t a = big_marks[m]; a < big_marks[m] + MiB;
			     a += 7)
				bad |= buf[a - BIG_OFF] != big_byte(a);
		bad |= buf[want - 1] != big_byte(BIG_SIZE - 1);
		ASSERT(!bad);
		ran++;
	}
	VirtualFree(buf, 0, MEM_RELEASE);
	ASSERT(DeleteFileA(p));
	ASSERT(ran > 0);
	return 0;
}
