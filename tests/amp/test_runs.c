/* SPDX-License-Identifier: MIT */
/* Real runs through the runner on a 64 MiB file, much larger than the
 * readahead window: relations between the bytes asked for and the bytes
 * the device read, never times. Cold-cache runs need root (drop_caches)
 * and a file on a block device with task I/O accounting; else skip. */
#include <math.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "iostat.h"
#include "mmb/map.h"
#include "mmbench/workload.h"
#include "test.h"
#include "testutil.h"

#define MiB	  (1024ull * 1024)
#define FILE_SIZE (64 * MiB)
#define OPS	  2000 /* 8 MiB requested: 1/8 of the file */

static char rdir[64], rpath[128];

static void rcleanup(void)
{
	th_rmtree(rdir);
	rdir[0] = 0;
}

/* Why this machine cannot measure device bytes for a file in dir, or
 * NULL. */
static const char *cannot_measure(const char *dir, bool cold)
{
	static char why[160];
	struct mmb__procio p;
	char disk[32];
	struct stat st;

	if (mmb__procio_read("/proc/self/io", &p) < 0)
		return "no /proc/self/io (kernel without task I/O accounting)";
	if (stat(dir, &st) < 0 ||
	    mmb__blkdev_disk("/sys", major(st.st_dev), minor(st.st_dev), disk,
			     sizeof(disk)) < 0) {
		snprintf(why, sizeof(why),
			 "%s is not on a block device (tmpfs, overlayfs?)",
			 dir);
		return why;
	}
	if (cold && geteuid() != 0)
		return "not root: cannot drop the page cache (drop_caches)";
	return NULL;
}

static int setup(void)
{
	bool created;
	const char *base = getenv("MMBENCH_DATA_DIR");

	snprintf(rdir, sizeof(rdir), "%s/mmb-amp-XXXXXX",
		 base && *base ? base : "/var/tmp");
	if (!mkdtemp(rdir))
		return -1;
	atexit(rcleanup);
	snprintf(rpath, sizeof(rpath), "%s/data", rdir);
	return mmb_testfile_prepare(rpath, FILE_SIZE, NULL, &created, NULL);
}

/* One cold (or warm) run of backend with advice; *out owned by caller. */
static int run(const char *backend, int advice, enum mmb_cache cache,
	       struct mmb_run_result **out)
{
	const struct mmb_backend *b[1] = {mmb_backend_find(backend)};
	struct mmb_run_opts o = {
	    .workload = mmb_workload_find("random-4k"),
	    .wl = {.file_size = FILE_SIZE, .ops = OPS, .seed = 9, .threads = 1},
	    .path = rpath,
	    .backends = b,
	    .nbackends = 1,
	    .bopts = {.advice = advice},
	    .cache = cache,
	    .reps = 1,
	};
	if (!b[0] || mmb_workload_resolve(o.workload, &o.wl) < 0)
		return -1;
	return mmb_run(&o, out);
}

/* Run and return the read amplification, or a negative value: -77 when
 * the cold cache could not be had, -1 on failure. */
static double cold_amp(const char *backend, int advice)
{
	struct mmb_run_result *r = NULL;
	double amp;

	if (setup() < 0 || run(backend, advice, MMB_CACHE_COLD, &r) < 0)
		return -1;
	const struct mmb_backend_result *b = &r->b[0];
	if (b->status != 0) {
		fprintf(stderr, "%s: %s\n", backend, b->message);
		amp = b->status == MMB_ESKIP ? -77 : -1;
		goto out;
	}
	const double *m = b->reps[0].m;
	if (m[MMB_M_RESIDENT_BEFORE] > 0.01) {
		fprintf(stderr, "cold cache not reached: %.1f%% resident\n",
			m[MMB_M_RESIDENT_BEFORE] * 100);
		amp = -77;
		goto out;
	}
	amp = m[MMB_M_READ_AMP];
	fprintf(stderr,
		"%s advice %d: requested %.0f, device read %.0f (%.2fx), "
		"whole disk read %.0f\n",
		backend, advice, m[MMB_M_BYTES_READ], m[MMB_M_DEV_READ_BYTES],
		amp, m[MMB_M_DISK_READ_BYTES]);
	/* The counters exist here (cannot_measure said so) and the context
	 * names the disk they come from. */
	if (isnan(amp) || strcmp(r->env.block_device, "unavailable") == 0 ||
	    r->env.read_ahead_kb < 0 || r->env.fs_block_size == 0) {
		amp = -1;
		goto out;
	}
	/* The whole disk saw at least what this process asked of it (more
	 * when others use it; a little less while readahead is in flight). */
	if (!(m[MMB_M_DISK_READ_BYTES] >= 0.5 * m[MMB_M_DEV_READ_BYTES]))
		amp = -1;
out:
	mmb_run_result_free(r);
	return amp;
}

#define COLD_AMP(var, backend, advice)                                      \
	do {                                                                \
		const char *why_ = cannot_measure(                          \
		    getenv("MMBENCH_DATA_DIR") ? getenv("MMBENCH_DATA_DIR") \
					       : "/var/tmp",                \
		    true);                                                  \
		if (why_)                                                   \
			SKIP("%s", why_);                                   \
		var = cold_amp(backend, advice);                            \
		if (var == -77)                                             \
			SKIP("cold cache not available for %s", backend);   \
		ASSERT(var >= 0);                                           \
	} while (0)

TEST_IMPL(cold_mmap_normal_amplifies)
{
	double amp;

	/* Default advice: readahead around every fault, fault-around. */
	COLD_AMP(amp, "mmap", MMB_ADV_NORMAL);
	ASSERT(amp > 2);
	return 0;
}

TEST_IMPL(cold_mmap_random_near_one)
{
	double amp;

	/* MADV_RANDOM: each fault reads its page (or its folio). */
	COLD_AMP(amp, "mmap", MMB_ADV_RANDOM);
	ASSERT(amp > 0.5 && amp < 1.5);
	return 0;
}

TEST_IMPL(cold_pread_direct_near_one)
{
	double amp;

	/* O_DIRECT reads exactly what is asked (plus the odd extent block). */
	COLD_AMP(amp, "pread-direct", -1);
	ASSERT(amp > 0.9 && amp < 1.5);
	return 0;
}

TEST_IMPL(warm_reads_nothing_from_device)
{
	const char *why = cannot_measure(getenv("MMBENCH_DATA_DIR")
					     ? getenv("MMBENCH_DATA_DIR")
					     : "/var/tmp",
					 false);
	const char *names[] = {"pread", "mmap"};
	struct mmb_run_result *r;

	if (why)
		SKIP("%s", why);
	ASSERT_OK(setup());
	for (int i = 0; i < 2; i++) {
		ASSERT_OK(run(names[i], -1, MMB_CACHE_WARM, &r));
		const struct mmb_backend_result *b = &r->b[0];
		int st = b->status;
		double rd = st == 0 ? b->reps[0].m[MMB_M_BYTES_READ] : 0;
		double dev = st == 0 ? b->reps[0].m[MMB_M_DEV_READ_BYTES] : 0;
		double res = st == 0 ? b->reps[0].m[MMB_M_RESIDENT_BEFORE] : 0;
		double amp = st == 0 ? b->reps[0].m[MMB_M_READ_AMP] : 0;
		mmb_run_result_free(r);
		ASSERT_EQ(st, 0);
		fprintf(stderr, "%s warm: requested %.0f, device read %.0f\n",
			names[i], rd, dev);
		ASSERT(res > 0.99);
		ASSERT_EQ(rd, OPS * 4096);
		ASSERT(dev >= 0 && dev < 0.01 * rd);
		ASSERT(amp >= 0 && amp < 0.01);
	}
	return 0;
}
