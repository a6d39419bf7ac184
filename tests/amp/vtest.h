/* vtest.h - what the verdict tests share: a tolerance compare and the
 * rendered verdict on stderr, for the log of a failing test. */
#ifndef MMB_TESTS_AMP_VTEST_H
#define MMB_TESTS_AMP_VTEST_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include "mmbench/result.h"

static inline bool near(double a, double b, double tol)
{
	return fabs(a - b) <= tol;
}

static inline void vt_print(const struct mmb_run_result *r)
{
	char t[MMB_VERDICT_TEXT];

	fprintf(stderr, "verdict: %s\n",
		mmb_verdict_text(&r->verdict, t, sizeof(t)));
}

#endif
