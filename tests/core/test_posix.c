/* SPDX-License-Identifier: MIT */
/* test_posix.c - behaviour only POSIX/Linux can show: SIGBUS after
 * truncation, mincore residency, madvise hints, mlock, hugetlbfs. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "mmb/map.h"
#include "test.h"
#include "util.h"

#define MiB (1024u * 1024u)

TEST_IMPL(sigbus_after_truncate)
{
	const char *p = tpath(0, "bus.dat");
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR};
	struct mmb_map *m;
	struct mmb_cursor *c;
	struct mmb_window *w;
	unsigned char b[100];
	char e[256];
	int fd;

	ASSERT_OK(tfile_write(p, MiB, 8));
	ASSERT_OK(mmb_map_open(&m, p, &o));
	ASSERT_OK(mmb_window_open(&w, p, MMB_ACCESS_READ, 256 * 1024, 0));
	ASSERT_EQ(mmb_window_pread(w, b, 10, 300000), 10);
	fd = open(p, O_RDWR);
	ASSERT(fd >= 0);
	ASSERT_OK(ftruncate(fd, 4096));
	close(fd);

	/* The first page is still backed; beyond it the copy faults. */
	ASSERT_OK(mmb_map_read(m, 4000, b, 96));
	ASSERT_EQ(b[95], tpattern(4095, 8));
	ASSERT_EQ(mmb_map_read(m, 512 * 1024, b, 100), MMB_ESIGBUS);
	mmb_errmsg(e, sizeof(e));
	ASSERT(strstr(e, "read(file offset=524288, len=100)"));
	ASSERT(strstr(e, "SIGBUS"));
	/* a copy that starts backed and runs past the end faults too */
	ASSERT_EQ(mmb_map_read(m, 4090, b, 100), MMB_ESIGBUS);
	ASSERT_EQ(mmb_map_write(m, 8192, "x", 1), MMB_ESIGBUS);
	ASSERT_OK(mmb_cursor_new(&c, m));
	ASSERT_EQ(mmb_cursor_seek(c, 100000, 0), 100000);
	ASSERT_EQ(mmb_cursor_read(c, b, 10), MMB_ESIGBUS);
	ASSERT_EQ(mmb_cursor_tell(c), 100000); /* a failed read moves nothing */
	mmb_cursor_free(c);
	/* a window knows the size it saw last: the first access to the
	 * lost part faults, and teaches it the new size */
	ASSERT_EQ(mmb_window_pread(w, b, 10, 300000), MMB_ESIGBUS);
	ASSERT_EQ(mmb_window_file_size(w), 4096);
	ASSERT_EQ(mmb_window_pread(w, b, 10, 300000), 0);
	ASSERT_EQ(mmb_window_pread(w, b, 10, 4090), 6);
	ASSERT_EQ(b[5], tpattern(4095, 8));
	ASSERT_OK(mmb_window_close(w));
	/* and the process is still fine: remap to the new size */
	ASSERT_OK(mmb_map_remap(m, 0, 0));
	ASSERT_EQ(mmb_map_size(m), 4096);
	ASSERT_OK(mmb_map_read(m, 0, b, 100));
	ASSERT_EQ(b[99], tpattern(99, 8));
	ASSERT_EQ(mmb_map_read(m, 4090, b, 100), MMB_EBADOFF);
	ASSERT_OK(mmb_map_close(m));
	return 0;
}

static volatile sig_atomic_t prior_called;

static void prior_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
	prior_called++;
}

/* A SIGBUS that is not ours reaches the handler installed before ours. */
TEST_IMPL(sigbus_chains_previous_handler)
{
	const char *p = tpath(0, "chain.dat");
	struct sigaction sa = {0}, now;
	struct mmb_map *m;
	unsigned char b[8];

	/* The guard installs its handler once per process; CTest runs each
	 * test in its own process, a plain `test_core_posix` does not. */
	ASSERT_OK(sigaction(SIGBUS, NULL, &now));
	if (now.sa_handler != SIG_DFL)
		SKIP("a SIGBUS handler is already installed in this process "
		     "(run this test on its own)");
	sa.sa_sigaction = prior_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	ASSERT_OK(sigaction(SIGBUS, &sa, NULL));
	ASSERT_OK(tfile_write(p, 4096, 1));
	ASSERT_OK(mmb_map_open(&m, p, NULL));
	ASSERT_OK(mmb_map_read(m, 0, b, sizeof(b))); /* installs ours */
	ASSERT_OK(sigaction(SIGBUS, NULL, &now));
	ASSERT(now.sa_sigaction != prior_handler);
	ASSERT_OK(raise(SIGBUS));
	ASSERT_EQ(prior_called, 1);
	ASSERT_OK(mmb_map_close(m));
	return 0;
}

/* Evict the file's pages; false when the kernel kept them (then the test
 * cannot tell populate from a warm cache). */
static int evict(const char *p, struct mmb_map **probe)
{
	int fd = open(p, O_RDONLY);

	if (fd < 0)
		return -1;
	fdatasync(fd);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
	if (mmb_map_open(probe, p, NULL))
		return -1;
	double r = mmb_map_resident(*probe);
	mmb_map_close(*probe);
	return r < 0.05 ? 0 : 1;
}

/* An 8 MiB test file at p, out of the page cache (probe: scratch for
 * evict). 0; 77 (skip) when the eviction could not be verified. */
static int cold_file(const char *p, struct mmb_map **probe)
{
	int rc;

	ASSERT_OK(tfile_write(p, 8 * MiB, 3));
	rc = evict(p, probe);
	ASSERT(rc >= 0);
	if (rc)
		SKIP("page cache eviction (POSIX_FADV_DONTNEED) not verified");
	return 0;
}

/* cold_file(p), then p mapped with flags into *m: 0, or what cold_file
 * or the open returned (77: skip). */
static int cold_map(const char *p, unsigned flags, struct mmb_map **m)
{
	struct mmb_map_opts o = {.flags = flags};
	int rc;

	rc = cold_file(p, m);
	if (rc)
		return rc;
	ASSERT_OK(mmb_map_open(m, p, &o));
	return 0;
}

TEST_IMPL(populate_resident)
{
	const char *p = tpath(0, "pop.dat");
	struct mmb_map_opts o = {.flags = MMB_MAP_LOCK};
	struct mmb_map *m;
	int rc;

	rc = cold_map(p, MMB_MAP_POPULATE, &m);
	if (rc)
		return rc;
	ASSERT(mmb_map_resident(m) > 0.999);
	ASSERT_OK(mmb_map_close(m));

	/* MMB_MAP_LOCK pins, which faults everything in as well */
	ASSERT_OK(evict(p, &m));
	rc = mmb_map_open(&m, p, &o);
	if (rc == MMB_EPERM || rc == MMB_ENOMEM || rc == MMB_EAGAIN)
		SKIP("mlock not allowed here (RLIMIT_MEMLOCK)");
	ASSERT_OK(rc);
	ASSERT(mmb_map_resident(m) > 0.999);
	ASSERT_OK(mmb_map_unlock(m));
	ASSERT_OK(mmb_map_lock(m));
	ASSERT_OK(mmb_map_unlock(m));
	ASSERT_OK(mmb_map_close(m));
	return 0;
}

/* WILLNEED starts readahead; wait (bounded, 5 s) until `target` of the
 * mapping is resident, and return the fraction reached. */
static double resident_after_readahead(struct mmb_map *m, double target)
{
	struct timespec ts = {0, 10 * 1000 * 1000};
	double r = 0;

	for (int i = 0; i < 500 && (r = mmb_map_resident(m)) < target; i++)
		nanosleep(&ts, NULL);
	return r;
}

TEST_IMPL(willneed_resident)
{
	const char *p = tpath(0, "wn.dat");
	struct mmb_map *m;
	int rc;

	rc = cold_map(p, MMB_MAP_WILLNEED, &m);
	if (rc)
		return rc;
	ASSERT(resident_after_readahead(m, 0.999) > 0.999);
	ASSERT_OK(mmb_map_close(m));

	/* the same through mmb_map_advise on the second half only */
	ASSERT_OK(evict(p, &m));
	ASSERT_OK(mmb_map_open(&m, p, NULL));
	ASSERT(mmb_map_resident(m) < 0.05);
	ASSERT_OK(mmb_map_advise(m, MMB_ADV_WILLNEED, 4 * MiB, 0));
	/* the second half comes in; the first half stays (mostly) out */
	double r = resident_after_readahead(m, 0.499);
	ASSERT(r >= 0.499 && r < 0.75);
	ASSERT_OK(mmb_map_close(m));
	return 0;
}

/* Every advice on the whole mapping and on a range. */
TEST_IMPL(advise_every_hint)
{
	const char *p = tpath(0, "adv.dat");
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR};
	struct mmb_map *m;
	unsigned char b[16];
	char e[256];

	ASSERT_OK(tfile_write(p, 4 * MiB, 6));
	ASSERT_OK(mmb_map_open(&m, p, &o));
	for (int a = 0; a < MMB_ADV__COUNT; a++) {
		if (a == MMB_ADV_REMOVE)
			continue; /* destructive: checked below */
		int whole = mmb_map_advise(m, (enum mmb_advice)a, 0, 0);
		int range = mmb_map_advise(m, (enum mmb_advice)a, 5000, 70000);

		if (a == MMB_ADV_FREE) {
			/* MADV_FREE is for private anonymous memory only
			 * (file mappings, even private ones, get EINVAL);
			 * the error must name the call. */
			ASSERT_EQ(whole, MMB_EINVAL);
			ASSERT_EQ(range, MMB_EINVAL);
			mmb_errmsg(e, sizeof(e));
			ASSERT(strstr(e, "madvise(len=73728, MADV_FREE)"));
			continue;
		}
		ASSERT_OK(whole);
		ASSERT_OK(range);
	}
	/* MADV_REMOVE frees the backing store: the file reads zeros there,
	 * rounded out to whole pages. */
	ASSERT_OK(mmb_map_advise(m, MMB_ADV_REMOVE, 8192 + 10, 4096));
	ASSERT_OK(mmb_map_close(m));
	ASSERT_EQ(tfile_read(p, 8192, b, 16), 16);
	for (int i = 0; i < 16; i++)
		ASSERT_EQ(b[i], 0);
	ASSERT_EQ(tfile_read(p, 8192 - 16, b, 16), 16);
	ASSERT_EQ(b[15], tpattern(8191, 6));
	ASSERT_EQ(tfile_read(p, 4 * 4096, b, 1), 1);
	ASSERT_EQ(b[0], tpattern(4 * 4096, 6));

	/* THP and no-THP flags at map time */
	o.access = MMB_ACCESS_READ;
	o.flags = MMB_MAP_THP;
	ASSERT_OK(mmb_map_open(&m, p, &o));
	mmb_map_close(m);
	o.flags = MMB_MAP_NOHUGEPAGE;
	ASSERT_OK(mmb_map_open(&m, p, &o));
	mmb_map_close(m);
	return 0;
}

/* ---- hugetlbfs ---------------------------------------------------------- */

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int write_long(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f)
		return -1;
	rc = fprintf(f, "%ld\n", v) < 0;
	return (fclose(f) || rc) ? -1 : 0;
}

TEST_IMPL(hugetlb_alignment)
{
	size_t h = mmb_huge_page_size();
	struct mmb_map_opts o = {.flags = MMB_MAP_HUGETLB};
	const char *p = tpath(0, "plain.dat");
	struct mmb_map *m;

	if (!h)
		SKIP("no huge page size on this system");
	ASSERT_OK(tfile_write(p, 2 * h, 0));
	o.offset = 4096;
	ASSERT_EQ(mmb_map_open(&m, p, &o), MMB_EALIGN);
	o.offset = 0;
	o.length = h + 4096;
	ASSERT_EQ(mmb_map_open(&m, p, &o), MMB_EALIGN);
	o.length = 0;
	o.access = MMB_ACCESS_RDWR;
	o.size = h / 2;
	ASSERT_EQ(mmb_map_open(&m, p, &o), MMB_EALIGN);
	/* aligned, but an ordinary file: refused, not silently 4 KiB */
	o.access = MMB_ACCESS_READ;
	o.size = 0;
	ASSERT_EQ(mmb_map_open(&m, p, &o), MMB_EINVAL);
	char e[256];
	ASSERT(strstr(mmb_errmsg(e, sizeof(e)), "hugetlbfs"));
	return 0;
}

#define NR_HUGE "/proc/sys/vm/nr_hugepages"

TEST_IMPL(hugetlb_map)
{
	size_t h = mmb_huge_page_size();
	long before;
	const char *mnt, *p;
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR,
				 .flags = MMB_MAP_HUGETLB | MMB_MAP_CREATE};
	struct mmb_map *m;
	unsigned char b[64];
	char e[256];
	int rc, result = 1;

	if (!h)
		SKIP("no huge page size on this system");
	if (geteuid() != 0)
		SKIP("needs root to reserve huge pages and mount hugetlbfs");
	before = read_long(NR_HUGE);
	if (before < 0)
		SKIP("cannot read " NR_HUGE);
	mnt = tpath(3, "huge");
	if (mkdir(mnt, 0700) < 0 || mount("none", mnt, "hugetlbfs", 0, NULL))
		SKIP("cannot mount hugetlbfs: %s", strerror(errno));
	p = tpath(0, "huge/h.dat");
	o.size = 2 * h;

	/* With no pages reserved, mapping fails with a clear message. */
	if (before == 0) {
		rc = mmb_map_open(&m, p, &o);
		if (rc != MMB_ENOMEM) {
			fprintf(stderr, "no-reservation map gave %d\n", rc);
			goto out_umount;
		}
		mmb_errmsg(e, sizeof(e));
		if (!strstr(e, "nr_hugepages")) {
			fprintf(stderr, "unclear message: %s\n", e);
			goto out_umount;
		}
		unlink(p);
	}
	if (write_long(NR_HUGE, before + 4) ||
	    read_long("/proc/sys/vm/nr_hugepages") < before + 2) {
		write_long(NR_HUGE, before);
		umount(mnt);
		SKIP("could not reserve huge pages");
	}
	rc = mmb_map_open(&m, p, &o);
	if (rc) {
		fprintf(stderr, "hugetlb map: %s\n", mmb_errmsg(e, sizeof(e)));
		goto out_restore;
	}
	if (mmb_map_size(m) != 2 * h ||
	    mmb_map_write(m, h - 32,
			  "across the huge page boundary!!!"
			  "................................",
			  64) ||
	    mmb_map_read(m, h - 32, b, 64) ||
	    memcmp(b, "across the huge page boundary!!!", 32) != 0 ||
	    mmb_map_flush(m, 0, 0, false) || mmb_map_resident(m) < 0.4) {
		fprintf(stderr, "hugetlb map misbehaved: %s\n",
			mmb_errmsg(e, sizeof(e)));
		mmb_map_close(m);
		goto out_unlink;
	}
	/* remap the second huge page only; unaligned remaps are refused */
	if (mmb_map_remap(m, h, h) || mmb_map_read(m, 0, b, 32) ||
	    memcmp(b, "................................", 32) != 0 ||
	    mmb_map_remap(m, 4096, h) != MMB_EALIGN) {
		fprintf(stderr, "hugetlb remap misbehaved\n");
		mmb_map_close(m);
		goto out_unlink;
	}
	mmb_map_close(m);
	result = 0;
out_unlink:
	unlink(p);
out_restore:
	write_long(NR_HUGE, before);
out_umount:
	umount(mnt);
	return result;
}

/* ---- sync bookkeeping ----------------------------------------------- */

/* This executable's msync() comes before the C library's, so libmmb (a
 * static library here) calls it: it makes the system call and then, once,
 * writes through hook_map, as another thread's write landing while the
 * flush runs would. */
static struct mmb_map *volatile hook_map;
static volatile int hook_writes;

int msync(void *addr, size_t len, int flags)
{
	struct mmb_map *m = hook_map;
	long r = syscall(SYS_msync, addr, len, flags);

	if (m) {
		hook_map = NULL;
		if (mmb_map_write(m, 4096, "late", 4) == 0)
			hook_writes++;
	}
	return r < 0 ? -1 : 0;
}

/* A write landing during a deferred policy's flush is flushed later (its
 * dirty mark used to be cleared after the msync and so lost). */
TEST_IMPL(settle_write_during_flush)
{
	const char *p = tpath(0, "race.dat");
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR};
	struct mmb_map *m;

	ASSERT_OK(tfile_write(p, 65536, 1));
	ASSERT_OK(mmb_map_open(&m, p, &o));
	ASSERT_OK(mmb_map_set_sync(m, MMB_SYNC_PERIODIC, 3600 * 1000));
	ASSERT_OK(mmb_map_write(m, 0, "first", 5));
	ASSERT_EQ(mmb_map_flushes(m), 0);
	hook_map = m;
	/* leaving PERIODIC flushes what it owes; the hook writes meanwhile */
	ASSERT_OK(mmb_map_set_sync(m, MMB_SYNC_LAZY, 0));
	ASSERT_EQ(hook_writes, 1);
	ASSERT_EQ(mmb_map_flushes(m), 1);
	/* the late write is still owed: leaving LAZY flushes it */
	ASSERT_OK(mmb_map_set_sync(m, MMB_SYNC_NEVER, 0));
	ASSERT_EQ(mmb_map_flushes(m), 2);
	ASSERT_OK(mmb_map_close(m));
	return 0;
}

/* MMB_MAP_CREATE makes the file with the caller's mode (it was always
 * 0644); the C workflow uses 0600. */
TEST_IMPL(map_create_mode)
{
	const char *p = tpath(0, "mode.dat"), *q = tpath(1, "mode2.dat");
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR,
				 .flags = MMB_MAP_CREATE,
				 .size = 4096,
				 .mode = 0600};
	struct mmb_map *m;
	struct stat st;
	mode_t old = umask(022);

	ASSERT_OK(mmb_map_open(&m, p, &o));
	ASSERT_OK(mmb_map_close(m));
	ASSERT_OK(stat(p, &st));
	ASSERT_EQ(st.st_mode & 0777, 0600);
	o.mode = 0; /* the default */
	ASSERT_OK(mmb_map_open(&m, q, &o));
	ASSERT_OK(mmb_map_close(m));
	ASSERT_OK(stat(q, &st));
	ASSERT_EQ(st.st_mode & 0777, 0644);
	umask(old);
	return 0;
}

/* ---- guarded access ------------------------------------------------- */

#include <sys/wait.h>

/* Sum the 64-bit words of [p, p+len) into *(uint64_t *)arg. */
static int sum_words(void *p, size_t len, void *arg)
{
	const uint64_t *w = p;
	uint64_t s = 0;

	for (size_t i = 0; i < len / 8; i++)
		s += w[i];
	*(uint64_t *)arg = s;
	return 0;
}

static volatile sig_atomic_t cb_calls;
static uint64_t cb_offset;
static const struct mmb_map *cb_map;

static void on_bus(const struct mmb_sigbus_info *info, void *arg)
{
	cb_calls++;
	cb_offset = info->offset;
	cb_map = info->map;
	*(int *)arg += 1;
}

struct nested {
	struct mmb_map *inner;
	int inner_rc;
};

/* Reads the other map (which faults) from inside a guard of the first. */
static int nested_read(void *p, size_t len, void *arg)
{
	struct nested *n = arg;
	unsigned char b[16];

	(void)p;
	(void)len;
	n->inner_rc = mmb_map_read(n->inner, 64 * 1024, b, sizeof(b));
	return 5;
}

/* A zero-copy consumer over a mapping whose file shrinks: the guarded
 * call returns MMB_ESIGBUS with the faulting offset (a page boundary, the
 * first page past the new end), the callback sees it, and the process
 * goes on. */
TEST_IMPL(guard_in_place_after_truncate)
{
	const char *p = tpath(0, "guard.dat");
	struct mmb_map *m, *other;
	uint64_t sum = 0, want = 0, at = 0;
	int calls = 0, fd;
	char e[256];
	struct nested n;

	ASSERT_OK(tfile_write(p, MiB, 4));
	ASSERT_OK(mmb_map_open(&m, p, NULL));
	ASSERT_OK(mmb_map_open(&other, p, NULL));
	for (size_t i = 0; i < 4096 / 8; i++) {
		uint64_t w;
		memcpy(&w, (char *)mmb_map_data(m) + 8192 + i * 8, 8);
		want += w;
	}
	ASSERT_OK(mmb_map_guard(m, 8192, 4096, sum_words, &sum, &at));
	ASSERT_EQ(sum, want);
	ASSERT_EQ(at, 0);
	/* fn's own result passes through */
	n.inner = other;
	n.inner_rc = 1;
	ASSERT_EQ(mmb_map_guard(m, 0, 16, nested_read, &n, NULL), 5);
	ASSERT_OK(n.inner_rc);
	ASSERT_EQ(mmb_map_guard(m, MiB - 8, 16, sum_words, &sum, NULL),
		  MMB_EBADOFF);
	ASSERT_EQ(mmb_map_guard(m, 0, 8, NULL, NULL, NULL), MMB_EINVAL);

	mmb_set_sigbus_callback(on_bus, &calls);
	fd = open(p, O_RDWR);
	ASSERT(fd >= 0);
	ASSERT_OK(ftruncate(fd, 3 * 4096 + 100));
	close(fd);
	/* still backed: fine */
	ASSERT_OK(mmb_map_guard(m, 8192, 4096, sum_words, &sum, &at));
	ASSERT_EQ(calls, 0);
	/* 4 pages from 8 KiB: the fault is at the first page past the end */
	ASSERT_EQ(mmb_map_guard(m, 8192, 4 * 4096, sum_words, &sum, &at),
		  MMB_ESIGBUS);
	ASSERT_EQ(at, 4 * 4096);
	ASSERT_EQ(calls, 1);
	ASSERT_EQ(cb_offset, 4 * 4096);
	ASSERT(cb_map == m);
	mmb_errmsg(e, sizeof(e));
	ASSERT(strstr(e, "guard(file offset=8192, len=16384): fault at file "
			 "offset 16384"));
	/* nested: the inner read faults and is caught by its own guard;
	 * the outer call completes */
	n.inner_rc = 0;
	ASSERT_EQ(mmb_map_guard(m, 0, 16, nested_read, &n, NULL), 5);
	ASSERT_EQ(n.inner_rc, MMB_ESIGBUS);
	ASSERT_EQ(calls, 2);
	ASSERT(cb_map == other);
	ASSERT_EQ(cb_offset, 64 * 1024);
	/* a copy reports the fault offset too */
	unsigned char b[8];
	ASSERT_EQ(mmb_map_read(m, 200000, b, 8), MMB_ESIGBUS);
	ASSERT(strstr(mmb_errmsg(e, sizeof(e)), "fault at file offset 200000"));
	ASSERT_EQ(calls, 3);
	mmb_set_sigbus_callback(NULL, NULL);
	ASSERT_EQ(mmb_map_read(m, 200000, b, 8), MMB_ESIGBUS);
	ASSERT_EQ(calls, 3);
	ASSERT_OK(mmb_map_close(other));
	ASSERT_OK(mmb_map_close(m));
	return 0;
}

/* A loop of accesses under one scope (mmb_map_guard_scope). progress is
 * stored as the loop goes: the scope's frame is abandoned at a fault. */
struct scope_loop {
	struct mmb_map *m, *other;
	volatile size_t pages; /* pages of m read so far */
	uint64_t sum;
	int how;   /* 0 mmb_map_read, 1 pointer loads, 2 mmb_map_guard */
	int after; /* set when the loop ran to its end */
	int inner_rc;
};

static int scope_pages(void *p, size_t len, void *arg)
{
	struct scope_loop *l = arg;
	unsigned char b[4096];

	for (size_t pg = 0; pg < len / 4096; pg++) {
		uint64_t w = 0;
		int rc = 0;
		if (l->how == 0)
			rc = mmb_map_read(l->m, pg * 4096, b, sizeof(b));
		else if (l->how == 1)
			memcpy(b, (char *)p + pg * 4096, sizeof(b));
		else
			rc = mmb_map_guard(l->m, pg * 4096, 4096, sum_words, &w,
					   NULL);
		if (rc)
			return rc;
		if (l->how != 2)
			memcpy(&w, b, 8);
		l->sum += w;
		l->pages = pg + 1;
	}
	l->after = 1;
	return 7;
}

/* Inside a scope of m: a guard of the other map, which faults, still
 * catches its own fault, and an access of m inside that guard arms its
 * own guard again. */
static int scope_other(void *p, size_t len, void *arg)
{
	struct scope_loop *l = arg;
	unsigned char b[8];

	(void)p;
	(void)len;
	l->inner_rc = mmb_map_read(l->other, 64 * 1024, b, sizeof(b));
	l->after = 1;
	return 3;
}

static int scope_nested_m(void *p, size_t len, void *arg)
{
	struct scope_loop *l = arg;
	unsigned char b[8];

	(void)p;
	(void)len;
	/* innermost is a plain guard of other: m's read is guarded itself */
	l->inner_rc = mmb_map_read(l->m, 200000, b, sizeof(b));
	return 0;
}

static int scope_in_other(void *p, size_t len, void *arg)
{
	struct scope_loop *l = arg;

	(void)p;
	(void)len;
	int rc = mmb_map_guard(l->other, 0, 16, scope_nested_m, l, NULL);
	l->after = 1;
	return rc;
}

/* A scope: the guarded accesses inside it arm nothing and a fault ends
 * the whole loop with the fault's offset; nested guards of another map
 * keep their own faults; the guard state is clean afterwards. */
TEST_IMPL(guard_scope_after_truncate)
{
	const char *p = tpath(0, "scope.dat");
	struct scope_loop l = {0};
	uint64_t at = 0, want = 0;
	int calls = 0, fd;
	char e[256];

	ASSERT_OK(tfile_write(p, MiB, 4));
	ASSERT_OK(mmb_map_open(&l.m, p, NULL));
	ASSERT_OK(mmb_map_open(&l.other, p, NULL));
	for (size_t pg = 0; pg < MiB / 4096; pg++) {
		uint64_t w;
		memcpy(&w, (char *)mmb_map_data(l.m) + pg * 4096, 8);
		want += w;
	}
	ASSERT_EQ(mmb_map_guard_scope(l.m, NULL, NULL, NULL), MMB_EINVAL);
	ASSERT_EQ(mmb_map_guard_scope(NULL, scope_pages, &l, NULL),
		  MMB_ENOTMAPPED);
	/* whole file backed: fn's result, every page read */
	for (l.how = 0; l.how < 2; l.how++) {
		l.sum = l.pages = 0, l.after = 0;
		ASSERT_EQ(mmb_map_guard_scope(l.m, scope_pages, &l, &at), 7);
		ASSERT_EQ(l.pages, MiB / 4096);
		ASSERT_EQ(l.sum, want);
		ASSERT_EQ(l.after, 1);
	}

	mmb_set_sigbus_callback(on_bus, &calls);
	fd = open(p, O_RDWR);
	ASSERT(fd >= 0);
	ASSERT_OK(ftruncate(fd, 3 * 4096 + 100));
	close(fd);
	/* each way of reading m: the loop is abandoned at page 4 (the
	 * first past the end), inner calls do not return the error */
	for (l.how = 0; l.how < 3; l.how++) {
		l.sum = l.pages = 0, l.after = 0, at = 0;
		ASSERT_EQ(mmb_map_guard_scope(l.m, scope_pages, &l, &at),
			  MMB_ESIGBUS);
		ASSERT_EQ(l.pages, 4);
		ASSERT_EQ(l.after, 0);
		ASSERT_EQ(at, 4 * 4096);
		ASSERT_EQ(calls, l.how + 1);
		ASSERT(cb_map == l.m);
		ASSERT_EQ(cb_offset, 4 * 4096);
		mmb_errmsg(e, sizeof(e));
		ASSERT(strstr(e, "guard scope(file offset=0, len=1048576): "
				 "fault at file offset 16384"));
	}
	/* the other map's fault inside the scope is its own */
	l.after = 0, l.inner_rc = 0;
	ASSERT_EQ(mmb_map_guard_scope(l.m, scope_other, &l, NULL), 3);
	ASSERT_EQ(l.inner_rc, MMB_ESIGBUS);
	ASSERT_EQ(l.after, 1);
	ASSERT(cb_map == l.other);
	/* m inside a plain guard of other inside the scope of m */
	l.after = 0, l.inner_rc = 0;
	ASSERT_OK(mmb_map_guard_scope(l.m, scope_in_other, &l, NULL));
	ASSERT_EQ(l.inner_rc, MMB_ESIGBUS);
	ASSERT_EQ(l.after, 1);
	ASSERT(cb_map == l.m);
	ASSERT_EQ(cb_offset, 200000);
	/* after the scopes, a plain guarded copy still catches its fault */
	unsigned char b[8];
	ASSERT_EQ(mmb_map_read(l.m, 300000, b, 8), MMB_ESIGBUS);
	ASSERT(strstr(mmb_errmsg(e, sizeof(e)), "fault at file offset 300000"));
	mmb_set_sigbus_callback(NULL, NULL);
	ASSERT_OK(mmb_map_close(l.other));
	ASSERT_OK(mmb_map_close(l.m));
	return 0;
}

/* With protection off, the same fault is the plain SIGBUS (in a child). */
TEST_IMPL(guard_off_is_plain_sigbus)
{
	const char *p = tpath(0, "noguard.dat");
	struct mmb_map *m;
	uint64_t sum;
	int fd, status;
	pid_t pid;

	ASSERT_OK(tfile_write(p, 64 * 1024, 4));
	ASSERT_OK(mmb_map_open(&m, p, NULL));
	ASSERT_OK(mmb_map_set_guard(m, false));
	ASSERT_OK(mmb_map_guard(m, 0, 4096, sum_words, &sum, NULL));
	fd = open(p, O_RDWR);
	ASSERT(fd >= 0);
	ASSERT_OK(ftruncate(fd, 4096));
	close(fd);
	pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		signal(SIGBUS, SIG_DFL);
		mmb_map_guard(m, 8192, 4096, sum_words, &sum, NULL);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);
	ASSERT_OK(mmb_map_set_guard(m, true));
	ASSERT_EQ(mmb_map_guard(m, 8192, 4096, sum_words, &sum, NULL),
		  MMB_ESIGBUS);
	ASSERT_EQ(mmb_map_set_guard(NULL, true), MMB_ENOTMAPPED);
	ASSERT_OK(mmb_map_close(m));
	return 0;
}

/* ---- the periodic flusher, seen from the kernel ---------------------- */

/* internal (hidden in libmmb.so, linked here from the static library) */
uint64_t mmb__flusher_wakeups(void);

/* 1 when the page cache page behind addr is dirty, 0 when clean, -1 when
 * the kernel does not tell (no /proc/kpageflags, or no PFNs in pagemap
 * without CAP_SYS_ADMIN). */
static int page_dirty(const void *addr)
{
	uint64_t ent = 0, flags = 0, pfn;
	long pg = sysconf(_SC_PAGESIZE);
	int fd = open("/proc/self/pagemap", O_RDONLY), ok;

	if (fd < 0)
		return -1;
	ok = pread(fd, &ent, 8, (off_t)((uintptr_t)addr / (uintptr_t)pg * 8)) ==
	     8;
	close(fd);
	pfn = ent & ((1ull << 55) - 1);
	if (!ok || !(ent >> 63) || !pfn)
		return -1;
	fd = open("/proc/kpageflags", O_RDONLY);
	if (fd < 0)
		return -1;
	ok = pread(fd, &flags, 8, (off_t)(pfn * 8)) == 8;
	close(fd);
	return ok ? (int)((flags >> 4) & 1) : -1; /* KPF_DIRTY */
}

/* One write, then idle: after three intervals the page is clean (written
 * back by the flusher's msync, not by the kernel, whose writeback waits
 * 30 s by default), and an idle flusher does not wake up again. */
TEST_IMPL(periodic_flusher_cleans_page)
{
	const char *p = tpath(0, "clean.dat");
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR};
	struct mmb_map *m;
	uint64_t w0;
	int d;

	ASSERT_OK(tfile_write(p, 65536, 1));
	ASSERT_OK(mmb_map_open(&m, p, &o));
	/* written back by someone before we start, so a clean page later
	 * means our flush */
	ASSERT_OK(mmb_map_flush(m, 0, 0, false));
	ASSERT_OK(mmb_map_set_sync(m, MMB_SYNC_PERIODIC, 100));
	ASSERT_OK(mmb_map_write(m, 4096 + 10, "on disk?", 8));
	d = page_dirty((char *)mmb_map_data(m) + 4096);
	if (d < 0)
		SKIP("/proc/kpageflags does not show page flags here");
	ASSERT_EQ(d, 1);
	tsleep_ms(300);
	/* (a busy disk may delay the msync: wait for it, up to 10 s) */
	for (int i = 0; i < 1000 && mmb_map_flushes(m) < 1; i++)
		tsleep_ms(10);
	ASSERT_EQ(mmb_map_flushes(m), 1);
	ASSERT_EQ(page_dirty((char *)mmb_map_data(m) + 4096), 0);
	/* idle: no wake-up at all for three more intervals */
	w0 = mmb__flusher_wakeups();
	tsleep_ms(300);
	ASSERT_EQ(mmb__flusher_wakeups(), w0);
	ASSERT_OK(mmb_map_close(m));
	return 0;
}

/* ---- shared memory between two processes ---------------------------- */

/* The parent writes a message into a named object while holding an
 * exclusive flock; the child (forked, its own open of the lock file, so
 * its own lock) waits for the lock, reads the message and answers in the
 * same object. The mode reaches /dev/shm. */
TEST_IMPL(shm_two_processes)
{
	const char *lock = tpath(0, "ipc.lock");
	struct mmb_shm_opts o = {
	    .flags = MMB_SHM_CREATE, .size = 8192, .mode = 0640};
	char name[64], dev[96];
	struct mmb_map *m;
	struct stat st;
	int fd, status;
	pid_t pid;
	mode_t old = umask(022);

	snprintf(name, sizeof(name), "/mmb-ipc-%ld", (long)getpid());
	snprintf(dev, sizeof(dev), "/dev/shm%s", name);
	mmb_shm_remove(name);
	ASSERT_OK(tfile_write(lock, 0, 0));
	fd = open(lock, O_RDWR);
	ASSERT(fd >= 0);
	ASSERT_OK(mmb_file_lock(fd, true, true));
	ASSERT_OK(mmb_shm_map(&m, name, &o));
	umask(old);
	if (stat(dev, &st) == 0)
		ASSERT_EQ(st.st_mode & 0777, 0640);
	pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		struct mmb_map *c;
		char msg[32] = {0};
		int lfd = open(lock, O_RDWR), ok;

		if (lfd < 0 || mmb_shm_open(&c, name) ||
		    mmb_file_lock(lfd, true, true))
			_exit(2);
		ok = mmb_map_read(c, 0, msg, 16) == 0 &&
		     memcmp(msg, "ping from parent", 16) == 0;
		if (ok)
			ok = mmb_map_write(c, 4096, "pong", 4) == 0;
		mmb_file_unlock(lfd);
		mmb_map_close(c);
		_exit(ok ? 0 : 1);
	}
	/* give the child time to block on the lock: the ordering, not the
	 * timing, makes it read after this write */
	tsleep_ms(50);
	ASSERT_OK(mmb_map_write(m, 0, "ping from parent", 16));
	ASSERT_OK(mmb_file_unlock(fd));
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 0);
	ASSERT(memcmp((char *)mmb_map_data(m) + 4096, "pong", 4) == 0);
	close(fd);
	ASSERT_OK(mmb_shm_remove(name));
	ASSERT_OK(mmb_map_close(m));
	return 0;
}

/* MS_INVALIDATE refuses a locked range (Linux: EBUSY), so the call does
 * reach msync with the flag. */
TEST_IMPL(invalidate_locked_busy)
{
	const char *p = tpath(0, "invlock.dat");
	struct mmb_map_opts o = {.flags = MMB_MAP_LOCK};
	struct mmb_map *m;
	int rc;

	ASSERT_OK(tfile_write(p, 65536, 1));
	rc = mmb_map_open(&m, p, &o);
	if (rc == MMB_EPERM || rc == MMB_ENOMEM || rc == MMB_EAGAIN)
		SKIP("mlock not allowed here (RLIMIT_MEMLOCK)");
	ASSERT_OK(rc);
	ASSERT_EQ(mmb_map_invalidate(m, 0, 0), MMB_EBUSY);
	char e[256];
	ASSERT(strstr(mmb_errmsg(e, sizeof(e)), "MS_INVALIDATE"));
	ASSERT_OK(mmb_map_unlock(m));
	ASSERT_OK(mmb_map_invalidate(m, 0, 0));
	ASSERT_OK(mmb_map_close(m));
	return 0;
}

/* Threads guard at once, faulting and not: each thread's guard is its
 * own (thread-local), so every fault returns to the thread that took it
 * and the counts add up. */
struct gt_arg {
	struct mmb_map *m;
	int faults, oks, other;
};

static void *gt_run(void *p)
{
	struct gt_arg *a = p;
	uint64_t sum, at;

	for (int i = 0; i < 2000; i++) {
		/* even: inside the surviving first page; odd: past the end */
		uint64_t off = i % 2 ? 8192 + (uint64_t)(i % 8) * 4096 : 0;
		int rc = mmb_map_guard(a->m, off, 4096, sum_words, &sum, &at);

		if (rc == 0 && i % 2 == 0)
			a->oks++;
		else if (rc == MMB_ESIGBUS && i % 2 && at == off)
			a->faults++;
		else
			a->other++;
	}
	return NULL;
}

#include <pthread.h>
#include <stdatomic.h>

static atomic_int gt_calls;

static void gt_on_bus(const struct mmb_sigbus_info *info, void *arg)
{
	(void)info;
	(void)arg;
	atomic_fetch_add(&gt_calls, 1);
}

TEST_IMPL(guard_threads)
{
	enum { T = 4 };
	const char *p = tpath(0, "gthreads.dat");
	struct mmb_map *m;
	pthread_t t[T];
	struct gt_arg a[T];
	int fd;

	ASSERT_OK(tfile_write(p, 64 * 1024, 6));
	ASSERT_OK(mmb_map_open(&m, p, NULL));
	fd = open(p, O_RDWR);
	ASSERT(fd >= 0);
	ASSERT_OK(ftruncate(fd, 4096));
	close(fd);
	mmb_set_sigbus_callback(gt_on_bus, NULL);
	for (int i = 0; i < T; i++) {
		a[i] = (struct gt_arg){.m = m};
		ASSERT_OK(pthread_create(&t[i], NULL, gt_run, &a[i]));
	}
	for (int i = 0; i < T; i++) {
		pthread_join(t[i], NULL);
		ASSERT_EQ(a[i].oks, 1000);
		ASSERT_EQ(a[i].faults, 1000);
		ASSERT_EQ(a[i].other, 0);
	}
	ASSERT_EQ(atomic_load(&gt_calls), T * 1000);
	mmb_set_sigbus_callback(NULL, NULL);
	ASSERT_OK(mmb_map_close(m));
	return 0;
}
