/* SPDX-License-Identifier: MIT */
/* test_mapping.c - the registry, bad input, and what the mapped backends
 * do to page tables: 4 KiB only for mmap-4k, fully populated for
 * mmap-populate, huge pages for mmap-hugetlb, advice in VmFlags. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "test.h"
#include "testutil.h"

static int64_t no_read(void *ts, void *buf, size_t len, uint64_t off)
{
	(void)ts, (void)buf, (void)off;
	return (int64_t)len;
}

static int64_t no_write(void *ts, const void *buf, size_t len, uint64_t off)
{
	(void)ts, (void)buf, (void)off;
	return (int64_t)len;
}

static int no_open(const char *path, uint64_t size,
		   const struct mmb_backend_opts *o, void **state, char *why,
		   size_t whylen)
{
	(void)path, (void)size, (void)o, (void)why, (void)whylen;
	*state = NULL;
	return 0;
}

static void no_close(void *state)
{
	(void)state;
}

/* mmb_backend_check names what is missing. */
static int check_says(const struct mmb_backend *b, const char *what)
{
	char why[256] = "";

	ASSERT_EQ(mmb_backend_check(b, why, sizeof(why)), MMB_EINVAL);
	fprintf(stderr, "%s\n", why);
	ASSERT(strstr(why, "'bad'") != NULL);
	ASSERT(strstr(why, what) != NULL);
	return 0;
}

/* Every registered backend passes the caps check, has a unique name that
 * mmb_backend_find returns, and the check refuses tables that break each
 * rule. Nothing here counts the registry. */
TEST_IMPL(registry)
{
	const struct mmb_backend ok = {.name = "bad",
				       .help = "h",
				       .caps = MMB_CAP_READ,
				       .open = no_open,
				       .read = no_read,
				       .close = no_close};
	struct mmb_backend b;
	char why[256];

	ASSERT(mmb_backends[0] != NULL);
	for (size_t i = 0; mmb_backends[i]; i++) {
		const struct mmb_backend *r = mmb_backends[i];

		why[0] = '\0';
		if (mmb_backend_check(r, why, sizeof(why)) != 0) {
			fprintf(stderr, "%s\n", why);
			return 1;
		}
		ASSERT(mmb_backend_find(r->name) == r);
		for (size_t j = 0; j < i; j++)
			ASSERT(strcmp(mmb_backends[j]->name, r->name) != 0);
	}
	ASSERT(mmb_backend_find("no-such-backend") == NULL);
	ASSERT(mmb_backend_find("") == NULL);
	ASSERT(mmb_backend_find(NULL) == NULL);
	ASSERT(mmb_backend_find("mmap")->caps & MMB_CAP_MAPPED);
	ASSERT(!(mmb_backend_find("pread")->caps & MMB_CAP_MAPPED));

	ASSERT_OK(mmb_backend_check(&ok, why, sizeof(why)));
	b = ok, b.close = NULL;
	ASSERT_OK(check_says(&b, "open and close"));
	b = ok, b.caps = MMB_CAP_READ | MMB_CAP_WRITE;
	ASSERT_OK(check_says(&b, "MMB_CAP_WRITE without a write hook"));
	b = ok, b.write = no_write;
	ASSERT_OK(check_says(&b, "a write hook without MMB_CAP_WRITE"));
	b = ok, b.read = NULL;
	ASSERT_OK(check_says(&b, "MMB_CAP_READ without a read hook"));
	b = ok, b.caps = 0;
	ASSERT_OK(check_says(&b, "neither MMB_CAP_READ nor MMB_CAP_WRITE"));
	b = ok, b.caps |= MMB_CAP_MAPPED;
	ASSERT_OK(check_says(&b, "MMB_CAP_MAPPED without a mapping hook"));
	b = ok, b.thread_close = no_close;
	ASSERT_OK(check_says(&b, "in pairs"));
	b = ok, b.help = NULL;
	ASSERT_OK(check_says(&b, "no help"));
	return 0;
}

TEST_IMPL(wsync_names)
{
	for (int s = MMB_WSYNC_NONE; s <= MMB_WSYNC_FSYNC; s++)
		ASSERT_EQ(mmb_wsync_parse(mmb_wsync_name((enum mmb_wsync)s)),
			  s);
	ASSERT_EQ(mmb_wsync_parse("msync-async"), MMB_WSYNC_MSYNC_ASYNC);
	ASSERT_EQ(mmb_wsync_parse("sometimes"), -1);
	ASSERT_EQ(mmb_wsync_parse(NULL), -1);
	ASSERT(mmb_wsync_name((enum mmb_wsync)42) == NULL);
	return 0;
}

static int bad_input_body(struct fx *f)
{
	const struct mmb_backend *d = mmb_backend_find("pread-direct");
	const struct mmb_backend *p = mmb_backend_find("pread");
	const struct mmb_backend *h = mmb_backend_find("mmap-hugetlb");
	const struct mmb_backend *m = mmb_backend_find("mmap");
	struct mmb_backend_opts o = test_opts();
	char why[512] = "";
	void *st = NULL;
	char buf[4096];
	int rc;

	/* O_DIRECT with a 1000-byte block. */
	o.block_size = 1000;
	rc = d->open(f->path, f->size, &o, &st, why, sizeof(why));
	if (rc == MMB_ESKIP)
		SKIP("%s", why);
	fprintf(stderr, "pread-direct bs=1000: %s\n", why);
	ASSERT_EQ(rc, MMB_EALIGN);
	ASSERT(strstr(why, "1000") != NULL);

	/* A misaligned op on a good open is refused, not sent to the kernel. */
	o.block_size = 4096;
	ASSERT_OK(d->open(f->path, f->size, &o, &st, why, sizeof(why)));
	ASSERT_EQ(d->read(st, buf, sizeof(buf), 100), MMB_EALIGN);
	ASSERT_EQ(d->read(st, buf, 8192, 0), MMB_EINVAL);
	d->close(st);

	/* Advice posix_fadvise cannot express. */
	why[0] = '\0';
	o.advice = MMB_ADV_HUGEPAGE;
	ASSERT_EQ(p->open(f->path, f->size, &o, &st, why, sizeof(why)),
		  MMB_EINVAL);
	ASSERT(strstr(why, "hugepage") != NULL);
	o.advice = -1;

	/* The hugetlb copy cannot carry writes back. */
	why[0] = '\0';
	o.writable = true;
	ASSERT_EQ(h->open(f->path, f->size, &o, &st, why, sizeof(why)),
		  MMB_EINVAL);
	ASSERT(why[0] != '\0');

	/* A missing file names itself. */
	why[0] = '\0';
	o.writable = false;
	ASSERT_EQ(p->open("/nonexistent/mmb", 1, &o, &st, why, sizeof(why)),
		  MMB_ENOENT);
	ASSERT(strstr(why, "/nonexistent/mmb") != NULL);

	/* Stores into a read-only mapping are refused, not a SIGSEGV. */
	ASSERT_OK(m->open(f->path, f->size, &o, &st, why, sizeof(why)));
	ASSERT_EQ(m->write(st, buf, 16, 0), MMB_EREADONLY);
	m->close(st);
	return 0;
}

TEST_IMPL(bad_input)
{
	return fx_run(1 * MiB, bad_input_body);
}

/* Open a mapped backend, read the whole file through it, and return the
 * smaps FilePmdMapped (kB) and VmFlags of its mapping. */
static int touch_all(struct fx *f, const char *name, int advice, bool cold,
		     long *pmd, char *flags, size_t flagslen)
{
	const struct mmb_backend *b = mmb_backend_find(name);
	struct mmb_backend_opts o = test_opts();
	void *st, *base;
	char buf[65536];
	size_t len;
	long rss;
	int rc;

	o.advice = advice;
	/* From an empty page cache the pages come from readahead through
	 * the mapping, which is where large folios (and PMD mappings)
	 * appear; evicting a clean file needs no privilege. */
	if (cold)
		evict(f->path);
	rc = bk_open(b, f->path, f->size, &o, &st);
	if (rc)
		return rc;
	for (uint64_t off = 0; off < f->size; off += sizeof(buf))
		if (b->read(st, buf, sizeof(buf), off) <= 0) {
			b->close(st);
			ASSERT(!"read failed");
		}
	base = b->mapping(st, &len);
	*pmd = smaps_field(base, "FilePmdMapped", flags, flagslen);
	rss = smaps_field(base, "Rss", NULL, 0);
	b->close(st);
	fprintf(stderr,
		"%s (%s cache, advice %s): Rss %ld kB, FilePmdMapped "
		"%ld kB, VmFlags:%s",
		name, cold ? "cold" : "warm",
		advice < 0 ? "none" : mmb_advice_name(advice), rss, *pmd,
		flags);
	ASSERT(len >= f->size);
	/* The whole file was touched: proves we read the right VMA. */
	ASSERT_INT(rss, >=, (long)(f->size / 1024));
	ASSERT_INT(*pmd, >=, 0);
	return 0;
}

static int pmd_body(struct fx *f)
{
	char flags[256] = "";
	long pmd;
	int rc;

	/* Plain mmap may or may not get PMD mappings from large folios:
	 * report only. */
	rc = touch_all(f, "mmap", -1, true, &pmd, flags, sizeof(flags));
	if (rc)
		return rc;
	/* mmap-thp fills the page cache with huge folios where it can ... */
	rc = touch_all(f, "mmap-thp", MMB_ADV_SEQUENTIAL, true, &pmd, flags,
		       sizeof(flags));
	if (rc != 0 && rc != 77)
		return rc;
	if (rc == 0) {
		ASSERT(strstr(flags, " hg") != NULL);
		ASSERT(strstr(flags, " sr") != NULL);
	}
	/* ... which plain mmap may map by PMD (report only) ... */
	rc = touch_all(f, "mmap", -1, false, &pmd, flags, sizeof(flags));
	if (rc)
		return rc;
	/* ... but mmap-4k, on that same warm cache, must still map every
	 * page with a 4 KiB entry. */
	rc = touch_all(f, "mmap-4k", -1, false, &pmd, flags, sizeof(flags));
	if (rc)
		return rc;
	ASSERT_EQ(pmd, 0);
	ASSERT(strstr(flags, " nh") != NULL);
	rc = touch_all(f, "mmap-4k", -1, true, &pmd, flags, sizeof(flags));
	if (rc)
		return rc;
	ASSERT_EQ(pmd, 0);
	/* Advice reaches the mapping. */
	rc = touch_all(f, "mmap", MMB_ADV_RANDOM, false, &pmd, flags,
		       sizeof(flags));
	if (rc)
		return rc;
	ASSERT(strstr(flags, " rr") != NULL);
	return 0;
}

TEST_IMPL(mmap_4k_no_pmd)
{
	return fx_run(16 * MiB, pmd_body);
}

/* Minor faults taken while reading the whole file through backend
 * `name`, and how many of its pages were present right after open. */
static int faults_reading(struct fx *f, const char *name, long *faults,
			  long *present)
{
	const struct mmb_backend *b = mmb_backend_find(name);
	struct mmb_backend_opts o = test_opts();
	static char buf[65536];
	long before;
	void *st, *base;
	size_t len;
	int rc, bad = 0;

	memset(buf, 1, sizeof(buf)); /* fault the buffer in beforehand */
	rc = bk_open(b, f->path, f->size, &o, &st);
	if (rc)
		return rc;
	base = b->mapping(st, &len);
	*present = pagemap_present(base, len);
	before = minor_faults();
	for (uint64_t off = 0; off < f->size; off += sizeof(buf))
		bad |= b->read(st, buf, sizeof(buf), off) <= 0;
	*faults = minor_faults() - before;
	b->close(st);
	fprintf(stderr,
		"%s: %ld of %ld pages present after open, %ld minor faults "
		"reading them all\n",
		name, *present, (long)(f->size / 4096), *faults);
	ASSERT(!bad);
	return 0;
}

static int populate_body(struct fx *f)
{
	long pages = (long)(f->size / 4096), present, faults, present4k,
	     faults4k, bound;
	int rc;

	/* The unpopulated 4 KiB mapping first: under ASan it also pays for
	 * the shadow pages, so the comparison below cannot flatter
	 * mmap-populate. */
	rc = faults_reading(f, "mmap-4k", &faults4k, &present4k);
	if (rc)
		return rc;
	rc = faults_reading(f, "mmap-populate", &faults, &present);
	if (rc)
		return rc;
	/* Under ASan every first look at a shadow page (1 per 8 pages of the
	 * mapping) faults too; that is the sanitizer, not the mapping. */
	bound = pages / 20;
#if defined(__SANITIZE_ADDRESS__)
	bound += pages / 8;
#endif
	ASSERT_EQ(present, pages);
	ASSERT_INT(faults, <, bound);
	/* Fault-around maps at most 512 pages per fault. */
	ASSERT_INT(present4k, <, pages);
	ASSERT_INT(faults4k, >=, faults + pages / 512);
	return 0;
}

TEST_IMPL(mmap_populate_resident)
{
	return fx_run(24 * MiB, populate_body);
}

/* ---- mmap-hugetlb: really run it when root can reserve the pages ------ */

#define NR_HUGE "/proc/sys/vm/nr_hugepages"

static int hugetlb_body(struct fx *f)
{
	const struct mmb_backend *b = mmb_backend_find("mmap-hugetlb");
	struct mmb_backend_opts o = test_opts();
	size_t hps = mmb_huge_page_size();
	long need, nr, got, huge_kb;
	char why[512] = "", flags[256] = "";
	void *st, *base;
	size_t len;
	int rc;

	if (hps == 0)
		SKIP("no huge pages on this kernel");
	need = (long)(mmb_align_up(f->size, hps) / hps);
	rc = b->open(f->path, f->size, &o, &st, why, sizeof(why));
	if (rc == 0) {
		b->close(st);
	} else {
		/* Whatever the pool, a skip must say what to do. */
		fprintf(stderr, "before reserving: %s\n", why);
		ASSERT_EQ(rc, MMB_ESKIP);
		ASSERT(strstr(why, "need ") && strstr(why, "nr_hugepages"));
	}

	nr = th_read_long(NR_HUGE);
	if (geteuid() != 0 || nr < 0)
		SKIP("not root: cannot reserve %ld huge pages (%s)", need, why);
	/* Reserve what this test needs on top of what is there, and give it
	 * back afterwards, however the test ends. */
	if (th_write_long(NR_HUGE, nr + need) < 0)
		SKIP("cannot write %s", NR_HUGE);
	got = th_read_long(NR_HUGE);
	if (got < nr + need) {
		th_write_long(NR_HUGE, nr);
		SKIP("kernel granted %ld of %ld huge pages (fragmented memory)",
		     got, nr + need);
	}
	rc = read_test(b, 0);
	if (rc == 0) {
		rc = bk_open(b, f->path, f->size, &o, &st);
		if (rc == 0) {
			char buf[4096];

			base = b->mapping(st, &len);
			b->read(st, buf, sizeof(buf), 0);
			huge_kb = smaps_field(base, "Shared_Hugetlb", flags,
					      sizeof(flags)) +
				  smaps_field(base, "Private_Hugetlb", NULL, 0);
			fprintf(stderr,
				"mmap-hugetlb: mapping %zu bytes, %ld kB in "
				"huge pages, KernelPageSize %ld kB, VmFlags:%s",
				len, huge_kb,
				smaps_field(base, "KernelPageSize", NULL, 0),
				flags);
			rc = len == (size_t)need * hps &&
				     huge_kb == (long)(len / 1024) &&
				     smaps_field(base, "KernelPageSize", NULL,
						 0) == (long)(hps / 1024) &&
				     strstr(flags, " ht")
				 ? 0
				 : 1;
			b->close(st);
		}
	}
	th_write_long(NR_HUGE, nr);
	return rc;
}

TEST_IMPL(mmap_hugetlb)
{
	return fx_run(24 * MiB + 1234, hugetlb_body);
}
