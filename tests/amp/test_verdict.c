/* The verdict weighs I/O amplification and the cache state, on synthetic
 * results (no timing involved). */
#include <math.h>

#include "iostat.h"
#include "mmbench/backend.h"
#include "mmb/map.h"
#include "test.h"

static char vt[MMB_VERDICT_TEXT];
#define VTEXT(r) mmb_verdict_text(&(r)->verdict, vt, sizeof(vt))

struct synth {
	struct mmb_run_result r;
	struct mmb_backend_result b[2];
	struct mmb_rep reps[2];
};

/* mmap at mmap_ops ops/s reading mmap_amp x the requested bytes, pread at
 * 14k ops/s reading 0.96x, cold cache fully dropped. */
static void synth(struct synth *s, double mmap_ops, double mmap_amp)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->r.workload, sizeof(s->r.workload), "random-4k");
	snprintf(s->r.cache, sizeof(s->r.cache), "cold");
	s->r.advice = -1;
	s->r.nbackends = 2;
	s->r.b = s->b;
	const char *names[2] = {"mmap", "pread"};
	double ops[2] = {mmap_ops, 14000}, amp[2] = {mmap_amp, 0.96};
	for (int i = 0; i < 2; i++) {
		struct mmb_backend_result *b = &s->b[i];
		double *m = s->reps[i].m;
		snprintf(b->name, sizeof(b->name), "%s", names[i]);
		b->caps = MMB_CAP_READ | (i == 0 ? MMB_CAP_MAPPED : 0);
		b->nreps = 1;
		b->reps = &s->reps[i];
		m[MMB_M_OPS] = 20000;
		m[MMB_M_BYTES_READ] = 20000.0 * 4096;
		m[MMB_M_ITEMS_PER_SECOND] = ops[i];
		m[MMB_M_ELAPSED_NS] = 20000 / ops[i] * 1e9;
		m[MMB_M_SYS_NS] = 1e8;
		m[MMB_M_DEV_READ_BYTES] = amp[i] * m[MMB_M_BYTES_READ];
		m[MMB_M_READ_AMP] = amp[i];
		m[MMB_M_WRITE_AMP] = NAN;
		m[MMB_M_FAULTS] = i == 0 ? 3000 : 0;
		m[MMB_M_PAGES_TOUCHED] = 19950;
		m[MMB_M_PAGES_PER_FAULT] = i == 0 ? 6.65 : 0;
		b->mean = b->median = b->min = b->max = s->reps[i];
	}
}

TEST_IMPL(verdict_names_amplification)
{
	struct synth s;

	/* The measurement of issue 9: 30k vs 14k ops/s, 13x the bytes. */
	synth(&s, 30000, 13.1);
	mmb__make_verdict(&s.r);
	fprintf(stderr, "verdict: %s\n", VTEXT(&s.r));
	ASSERT(strstr(VTEXT(&s.r), "mmap is 2.1x faster than pread"));
	ASSERT(strstr(VTEXT(&s.r), "but it read 13x the requested bytes "
				   "from the device"));
	ASSERT(strstr(VTEXT(&s.r), "pread: 0.96x"));
	ASSERT(strstr(VTEXT(&s.r), "readahead"));
	ASSERT(strstr(VTEXT(&s.r), "try --advice random"));
	/* Said before the per-op counters, so it is never cut off. */
	ASSERT(strstr(VTEXT(&s.r), "requested bytes") <
	       strstr(VTEXT(&s.r), "us/op system time"));

	/* Already random advice: no advice to try it. */
	s.r.advice = MMB_ADV_RANDOM;
	mmb__make_verdict(&s.r);
	ASSERT(strstr(VTEXT(&s.r), "13x the requested bytes"));
	ASSERT(!strstr(VTEXT(&s.r), "try --advice random"));

	/* A tie still names who read more. */
	synth(&s, 14100, 13.1);
	mmb__make_verdict(&s.r);
	ASSERT(strstr(VTEXT(&s.r), "within 5%"));
	ASSERT(strstr(VTEXT(&s.r), "mmap read 13x the requested bytes"));
	return 0;
}

TEST_IMPL(verdict_names_read_before_write)
{
	struct synth s;

	/* Write-only: mmap faster but read the file in to store into it. */
	synth(&s, 30000, NAN);
	for (int i = 0; i < 2; i++) {
		struct mmb_rep *m = &s.b[i].median;
		m->m[MMB_M_BYTES_READ] = 0;
		m->m[MMB_M_BYTES_WRITTEN] = 20 * 1048576.0;
		m->m[MMB_M_DEV_READ_BYTES] = i == 0 ? 256 * 1048576.0 : 0;
	}
	mmb__make_verdict(&s.r);
	fprintf(stderr, "verdict: %s\n", VTEXT(&s.r));
	ASSERT(strstr(VTEXT(&s.r), "but it made the device read 256.0 MiB "
				   "to write 20.0 MiB"));
	ASSERT(strstr(VTEXT(&s.r), "try --advice random"));
	/* Both read alike: nothing to say. */
	s.b[1].median.m[MMB_M_DEV_READ_BYTES] = 200 * 1048576.0;
	mmb__make_verdict(&s.r);
	ASSERT(!strstr(VTEXT(&s.r), "made the device read"));
	return 0;
}

TEST_IMPL(verdict_quiet_without_amplification)
{
	struct synth s;

	/* Random advice: 0.97x vs 0.96x, nothing to say. */
	synth(&s, 30000, 0.97);
	mmb__make_verdict(&s.r);
	ASSERT(strstr(VTEXT(&s.r), "mmap is 2.1x faster than pread (1 rep "
				   "each: noise unknown): "));
	ASSERT(!strstr(VTEXT(&s.r), "requested bytes"));
	/* 1.4x: more than pread's but below 1.5x requested. */
	synth(&s, 30000, 1.4);
	mmb__make_verdict(&s.r);
	ASSERT(!strstr(VTEXT(&s.r), "requested bytes"));
	/* Unavailable counters (NAN) say nothing rather than guess. */
	synth(&s, 30000, NAN);
	mmb__make_verdict(&s.r);
	ASSERT(!strstr(VTEXT(&s.r), "requested bytes"));
	ASSERT(!strstr(VTEXT(&s.r), "nan"));
	/* The slower backend amplifying is not the winner's excuse. */
	synth(&s, 10000, 13.1);
	mmb__make_verdict(&s.r);
	ASSERT(strstr(VTEXT(&s.r), "pread is 1.4x faster than mmap"));
	ASSERT(!strstr(VTEXT(&s.r), "requested bytes"));
	return 0;
}

TEST_IMPL(verdict_cache_not_as_asked)
{
	struct synth s;

	synth(&s, 30000, 1.0);
	s.b[0].max.m[MMB_M_RESIDENT_BEFORE] = 0.35;
	mmb__make_verdict(&s.r);
	ASSERT(strstr(VTEXT(&s.r), "the page cache was not cold for mmap: "
				   "35.0% of the file was cached"));
	ASSERT(!strstr(VTEXT(&s.r), "not cold for pread"));

	/* Warm asked, a run found 60% cached. */
	synth(&s, 30000, 0.0);
	snprintf(s.r.cache, sizeof(s.r.cache), "warm");
	for (int i = 0; i < 2; i++)
		s.b[i].min.m[MMB_M_RESIDENT_BEFORE] = 1.0;
	s.b[1].min.m[MMB_M_RESIDENT_BEFORE] = 0.6;
	mmb__make_verdict(&s.r);
	ASSERT(strstr(VTEXT(&s.r), "not warm for pread: 60.0%"));
	ASSERT(!strstr(VTEXT(&s.r), "not warm for mmap"));

	/* As asked: silent. */
	s.b[1].min.m[MMB_M_RESIDENT_BEFORE] = 0.995;
	mmb__make_verdict(&s.r);
	ASSERT(!strstr(VTEXT(&s.r), "page cache was not"));
	return 0;
}
