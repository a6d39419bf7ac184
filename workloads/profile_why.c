/* SPDX-License-Identifier: MIT */
/* profile_why.c - the verdict's "where the time went" from --profile and
 * the kernel events: first as numbers (struct why), then as words
 * appended to the verdict. Shared by both platforms (on Windows there is
 * no profile and no kernel event: nothing is added). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "profile.h"
#include "mmbench/backend.h"
#include "mmbench/result.h"

static const char *const phrase[MMB_PROF__COUNT] = {
    [MMB_PROF_USER_COPY] = "in its own memcpy (the consumer)",
    [MMB_PROF_HARNESS] = "in mmbench's loop",
    [MMB_PROF_SYSCALL] = "entering and leaving the kernel",
    [MMB_PROF_KERNEL_COPY] = "in the kernel copying pages to the buffer",
    [MMB_PROF_PAGE_CACHE] = "finding them in the page cache",
    [MMB_PROF_PAGE_FAULT] = "in page faults",
    [MMB_PROF_READAHEAD_IO] = "reading ahead and submitting I/O",
    [MMB_PROF_IO_WAIT] = "off the CPU",
    [MMB_PROF_OTHER_KERNEL] = "elsewhere in the kernel",
};

/* What one backend's clause says. */
struct why {
	enum mmb_prof_category cat[2]; /* largest on-CPU categories */
	double share[2];
	double faults;	  /* page_fault share, mapped backends */
	double offcpu;	  /* of the wall time x threads */
	double ra_pages;  /* cold: pages inserted into the page cache */
	double ra_faults; /* faults of the same runs */
	double ra_x;	  /* inserted bytes / requested bytes */
};

static void why_of(const struct mmb_run_result *r,
		   const struct mmb_backend_result *b, struct why *w)
{
	const struct mmb_profile *p = b->profile;

	memset(w, 0, sizeof(*w));
	w->cat[0] = w->cat[1] = MMB_PROF__COUNT;
	w->ra_x = NAN;
	if (p && p->samples) {
		for (unsigned c = 0; c < MMB_PROF__COUNT; c++) {
			double x = p->frac_oncpu[c];
			if (c == MMB_PROF_IO_WAIT || isnan(x))
				continue;
			if (w->cat[0] == MMB_PROF__COUNT || x > w->share[0]) {
				w->cat[1] = w->cat[0];
				w->share[1] = w->share[0];
				w->cat[0] = c;
				w->share[0] = x;
			} else if (w->cat[1] == MMB_PROF__COUNT ||
				   x > w->share[1]) {
				w->cat[1] = c;
				w->share[1] = x;
			}
		}
		w->faults = p->frac_oncpu[MMB_PROF_PAGE_FAULT];
		w->offcpu = p->frac[MMB_PROF_IO_WAIT];
	}
	/* The events against the measurements of the repetition that
	 * counted them: the evidence one when there is one. */
	const struct mmb_kevents *k = &b->median.kev;
	const double *m = b->has_evidence ? b->evidence.m : b->median.m;
	double ins = k->v[MMB_KEV_PC_ADD_BYTES];
	double asked = m[MMB_M_BYTES_READ];
	if (strcmp(r->cache, "cold") == 0 && !isnan(ins) && asked > 0) {
		w->ra_pages = k->v[MMB_KEV_PC_ADD_PAGES];
		w->ra_faults = m[MMB_M_FAULTS];
		w->ra_x = ins / asked;
	}
}

static size_t clause(const struct mmb_backend_result *b, const struct why *w,
		     char *v, size_t n)
{
	size_t len = 0;
	int k;

	if (w->cat[0] < MMB_PROF__COUNT) {
		k = snprintf(v, n, "%s spends %.0f%% of its %sCPU time %s",
			     b->name, w->share[0] * 100,
			     b->profile->user_only ? "user " : "",
			     phrase[w->cat[0]]);
		len += k > 0 ? (size_t)k : 0;
		if (w->cat[1] < MMB_PROF__COUNT && w->share[1] >= 0.01 &&
		    len < n) {
			k = snprintf(v + len, n - len, " and %.0f%% %s",
				     w->share[1] * 100, phrase[w->cat[1]]);
			len += k > 0 ? (size_t)k : 0;
		}
		if ((b->caps & MMB_CAP_MAPPED) &&
		    w->cat[0] != MMB_PROF_PAGE_FAULT &&
		    w->cat[1] != MMB_PROF_PAGE_FAULT && len < n) {
			k = snprintf(v + len, n - len,
				     ", %.0f%% in page faults",
				     w->faults * 100);
			len += k > 0 ? (size_t)k : 0;
		}
		if (w->offcpu >= 0.10 && len < n) {
			k = snprintf(v + len, n - len,
				     " (off the CPU %.0f%% of the time)",
				     w->offcpu * 100);
			len += k > 0 ? (size_t)k : 0;
		}
	}
	/* Cold: what readahead brought in, from the counted insertions. */
	if (!isnan(w->ra_x) && w->ra_x >= 1.5 && len < n) {
		k = snprintf(v + len, n - len,
			     "%s%s: readahead brought in %.0f pages for %.0f "
			     "faults, %.1fx the requested bytes",
			     len ? "; " : "", len ? "its" : b->name,
			     w->ra_pages, w->ra_faults, w->ra_x);
		len += k > 0 ? (size_t)k : 0;
	}
	return len < n ? len : n - 1;
}

void mmb__verdict_why(struct mmb_run_result *r)
{
	char *v = r->verdict_why;
	size_t n = sizeof(r->verdict_why), len = 0;
	bool first = true;

	v[0] = 0;
	for (unsigned i = 0; i < r->nbackends && len + 1 < n; i++) {
		const struct mmb_backend_result *b = &r->b[i];
		struct why w;
		char part[400];
		if (b->status != 0 || !b->nreps)
			continue;
		why_of(r, b, &w);
		if (!clause(b, &w, part, sizeof(part)))
			continue;
		int k = snprintf(v + len, n - len, "%s%s",
				 first ? "Where the time went: " : "; ", part);
		if (k < 0 || (size_t)k >= n - len)
			break; /* no room: leave the verdict as it was */
		len += (size_t)k;
		first = false;
	}
}
