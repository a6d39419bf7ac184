/* SPDX-License-Identifier: MIT */
/* The verdict weighs I/O amplification and the cache state, on synthetic
 * results (no timing involved): its fields, not its words. */
#include <math.h>

#include "iostat.h"
#include "mmbench/backend.h"
#include "mmb/map.h"
#include "test.h"
#include "vtest.h"

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
	vt_run(&s->r, s->b, 2, "cold");
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
	const struct mmb_run_verdict *v = &s.r.verdict;
	const struct mmb_rv_note *n;

	/* The measurement of issue 9: 30k vs 14k ops/s, 13x the bytes. */
	synth(&s, 30000, 13.1);
	mmb__make_verdict(&s.r);
	vt_print(&s.r);
	ASSERT_EQ(v->decision, MMB_RV_FASTER);
	ASSERT(strcmp(v->winner.name, "mmap") == 0 && v->winner.index == 0);
	ASSERT(v->winner.mapped && !v->ref.mapped);
	/* pread is the runner-up: the reference, no separate pread clause */
	ASSERT(strcmp(v->runner_up.name, "pread") == 0);
	ASSERT_EQ(v->ref.index, 1);
	ASSERT_EQ(v->pread.index, -1);
	ASSERT_EQ(v->vs_pread.rule, MMB_RV_NO_RULE);
	ASSERT_EQ(v->vs_runner_up.rule, MMB_RV_SINGLE);
	ASSERT_NEAR(v->vs_runner_up.ratio, 30000.0 / 14000, 1e-9);
	ASSERT(v->faster_than_ref);
	ASSERT_NEAR(v->term[MMB_RV_T_READ_AMP].winner, 13.1, 1e-12);
	ASSERT_NEAR(v->term[MMB_RV_T_READ_AMP].ref, 0.96, 1e-12);
	n = mmb_verdict_note(v, MMB_RV_N_READ_AMP, "mmap");
	ASSERT(n);
	ASSERT_NEAR(n->value, 13.1, 1e-12);
	ASSERT_NEAR(n->other, 0.96, 1e-12);
	ASSERT(!mmb_verdict_note(v, MMB_RV_N_READ_AMP, "pread"));
	ASSERT(!mmb_verdict_note(v, MMB_RV_N_WRITE_AMP, NULL));
	ASSERT(mmb_verdict_note(v, MMB_RV_N_ADVICE_RANDOM, "mmap"));
	/* 6.65 pages per fault: fault-around, on the mapped backend only */
	n = mmb_verdict_note(v, MMB_RV_N_FAULT_AROUND, NULL);
	ASSERT(n && strcmp(n->backend, "mmap") == 0);

	/* Already random advice: no advice to try it. */
	s.r.advice = MMB_ADV_RANDOM;
	mmb__make_verdict(&s.r);
	ASSERT(mmb_verdict_note(v, MMB_RV_N_READ_AMP, "mmap"));
	ASSERT(!mmb_verdict_note(v, MMB_RV_N_ADVICE_RANDOM, NULL));

	/* A tie still names who read more. */
	synth(&s, 14100, 13.1);
	mmb__make_verdict(&s.r);
	ASSERT_EQ(v->decision, MMB_RV_TIE);
	ASSERT(!v->faster_than_ref);
	ASSERT(mmb_verdict_note(v, MMB_RV_N_READ_AMP, "mmap"));
	return 0;
}

TEST_IMPL(verdict_names_read_before_write)
{
	struct synth s;
	const struct mmb_run_verdict *v = &s.r.verdict;
	const struct mmb_rv_note *n;

	/* Write-only: mmap faster but read the file in to store into it. */
	synth(&s, 30000, NAN);
	for (int i = 0; i < 2; i++) {
		struct mmb_rep *m = &s.b[i].median;
		m->m[MMB_M_BYTES_READ] = 0;
		m->m[MMB_M_BYTES_WRITTEN] = 20 * 1048576.0;
		m->m[MMB_M_DEV_READ_BYTES] = i == 0 ? 256 * 1048576.0 : 0;
	}
	mmb__make_verdict(&s.r);
	vt_print(&s.r);
	n = mmb_verdict_note(v, MMB_RV_N_READ_BEFORE_WRITE, "mmap");
	ASSERT(n && n->value == 256 * 1048576.0 && n->other == 0);
	ASSERT_EQ(v->term[MMB_RV_T_BYTES_WRITTEN].winner, 20 * 1048576);
	ASSERT(!mmb_verdict_note(v, MMB_RV_N_READ_AMP, NULL));
	ASSERT(mmb_verdict_note(v, MMB_RV_N_ADVICE_RANDOM, "mmap"));
	/* Both read alike: nothing to say. */
	s.b[1].median.m[MMB_M_DEV_READ_BYTES] = 200 * 1048576.0;
	mmb__make_verdict(&s.r);
	ASSERT(!mmb_verdict_note(v, MMB_RV_N_READ_BEFORE_WRITE, NULL));
	ASSERT(!mmb_verdict_note(v, MMB_RV_N_ADVICE_RANDOM, NULL));
	return 0;
}

/* No amplification note of any kind. */
static bool no_amp(const struct mmb_run_verdict *v)
{
	return !mmb_verdict_note(v, MMB_RV_N_READ_AMP, NULL) &&
	       !mmb_verdict_note(v, MMB_RV_N_WRITE_AMP, NULL) &&
	       !mmb_verdict_note(v, MMB_RV_N_READ_BEFORE_WRITE, NULL) &&
	       !mmb_verdict_note(v, MMB_RV_N_ADVICE_RANDOM, NULL);
}

TEST_IMPL(verdict_quiet_without_amplification)
{
	struct synth s;
	const struct mmb_run_verdict *v = &s.r.verdict;

	/* Random advice: 0.97x vs 0.96x, nothing to say. */
	synth(&s, 30000, 0.97);
	mmb__make_verdict(&s.r);
	ASSERT_EQ(v->decision, MMB_RV_FASTER);
	ASSERT_EQ(v->vs_runner_up.rule, MMB_RV_SINGLE);
	ASSERT(v->vs_runner_up.reps[0] == 1 && v->vs_runner_up.reps[1] == 1);
	ASSERT(no_amp(v));
	/* 1.4x: more than pread's but below 1.5x requested. */
	synth(&s, 30000, 1.4);
	mmb__make_verdict(&s.r);
	ASSERT(no_amp(v));
	/* Unavailable counters (NAN) say nothing rather than guess. */
	synth(&s, 30000, NAN);
	mmb__make_verdict(&s.r);
	ASSERT(no_amp(v));
	ASSERT(isnan(v->term[MMB_RV_T_READ_AMP].winner));
	/* The slower backend amplifying is not the winner's excuse. */
	synth(&s, 10000, 13.1);
	mmb__make_verdict(&s.r);
	ASSERT_EQ(v->decision, MMB_RV_FASTER);
	ASSERT(strcmp(v->winner.name, "pread") == 0);
	ASSERT(strcmp(v->ref.name, "mmap") == 0);
	ASSERT_NEAR(v->vs_runner_up.ratio, 1.4, 1e-9);
	ASSERT(no_amp(v));
	return 0;
}

/* The cache-not-as-asked note is on backend `on` with value `want`, and
 * not on `off`. */
static int cache_note(const struct mmb_run_verdict *v, const char *on,
		      double want, const char *off)
{
	const struct mmb_rv_note *n =
	    mmb_verdict_note(v, MMB_RV_N_CACHE_NOT_AS_ASKED, on);

	ASSERT(n);
	ASSERT_NEAR(n->value, want, 1e-12);
	ASSERT(!mmb_verdict_note(v, MMB_RV_N_CACHE_NOT_AS_ASKED, off));
	return 0;
}

TEST_IMPL(verdict_cache_not_as_asked)
{
	struct synth s;
	const struct mmb_run_verdict *v = &s.r.verdict;

	synth(&s, 30000, 1.0);
	s.b[0].max.m[MMB_M_RESIDENT_BEFORE] = 0.35;
	mmb__make_verdict(&s.r);
	ASSERT(strcmp(v->cache, "cold") == 0);
	ASSERT_OK(cache_note(v, "mmap", 0.35, "pread"));

	/* Warm asked, a run found 60% cached. */
	synth(&s, 30000, 0.0);
	snprintf(s.r.cache, sizeof(s.r.cache), "warm");
	for (int i = 0; i < 2; i++)
		s.b[i].min.m[MMB_M_RESIDENT_BEFORE] = 1.0;
	s.b[1].min.m[MMB_M_RESIDENT_BEFORE] = 0.6;
	mmb__make_verdict(&s.r);
	ASSERT(strcmp(v->cache, "warm") == 0);
	ASSERT_OK(cache_note(v, "pread", 0.6, "mmap"));

	/* As asked: silent. */
	s.b[1].min.m[MMB_M_RESIDENT_BEFORE] = 0.995;
	mmb__make_verdict(&s.r);
	ASSERT(!mmb_verdict_note(v, MMB_RV_N_CACHE_NOT_AS_ASKED, NULL));
	return 0;
}
