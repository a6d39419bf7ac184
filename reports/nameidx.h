/* SPDX-License-Identifier: MIT */
/* nameidx.h - an index from names to positions, for the loader and the
 * gate, which match benchmarks by name: a file holds up to hundreds of
 * thousands, so a linear search per benchmark is quadratic (issue 20: 80,000
 * benchmarks took 70 s to compare).
 *
 * Open addressing over a power-of-two table of positions (size_t) into the
 * caller's array; the caller's name_of(ctx, pos) gives the name at a
 * position, so the index stores no strings. Internal to mmb_reports. */
#ifndef MMB_REPORTS_NAMEIDX_H
#define MMB_REPORTS_NAMEIDX_H

#include <stddef.h>

struct mmb__nameidx {
	size_t *slot; /* position + 1; 0: empty */
	size_t cap;   /* a power of two, or 0 */
	size_t n;
	const char *(*name_of)(const void *ctx, size_t pos);
	const void *ctx;
};

/* An empty index (no allocation until the first add). */
void mmb__nameidx_init(struct mmb__nameidx *x,
		       const char *(*name_of)(const void *ctx, size_t pos),
		       const void *ctx);
void mmb__nameidx_free(struct mmb__nameidx *x);
/* The position of name, or (size_t)-1. */
size_t mmb__nameidx_find(const struct mmb__nameidx *x, const char *name);
/* Add pos under its name (which must not be in the index yet). 0 or
 * MMB_ENOMEM. */
int mmb__nameidx_add(struct mmb__nameidx *x, size_t pos);

/* Name comparisons made by mmb__nameidx_find, for the tests that check the
 * matching stays linear in the number of benchmarks (not thread-safe; a
 * statistic only). */
extern unsigned long long mmb__nameidx_compares;

#endif
