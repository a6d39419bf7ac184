/* SPDX-License-Identifier: MIT */
/* nameidx.c - the name index of nameidx.h: FNV-1a, linear probing, grown
 * at half full. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mmb/error.h"
#include "nameidx.h"

unsigned long long mmb__nameidx_compares;

static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)(h ^ (h >> 29));
}

void mmb__nameidx_init(struct mmb__nameidx *x,
		       const char *(*name_of)(const void *ctx, size_t pos),
		       const void *ctx)
{
	memset(x, 0, sizeof(*x));
	x->name_of = name_of;
	x->ctx = ctx;
}

void mmb__nameidx_free(struct mmb__nameidx *x)
{
	free(x->slot);
	x->slot = NULL;
	x->cap = x->n = 0;
}

size_t mmb__nameidx_find(const struct mmb__nameidx *x, const char *name)
{
	if (!x->cap)
		return (size_t)-1;
	for (size_t i = hash(name) & (x->cap - 1);;
	     i = (i + 1) & (x->cap - 1)) {
		size_t s = x->slot[i];
		if (!s)
			return (size_t)-1;
		mmb__nameidx_compares++;
		if (strcmp(x->name_of(x->ctx, s - 1), name) == 0)
			return s - 1;
	}
}

static void put(size_t *slot, size_t cap, size_t h, size_t pos)
{
	size_t i = h & (cap - 1);

	while (slot[i])
		i = (i + 1) & (cap - 1);
	slot[i] = pos + 1;
}

int mmb__nameidx_add(struct mmb__nameidx *x, size_t pos)
{
	if (2 * (x->n + 1) > x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		size_t *slot = calloc(cap, sizeof(*slot));
		if (!slot)
			return MMB_ENOMEM;
		for (size_t i = 0; i < x->cap; i++)
			if (x->slot[i])
				put(slot, cap,
				    hash(x->name_of(x->ctx, x->slot[i] - 1)),
				    x->slot[i] - 1);
		free(x->slot);
		x->slot = slot;
		x->cap = cap;
	}
	put(x->slot, x->cap, hash(x->name_of(x->ctx, pos)), pos);
	x->n++;
	return 0;
}
