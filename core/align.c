/* SPDX-License-Identifier: MIT */
/* align.c - system sizes (cached) and the advice names. */
#include <stdatomic.h>
#include <string.h>

#include "internal.h"

/* Sizes are read once; a race only makes two threads read the same value. */
static atomic_size_t page_size, granularity, huge_size;
static atomic_bool huge_known;

size_t mmb_page_size(void)
{
	size_t v = atomic_load(&page_size);

	if (!v) {
		v = mmb__os_page_size();
		atomic_store(&page_size, v);
	}
	return v;
}

size_t mmb_alloc_granularity(void)
{
	size_t v = atomic_load(&granularity);

	if (!v) {
		v = mmb__os_alloc_granularity();
		atomic_store(&granularity, v);
	}
	return v;
}

size_t mmb_huge_page_size(void)
{
	/* 0 is a valid answer (no huge pages), hence the separate flag. */
	if (!atomic_load(&huge_known)) {
		atomic_store(&huge_size, mmb__os_huge_page_size());
		atomic_store(&huge_known, true);
	}
	return atomic_load(&huge_size);
}

static const char *const advice_names[MMB_ADV__COUNT] = {
    [MMB_ADV_NORMAL] = "normal",	 [MMB_ADV_SEQUENTIAL] = "sequential",
    [MMB_ADV_RANDOM] = "random",	 [MMB_ADV_WILLNEED] = "willneed",
    [MMB_ADV_DONTNEED] = "dontneed",	 [MMB_ADV_FREE] = "free",
    [MMB_ADV_REMOVE] = "remove",	 [MMB_ADV_HUGEPAGE] = "hugepage",
    [MMB_ADV_NOHUGEPAGE] = "nohugepage",
};

const char *mmb_advice_name(enum mmb_advice a)
{
	if ((unsigned)a >= MMB_ADV__COUNT)
		return NULL;
	return advice_names[a];
}

int mmb_advice_parse(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < MMB_ADV__COUNT; i++)
		if (strcmp(advice_names[i], name) == 0)
			return i;
	return -1;
}
