/* SPDX-License-Identifier: MIT */
/* vtest.h - what the verdict tests share: the synthetic run's skeleton and
 * the rendered verdict on stderr, for the log of a failing test. */
#ifndef MMB_TESTS_AMP_VTEST_H
#define MMB_TESTS_AMP_VTEST_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include "mmbench/result.h"

/* r as a run of random-4k, cache `cache`, over the n backends of b; the
 * caller has zeroed both and fills the backends. */
static inline void vt_run(struct mmb_run_result *r,
			  struct mmb_backend_result *b, unsigned n,
			  const char *cache)
{
	snprintf(r->workload, sizeof(r->workload), "random-4k");
	snprintf(r->cache, sizeof(r->cache), "%s", cache);
	r->advice = -1;
	r->nbackends = n;
	r->b = b;
}

static inline void vt_print(const struct mmb_run_result *r)
{
	char t[MMB_VERDICT_TEXT];

	fprintf(stderr, "verdict: %s\n",
		mmb_verdict_text(&r->verdict, t, sizeof(t)));
}

#endif
