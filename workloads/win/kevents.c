/* SPDX-License-Identifier: MIT */
/* win/kevents.c - kernel event counts on Windows: none. The events of
 * mmbench/kevents.h are Linux tracepoints (ETW has its own, not these);
 * every value is unavailable with that reason, never a 0. */

#include "../kevents.h"

bool mmb__kevents_platform(void)
{
	return false;
}

void mmb__kevents_prepare(void)
{
}

int mmb__kevents_open(struct mmb__kevents **out)
{
	*out = NULL;
	return 0;
}

void mmb__kevents_start(struct mmb__kevents *k)
{
	(void)k;
}

void mmb__kevents_stop(struct mmb__kevents *k)
{
	(void)k;
}

void mmb__kevents_read(struct mmb__kevents *k, struct mmb_kevents *out)
{
	(void)k;
	mmb__kevents_none(out, "not on Windows");
}

void mmb__kevents_close(struct mmb__kevents *k)
{
	(void)k;
}
