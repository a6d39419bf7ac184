/* SPDX-License-Identifier: MIT */
/* --profile (mmbench/profile.h): a warm random-4k run of pread and mmap,
 * whose on-CPU time must go mostly to the kernel's copy to the user
 * buffer (pread) and to the user's memcpy out of the mapping (mmap), as
 * perf record of the same run shows (issue 15). Counts and shares, never
 * times. */
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmbench/profile.h"
#include "mmbench/result.h"
#include "mmbench/workload.h"
#include "fixture.h"
#include "test.h"

static int run(bool profile, struct mmb_run_result **r)
{
	const struct mmb_backend *b[] = {mmb_backend_find("pread"),
					 mmb_backend_find("mmap")};
	struct mmb_run_opts o = {
	    .workload = mmb_workload_find("random-4k"),
	    .wl = {.file_size = 64 * MiB,
		   /* mmap: > 500 samples even when it shares the CPU, in
		    * the one evidence repetition that is sampled */
		   .ops = 800000,
		   .seed = 5,
		   .threads = 1},
	    .path = kev_path,
	    .backends = b,
	    .nbackends = 2,
	    .bopts = {.advice = -1},
	    .cache = MMB_CACHE_WARM,
	    .reps = 1,
	    .warmup = false,
	};
	if (!b[0] || !b[1] || mmb_workload_resolve(o.workload, &o.wl) < 0 ||
	    mmb_profile_enable(profile) < 0)
		return -1;
	int rc = mmb_run(&o, r);
	mmb_profile_enable(false);
	return rc;
}

/* The largest on-CPU category. */
static enum mmb_prof_category top_category(const struct mmb_profile *p)
{
	unsigned best = 0;
	for (unsigned c = 1; c < MMB_PROF__COUNT; c++)
		if (p->frac_oncpu[c] > p->frac_oncpu[best])
			best = c;
	return best;
}

static int check_sums(const struct mmb_profile *p)
{
	double sum = 0, sum_on = 0, prev = 1;
	for (unsigned c = 0; c < MMB_PROF__COUNT; c++) {
		ASSERT(p->frac[c] >= 0 && p->frac[c] <= 1);
		sum += p->frac[c];
		sum_on += p->frac_oncpu[c];
	}
	ASSERT(fabs(sum - 1) <= 0.01);
	ASSERT(fabs(sum_on - 1) <= 0.01);
	ASSERT(p->ntop >= 1 && p->ntop <= MMB_PROF_TOP);
	for (unsigned i = 0; i < p->ntop; i++) {
		ASSERT(p->top[i].share <= prev);
		prev = p->top[i].share;
	}
	/* Folded stacks: "mmbench;...;leaf COUNT" lines adding up to the
	 * samples. */
	ASSERT(p->folded && p->folded_len > 0);
	uint64_t total = 0;
	for (const char *l = p->folded; *l;) {
		const char *nl = strchr(l, '\n');
		ASSERT(nl != NULL);
		ASSERT(strncmp(l, "mmbench", 7) == 0);
		const char *sp = nl;
		while (sp > l && sp[-1] != ' ')
			sp--;
		total += strtoull(sp, NULL, 10);
		l = nl + 1;
	}
	ASSERT_EQ(total, p->samples);
	return 0;
}

TEST_IMPL(profile_pread_kernel_copy_mmap_user_copy)
{
	struct mmb_run_result *r;

	if (geteuid() != 0)
		SKIP("not root: kernel frames need root");
	ASSERT_OK(kev_setup(64 * MiB));
	ASSERT_OK(run(true, &r));
	const struct mmb_backend_result *pr = &r->b[0], *mm = &r->b[1];
	ASSERT_EQ(pr->status, 0);
	ASSERT_EQ(mm->status, 0);
	ASSERT(pr->profile && mm->profile);
	if (pr->profile->user_only) {
		char note[256];
		snprintf(note, sizeof(note), "%s", pr->profile->note);
		mmb_run_result_free(r);
		kev_cleanup();
		SKIP("%s", note);
	}
	for (unsigned i = 0; i < 2; i++) {
		const struct mmb_profile *p = r->b[i].profile;
		fprintf(stderr, "%s: %llu samples, top %s %.2f;", r->b[i].name,
			(unsigned long long)p->samples, p->top[0].name,
			p->top[0].share);
		for (unsigned c = 0; c < MMB_PROF__COUNT; c++)
			fprintf(stderr, " %s %.3f/%.3f",
				mmb_prof_category_key(c), p->frac[c],
				p->frac_oncpu[c]);
		fprintf(stderr, "\n");
	}
	/* 800k ops of about a microsecond in the evidence repetition:
	 * thousands of 250 us samples */
	ASSERT(pr->profile->samples > 500);
	ASSERT(mm->profile->samples > 500);
	ASSERT_OK(check_sums(pr->profile));
	ASSERT_OK(check_sums(mm->profile));
	ASSERT_EQ(top_category(pr->profile), MMB_PROF_KERNEL_COPY);
	ASSERT_EQ(top_category(mm->profile), MMB_PROF_USER_COPY);
	ASSERT(pr->profile->top[0].kernel);
	ASSERT(!mm->profile->top[0].kernel);
	/* The flame graph: one SVG naming the frames, the kernel copy
	 * among them. */
	char svg[160], *text;
	size_t len;
	snprintf(svg, sizeof(svg), "%s/pread.svg", kev_dir);
	ASSERT_OK(mmb_report_flamegraph(pr->profile->folded, "pread", svg));
	ASSERT_OK(mmb_read_file(svg, &text, &len));
	ASSERT(strstr(text, "<svg ") != NULL);
	ASSERT(strstr(text, "<title>_copy_to_iter_[k] (") != NULL);
	ASSERT(strstr(text, "</svg>\n") != NULL);
	free(text);
	mmb_run_result_free(r);
	kev_cleanup();
	return 0;
}

TEST_IMPL(profile_off_by_default)
{
	struct mmb_run_result *r;

	ASSERT_OK(kev_setup(64 * MiB));
	ASSERT_OK(run(false, &r));
	ASSERT_EQ(r->b[0].status, 0);
	ASSERT(r->b[0].profile == NULL);
	ASSERT(r->b[1].profile == NULL);
	mmb_run_result_free(r);
	kev_cleanup();
	return 0;
}
