/* SPDX-License-Identifier: MIT */
/* test_access.c - --access in the library: the consumer against a plain
 * byte-by-byte reference whatever pieces it is given, mmb_backend_check on
 * the view hook, and every backend x every mode on the same ops of a
 * 16 MiB test file: the same checksum as the pattern says, bytes_consumed
 * and ops_viewed as each path must give. */
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "consume.h"
#include "mmbench/workload.h"
#include "test.h"

#define MiB (1024ull * 1024)

/* The inplace checksum by definition: little-endian 64-bit words of the
 * op, the last one zero-padded. */
static uint64_t ref_sum(const unsigned char *b, size_t len)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < len; i += 8) {
		uint64_t w = 0;
		for (size_t k = 0; k < 8 && i + k < len; k++)
			w |= (uint64_t)b[i + k] << (8 * k);
		sum += w;
	}
	return sum;
}

/* fn (a consumer: mmb__consume_all or one level's) gives the reference's
 * sum over lengths around every vector width and step, at unaligned
 * starts, whole and cut into pieces at odd places. */
static int check_consumer(mmb_view_fn fn)
{
	size_t n = 70000;
	unsigned char *b = malloc(n + 64);
	ASSERT(b);
	for (size_t i = 0; i < n + 64; i++)
		b[i] = (unsigned char)(i * 2654435761u >> 13);
	static const size_t lens[] = {0,    1,	  7,	8,    9,     31,   63,
				      64,   65,	  127,	128,  129,   191,  255,
				      256,  257,  319,	383,  384,   447,  511,
				      512,  513,  767,	768,  1023,  1024, 1025,
				      4032, 4095, 4096, 4097, 65536, 69999};
	for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++)
		for (size_t start = 0; start < 9; start += 3) {
			size_t len = lens[li];
			const unsigned char *p = b + start;
			uint64_t want = ref_sum(p, len);
			struct mmb__consumer c = {0};
			fn((void *)p, len, &c);
			mmb__consume_end(&c);
			ASSERT(c.sum == want);
			ASSERT_EQ(c.loaded, len);
			for (size_t cut = 1; cut < 300 && cut < len;
			     cut += 37) {
				struct mmb__consumer d = {0};
				size_t q = 0;
				while (q < len) {
					size_t k =
					    len - q < cut ? len - q : cut;
					fn((void *)(p + q), k, &d);
					q += k;
				}
				mmb__consume_end(&d);
				ASSERT(d.sum == want);
				ASSERT_EQ(d.loaded, len);
			}
		}
	free(b);
	return 0;
}

TEST_IMPL(consume_pieces)
{
	ASSERT_EQ(check_consumer(mmb__consume_all), 0);
	/* touch: one word (fewer bytes for a shorter op) */
	unsigned char b[4096];
	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (unsigned char)(i * 2654435761u >> 13);
	struct mmb__consumer c = {0};
	mmb__consume_word(b, 4096, &c);
	ASSERT_EQ(c.loaded, 8);
	ASSERT(c.sum == ref_sum(b, 8));
	mmb__consume_word(b, 3, &c);
	ASSERT_EQ(c.loaded, 11);
	return 0;
}

/* Every vector width this CPU runs gives the same sums, and the one
 * chosen is the widest of them. */
TEST_IMPL(consume_levels)
{
	mmb_view_fn widest = NULL;
	int ran = 0;

	ASSERT(mmb__consume_kernel(0) != NULL);
	ASSERT(mmb__consume_kernel(MMB__CONSUME_LEVELS) == NULL);
	ASSERT(mmb__consume_kernel(-1) == NULL);
	for (int lv = 0; lv < MMB__CONSUME_LEVELS; lv++) {
		mmb_view_fn fn = mmb__consume_kernel(lv);
		if (!fn)
			continue;
		ASSERT_EQ(check_consumer(fn), 0);
		widest = fn;
		ran++;
	}
	ASSERT(ran >= 1);
	ASSERT(mmb__consume_best() == widest);
	return 0;
}

static int64_t dummy_read(void *t, void *b, size_t l, uint64_t o)
{
	(void)t, (void)b, (void)o;
	return (int64_t)l;
}
static int64_t dummy_view(void *t, size_t l, uint64_t o, mmb_view_fn fn,
			  void *a)
{
	(void)t, (void)o, (void)fn, (void)a;
	return (int64_t)l;
}
static int dummy_open(const char *p, uint64_t s,
		      const struct mmb_backend_opts *o, void **st, char *w,
		      size_t n)
{
	(void)p, (void)s, (void)o, (void)st, (void)w, (void)n;
	return 0;
}
static void dummy_close(void *s)
{
	(void)s;
}

TEST_IMPL(backend_check_view)
{
	char why[256];
	struct mmb_backend ok = {.name = "x",
				 .help = "h",
				 .caps = MMB_CAP_READ | MMB_CAP_VIEW,
				 .open = dummy_open,
				 .read = dummy_read,
				 .view = dummy_view,
				 .close = dummy_close},
			   b;
	ASSERT_OK(mmb_backend_check(&ok, why, sizeof(why)));
	b = ok, b.view = NULL;
	ASSERT_EQ(mmb_backend_check(&b, why, sizeof(why)), MMB_EINVAL);
	ASSERT(strstr(why, "MMB_CAP_VIEW without a view hook"));
	b = ok, b.caps = MMB_CAP_READ;
	ASSERT_EQ(mmb_backend_check(&b, why, sizeof(why)), MMB_EINVAL);
	ASSERT(strstr(why, "a view hook without MMB_CAP_VIEW"));
	b = ok, b.caps = MMB_CAP_WRITE | MMB_CAP_VIEW, b.read = NULL,
	b.write = (int64_t(*)(void *, const void *, size_t, uint64_t))1;
	ASSERT_EQ(mmb_backend_check(&b, why, sizeof(why)), MMB_EINVAL);
	ASSERT(strstr(why, "MMB_CAP_VIEW without MMB_CAP_READ"));
	/* Every registered mapped backend serves views; no fd one does. */
	for (size_t i = 0; mmb_backends[i]; i++) {
		const struct mmb_backend *r = mmb_backends[i];
		ASSERT_OK(mmb_backend_check(r, why, sizeof(why)));
		if (r->caps & MMB_CAP_READ)
			ASSERT_EQ(!!(r->caps & MMB_CAP_VIEW),
				  !!(r->caps & MMB_CAP_MAPPED));
	}
	ASSERT(mmb_access_mode_parse("inplace") == MMB_AM_INPLACE);
	ASSERT(mmb_access_mode_parse("bogus") == -1);
	ASSERT(strcmp(mmb_access_mode_name(MMB_AM_TOUCH), "touch") == 0);
	ASSERT(mmb_access_mode_name(MMB_AM__COUNT) == NULL);
	return 0;
}

/* ---- every backend x every mode ----------------------------------------- */

static char dir[64], path[128];

static int rm_one(const char *p, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(p);
}

static void cleanup(void)
{
	if (dir[0])
		nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	dir[0] = 0;
}

static int setup(void)
{
	bool created;
	snprintf(dir, sizeof(dir), "/tmp/mmb-access-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/data", dir);
	return mmb_testfile_prepare(path, 16 * MiB, NULL, &created, NULL);
}

/* What each mode's checksum must be on o's ops, from the pattern. */
static uint64_t expected(const struct mmb_run_opts *o, enum mmb_access_mode am)
{
	struct mmb_op *ops;
	uint64_t sum = 0;
	unsigned char *buf = malloc(o->wl.block_size + 8);

	if (!buf || mmb_workload_generate(o->workload, &o->wl, &ops) < 0)
		abort();
	for (uint64_t k = 0; k < o->wl.ops; k++) {
		size_t len = ops[k].len, n = am == MMB_AM_INPLACE ? len : 8;
		mmb_pattern_fill(buf, ops[k].off, n < len ? n : len);
		sum += ref_sum(buf, n < len ? n : len);
	}
	free(ops);
	free(buf);
	return sum;
}

static double xmetric(const struct mmb_backend_result *br, const char *name)
{
	for (unsigned k = 0; k < br->nx; k++)
		if (strcmp(br->xdef[k].name, name) == 0)
			return br->reps[0].x[k];
	return -1;
}

/* All read backends in every mode on workload wl with block size bs;
 * mmap-window with a 64 KiB window so ops cross its boundaries. */
static int all_modes(const char *wl, uint64_t bs, bool touch_counts)
{
	const struct mmb_backend *b[32];
	unsigned nb = 0, mapped_ran = 0;

	for (size_t i = 0; mmb_backends[i] && nb < 32; i++)
		if (mmb_backends[i]->caps & MMB_CAP_READ)
			b[nb++] = mmb_backends[i];
	if (setup() < 0) {
		cleanup();
		SKIP("cannot make a test file in /tmp");
	}
	for (int am = 0; am < MMB_AM__COUNT; am++) {
		struct mmb_run_opts o = {
		    .workload = mmb_workload_find(wl),
		    .wl = {.file_size = 16 * MiB,
			   .block_size = strcmp(wl, "random") == 0 ? bs : 0,
			   .ops = 2000,
			   .seed = 11,
			   .threads = 1},
		    .path = path,
		    .backends = b,
		    .nbackends = nb,
		    .bopts = {.advice = -1,
			      .window_size = 64 * 1024,
			      .access = (enum mmb_access_mode)am},
		    .cache = MMB_CACHE_WARM,
		    .reps = 1,
		};
		struct mmb_run_result *r = NULL;
		ASSERT(o.workload);
		ASSERT_OK(mmb_workload_resolve(o.workload, &o.wl));
		uint64_t want = expected(&o, (enum mmb_access_mode)am);
		ASSERT_OK(mmb_run(&o, &r));
		for (unsigned i = 0; i < r->nbackends; i++) {
			const struct mmb_backend_result *br = &r->b[i];
			bool view = (br->caps & MMB_CAP_VIEW) != 0;
			fprintf(stderr,
				"%-8s %-15s status %d checksum %016llx "
				"(want %016llx) %s\n",
				mmb_access_mode_name((enum mmb_access_mode)am),
				br->name, br->status,
				(unsigned long long)br->median.checksum,
				(unsigned long long)want, br->message);
			/* Not here (hugetlb without huge pages), or
			 * O_DIRECT refusing unaligned ops. */
			if (br->status == MMB_ESKIP ||
			    (strcmp(br->name, "pread-direct") == 0 &&
			     br->status < 0 && bs % 4096))
				continue;
			ASSERT_EQ(br->status, 0);
			ASSERT(br->median.checksum == want);
			mapped_ran += view;
			double ops = br->reps[0].m[MMB_M_OPS];
			ASSERT_EQ(ops, 2000);
			if (am == MMB_AM_COPY) {
				ASSERT(xmetric(br, "bytes_consumed") < 0);
				continue;
			}
			ASSERT_EQ(xmetric(br, "ops_viewed"), view ? ops : 0);
			double per_op =
			    am == MMB_AM_TOUCH && view ? 8 : (double)bs;
			if (touch_counts || am != MMB_AM_TOUCH)
				ASSERT_EQ(xmetric(br, "bytes_consumed"),
					  per_op * ops);
			/* Bytes read stay the op's: MB/s is comparable. */
			ASSERT_EQ(br->reps[0].m[MMB_M_BYTES_READ], bs * ops);
		}
		mmb_run_result_free(r);
	}
	cleanup();
	ASSERT(mapped_ran >= 3 * 3); /* mmap, mmap-4k, mmap-window... */
	return 0;
}

TEST_IMPL(checksums_agree_4k)
{
	return all_modes("random-4k", 4096, true);
}

/* 3000-byte ops: offsets not 8-aligned, partial last words, and ops that
 * straddle mmap-window's 64 KiB windows (the consumer gets two pieces). */
TEST_IMPL(checksums_agree_odd)
{
	return all_modes("random", 3000, true);
}

/* touch through a view loads one word per op; a read still copies the
 * whole op. Checked on 64 KiB ops, where the difference is 8192x. */
TEST_IMPL(touch_one_word)
{
	return all_modes("random", 65536, true);
}
