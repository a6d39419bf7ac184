/* SPDX-License-Identifier: MIT */
/* win/profile.c - --profile on Windows: not available (the sampler is
 * Linux perf_event); mmbench run refuses the option with this reason. */
#include <stdlib.h>

#include "../profile.h"
#include "mmb/error.h"

int mmb_profile_enable(bool on)
{
	if (on)
		return mmb_seterr(MMB_ENOTSUP, 0,
				  "--profile: not on Windows (it samples "
				  "with Linux perf_event)");
	return 0;
}

bool mmb__prof_on(void)
{
	return false;
}

void mmb_profile_free(struct mmb_profile *p)
{
	if (p)
		free(p->folded);
	free(p);
}

int mmb__prof_open(struct mmb__prof **out, unsigned threads)
{
	(void)threads;
	*out = NULL;
	return 0;
}

void mmb__prof_start(struct mmb__prof *p)
{
	(void)p;
}

void mmb__prof_stop(struct mmb__prof *p)
{
	(void)p;
}

int mmb__prof_read(struct mmb__prof *p, struct mmb_profile **dst)
{
	(void)p;
	(void)dst;
	return 0;
}

void mmb__prof_close(struct mmb__prof *p)
{
	(void)p;
}

void mmb__prof_finish(struct mmb_profile *p)
{
	(void)p;
}
