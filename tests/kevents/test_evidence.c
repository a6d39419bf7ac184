/* SPDX-License-Identifier: MIT */
/* Where the kernel events are counted (mmbench/kevents.h, issue 13): by
 * default in one evidence repetition after the measured ones, never in
 * the statistics; with --kernel-events inline in every measured one. The
 * bookkeeping is checked (which repetition holds what, what the
 * aggregates and the writers say), never a time. */
#include <math.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "mmbench/kevents.h"
#include "mmbench/result.h"
#include "mmbench/workload.h"
#include "fixture.h"
#include "runopts.h"
#include "test.h"

#define OPS 20000u

static struct mmb_run_opts opts(const char *backend, unsigned reps,
				const struct mmb_backend **b)
{
	b[0] = mmb_backend_find(backend);
	struct mmb_run_opts o =
	    th_run_opts("random-4k", kev_path, 16 * MiB, OPS, 5, b, 1);
	o.reps = reps;
	o.warmup = true;
	return o;
}

/* Why tracepoint values cannot be judged here, or NULL. */
static const char *no_counts(const struct mmb_kevents *k)
{
	static char why[MMB_KEV_WHY + 32];

	if (!isnan(k->v[MMB_KEV_PF_USER]))
		return NULL;
	snprintf(why, sizeof(why), "no tracepoints: %s",
		 k->why[MMB_KEV_PF_USER]);
	return why;
}

static bool same_kev(const struct mmb_kevents *a, const struct mmb_kevents *b)
{
	for (unsigned k = 0; k < MMB_KEV__COUNT; k++)
		if (!(a->v[k] == b->v[k] || (isnan(a->v[k]) && isnan(b->v[k]))))
			return false;
	return true;
}

/* The default: the measured repetitions count nothing (NAN, saying
 * where the events are), the evidence repetition ran the same ops (same
 * count, same checksum) and its events are the aggregates'; the
 * statistics and the latency histogram hold the measured reps only. */
TEST_IMPL(kevents_separate_is_default)
{
	const struct mmb_backend *b[1];
	struct mmb_run_result *r;
	char json[160];
	char *text;
	size_t len;

	ASSERT_OK(kev_setup(16 * MiB));
	struct mmb_run_opts o = opts("mmap", 3, b);
	ASSERT_EQ(mmb_kevents_mode(), MMB_KEV_MODE_SEPARATE);
	ASSERT_OK(th_run_resolved(&o, &r));
	const struct mmb_backend_result *br = &r->b[0];
	ASSERT_EQ(br->status, 0);
	ASSERT_EQ(br->nreps, 3);
	ASSERT(br->has_evidence);
	for (unsigned i = 0; i < br->nreps; i++) {
		const struct mmb_rep *rep = &br->reps[i];
		ASSERT(!rep->kev.counted);
		for (unsigned k = 0; k < MMB_KEV__COUNT; k++) {
			ASSERT(isnan(rep->kev.v[k]));
			ASSERT(strstr(rep->kev.why[k], "evidence repetition"));
		}
		ASSERT_EQ(rep->m[MMB_M_OPS], br->evidence.m[MMB_M_OPS]);
		ASSERT_EQ(rep->checksum, br->evidence.checksum);
	}
	ASSERT(br->evidence.m[MMB_M_ITEMS_PER_SECOND] > 0);
	ASSERT(!br->evidence.interrupted);
	/* 3 measured reps of OPS ops, one op in br->lat_every timed in each
	 * run of that many: the evidence rep's are not in the histogram. */
	ASSERT(br->lat_every >= 1);
	ASSERT(br->hist->count <= 3 * (OPS / br->lat_every + 1));
	ASSERT(br->hist->count >= 3 * (OPS / br->lat_every));
	const char *skip = no_counts(&br->evidence.kev);
	if (!skip) {
		ASSERT(br->evidence.kev.counted);
		ASSERT(same_kev(&br->median.kev, &br->evidence.kev));
		ASSERT(same_kev(&br->mean.kev, &br->evidence.kev));
		/* a fresh mapping per repetition: the evidence run faults */
		ASSERT(br->evidence.kev.v[MMB_KEV_PF_USER] > 0);
		/* one repetition has no spread, and says so */
		ASSERT(isnan(br->stddev.kev.v[MMB_KEV_PF_USER]));
		ASSERT(strstr(br->stddev.kev.why[MMB_KEV_PF_USER],
			      "one repetition"));
	}
	snprintf(json, sizeof(json), "%s/r.json", kev_dir);
	ASSERT_OK(mmb_report_json(r, json));
	ASSERT_OK(mmb_read_file(json, &text, &len));
	ASSERT(strstr(text, skip ? "\"kernel_events_source\": \"none\""
				 : "\"kernel_events_source\": "
				   "\"evidence_repetition\""));
	ASSERT(strstr(text, "\"evidence_repetition\": {"));
	ASSERT(strstr(text, "\"items_per_second_vs_median\": "));
	free(text);
	mmb_run_result_free(r);
	kev_cleanup();
	if (skip)
		SKIP("%s", skip);
	return 0;
}

/* --kernel-events inline: each measured repetition counts its own, and
 * there is no evidence repetition. */
TEST_IMPL(kevents_inline_counts_every_rep)
{
	const struct mmb_backend *b[1];
	struct mmb_run_result *r;

	ASSERT_OK(kev_setup(16 * MiB));
	struct mmb_run_opts o = opts("mmap", 2, b);
	ASSERT_OK(th_run_resolved_in(&o, &r, MMB_KEV_MODE_INLINE));
	const struct mmb_backend_result *br = &r->b[0];
	ASSERT_EQ(br->status, 0);
	ASSERT_EQ(br->nreps, 2);
	ASSERT(!br->has_evidence);
	const char *skip = no_counts(&br->reps[0].kev);
	if (!skip) {
		for (unsigned i = 0; i < br->nreps; i++) {
			ASSERT(br->reps[i].kev.counted);
			ASSERT(br->reps[i].kev.v[MMB_KEV_PF_USER] > 0);
		}
		ASSERT_EQ(br->min.kev.v[MMB_KEV_PF_USER],
			  fmin(br->reps[0].kev.v[MMB_KEV_PF_USER],
			       br->reps[1].kev.v[MMB_KEV_PF_USER]));
	}
	mmb_run_result_free(r);
	kev_cleanup();
	if (skip)
		SKIP("%s", skip);
	return 0;
}

/* --reps 1 --no-warmup still gives kernel events (from its evidence
 * repetition), and the one measured repetition is the statistics. */
TEST_IMPL(kevents_one_rep_no_warmup_has_events)
{
	const struct mmb_backend *b[1];
	struct mmb_run_result *r;

	ASSERT_OK(kev_setup(16 * MiB));
	struct mmb_run_opts o = opts("pread", 1, b);
	o.warmup = false;
	ASSERT_OK(th_run_resolved(&o, &r));
	const struct mmb_backend_result *br = &r->b[0];
	ASSERT_EQ(br->status, 0);
	ASSERT_EQ(br->nreps, 1);
	ASSERT(br->has_evidence);
	ASSERT_EQ(br->median.m[MMB_M_ITEMS_PER_SECOND],
		  br->reps[0].m[MMB_M_ITEMS_PER_SECOND]);
	const char *skip = no_counts(&br->evidence.kev);
	if (!skip) {
		ASSERT(br->median.kev.counted);
		/* a warm pread run: no fault from user mode on the file */
		ASSERT(!isnan(br->median.kev.v[MMB_KEV_PC_ADD]));
	}
	mmb_run_result_free(r);
	kev_cleanup();
	if (skip)
		SKIP("%s", skip);
	return 0;
}

/* Ctrl-C during the evidence repetition (the progress hook, called with
 * rep == reps before it, asks for the stop): the measured results stand,
 * the evidence is dropped, and the events say why there are none. */
static volatile sig_atomic_t stop_now;
static int evidence_calls;

static void stop_at_evidence(void *ctx, const char *backend, int rep,
			     unsigned reps)
{
	(void)ctx;
	(void)backend;
	if (rep == (int)reps) {
		evidence_calls++;
		stop_now = 1;
	}
}

TEST_IMPL(kevents_evidence_interrupted_measured_stand)
{
	const struct mmb_backend *b[1];
	struct mmb_run_result *r;

	ASSERT_OK(kev_setup(16 * MiB));
	struct mmb_run_opts o = opts("pread", 2, b);
	o.progress = stop_at_evidence;
	o.stop = &stop_now;
	stop_now = 0;
	evidence_calls = 0;
	ASSERT_OK(th_run_resolved(&o, &r));
	const struct mmb_backend_result *br = &r->b[0];
	ASSERT_EQ(evidence_calls, 1);
	ASSERT_EQ(br->status, 0);
	ASSERT_EQ(br->nreps, 2);
	ASSERT(!br->has_evidence);
	ASSERT(br->median.m[MMB_M_ITEMS_PER_SECOND] > 0);
	ASSERT_EQ(br->median.m[MMB_M_OPS], OPS);
	for (unsigned i = 0; i < br->nreps; i++) {
		ASSERT(!br->reps[i].interrupted);
		ASSERT(strstr(br->reps[i].kev.why[MMB_KEV_PF_USER],
			      "interrupted"));
	}
	ASSERT(isnan(br->median.kev.v[MMB_KEV_PF_USER]));
	ASSERT(strstr(br->median.kev.why[MMB_KEV_PF_USER], "interrupted"));
	ASSERT(r->partial);
	mmb_run_result_free(r);
	kev_cleanup();
	return 0;
}

/* --no-kernel-events --profile: the profile still samples an evidence
 * repetition of its own, where no kernel event is counted; the measured
 * repetitions say the events are off. */
TEST_IMPL(kevents_off_profile_still_separate)
{
	const struct mmb_backend *b[1];
	struct mmb_run_result *r;

	if (geteuid() != 0)
		SKIP("not root: --profile's kernel frames need root");
	ASSERT_OK(kev_setup(16 * MiB));
	struct mmb_run_opts o = opts("pread", 2, b);
	mmb_kevents_set_mode(MMB_KEV_MODE_OFF);
	ASSERT_OK(mmb_profile_enable(true));
	int rc = th_run_resolved(&o, &r);
	mmb_profile_enable(false);
	mmb_kevents_set_mode(MMB_KEV_MODE_SEPARATE);
	ASSERT_OK(rc);
	const struct mmb_backend_result *br = &r->b[0];
	ASSERT_EQ(br->status, 0);
	ASSERT_EQ(br->nreps, 2);
	ASSERT(br->has_evidence);
	ASSERT(!br->evidence.kev.counted);
	ASSERT(br->profile != NULL);
	ASSERT(br->profile->samples > 0);
	for (unsigned i = 0; i < br->nreps; i++)
		ASSERT(strstr(br->reps[i].kev.why[MMB_KEV_PF_USER],
			      "kernel events off"));
	mmb_run_result_free(r);
	kev_cleanup();
	return 0;
}
