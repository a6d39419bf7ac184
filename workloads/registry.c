/* SPDX-License-Identifier: MIT */
/* registry.c - the workload table and what every workload shares:
 * defaults, validation (generic over each workload's parameter table),
 * generation, pages touched. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The first is mmbench run's default workload. */
const struct mmb_workload *const mmb_workloads[] = {
    &mmb_workload_random_4k, &mmb_workload_random_64k,
    &mmb_workload_random,    &mmb_workload_seq_read,
    &mmb_workload_seq_write, &mmb_workload_random_write_4k,
    &mmb_workload_rw_mix,    &mmb_workload_zipf,
    &mmb_workload_strided,   &mmb_workload_scan_once,
    &mmb_workload_trace,     NULL,
};

const struct mmb_workload *mmb_workload_find(const char *name)
{
	for (size_t i = 0; mmb_workloads[i]; i++)
		if (strcmp(mmb_workloads[i]->name, name) == 0)
			return mmb_workloads[i];
	return NULL;
}

/* Bytes in words for messages: "2 MiB" when whole, else "1000 bytes". */
static const char *bytes(uint64_t v, char *buf, size_t n)
{
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB",
					    "TiB"};
	unsigned u = 0;

	while (u < 4 && v >= 1024 && v % 1024 == 0) {
		v /= 1024;
		u++;
	}
	snprintf(buf, n, "%llu %s", (unsigned long long)v, units[u]);
	return buf;
}

static int bad(const char **which, const char *param, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record the reason and which parameter it is about. */
static int bad(const char **which, const char *param, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (which)
		*which = param;
	return mmb_seterr(MMB_EINVAL, 0, "%s", msg);
}

int mmb_workload_resolve_which(const struct mmb_workload *w,
			       struct mmb_workload_opts *o, const char **which)
{
	char b1[32], b2[32];

	if (which)
		*which = NULL;
	if (o->threads < 1)
		return bad(which, "threads", "threads must be at least 1");
	if (o->file_size == 0)
		return bad(which, "file_size", "file size is 0");
	/* Results are named after the workload: "random-4k" with 16 KiB
	 * blocks would be a lie in every table and comparison. */
	if ((w->flags & MMB_WL_FIXED_BS) && o->block_size &&
	    o->block_size != w->block_size) {
		char others[256];
		size_t len = 0;
		others[0] = 0;
		for (size_t i = 0; mmb_workloads[i] && len < sizeof(others);
		     i++)
			if (!(mmb_workloads[i]->flags & MMB_WL_FIXED_BS))
				len += (size_t)snprintf(
				    others + len, sizeof(others) - len, "%s%s",
				    len ? ", " : "", mmb_workloads[i]->name);
		return bad(which, "block_size",
			   "%s uses %s blocks; for %s blocks use a workload "
			   "whose block size can change (%s)",
			   w->name, bytes(w->block_size, b1, sizeof(b1)),
			   bytes(o->block_size, b2, sizeof(b2)), others);
	}
	if (o->block_size == 0)
		o->block_size = w->block_size;
	if (o->block_size > UINT32_MAX)
		return bad(which, "block_size",
			   "block size %s is too large (max 4 GiB - 1)",
			   bytes(o->block_size, b1, sizeof(b1)));
	if (o->block_size > o->file_size)
		return bad(which, "block_size",
			   "block size %s is larger than the file (%s)",
			   bytes(o->block_size, b1, sizeof(b1)),
			   bytes(o->file_size, b2, sizeof(b2)));
	for (unsigned i = 0; w->params && w->params[i].name; i++) {
		const struct mmb_param *p = &w->params[i];
		if (i >= MMB_WL_MAX_PARAMS)
			return bad(which, p->name,
				   "%s declares more than %d parameters",
				   w->name, MMB_WL_MAX_PARAMS);
		if (!(o->param_set & (1u << i))) {
			o->param[i] = p->def;
			o->param_set |= 1u << i;
		}
		if (mmb_param_check(p, o->param[i], NULL) < 0) {
			if (which)
				*which = p->name;
			return MMB_EINVAL;
		}
	}

	o->input_flags = 0;
	if (w->prepare) {
		const char *about = NULL;
		int rc = w->prepare(w, o, &about);
		if (rc < 0) {
			if (which)
				*which = about;
			return rc;
		}
	}

	uint64_t pass = w->pass_ops ? w->pass_ops(o) : mmb__blocks(o);
	if (o->ops == 0)
		o->ops = (w->flags & MMB_WL_PASS) ? pass : MMB_DEFAULT_OPS;
	if ((w->flags & MMB_WL_ONCE) && o->ops > pass)
		return bad(which, "ops",
			   "%s touches each of the %llu blocks at most once; "
			   "%llu ops are too many",
			   w->name, (unsigned long long)pass,
			   (unsigned long long)o->ops);
	if (o->ops < o->threads)
		return bad(which, "ops", "%llu ops are fewer than %u threads",
			   (unsigned long long)o->ops, o->threads);
	return 0;
}

int mmb_gen_fill(const struct mmb_workload *w,
		 const struct mmb_workload_opts *o, struct mmb_gen *g,
		 struct mmb_op *ops, uint64_t n)
{
	int rc;

	if (n == 0)
		return 0;
	rc = w->generate(w, o, g, ops, n);
	if (rc == 0)
		g->next += n;
	return rc;
}

int mmb_gen_copy(struct mmb_gen *dst, const struct mmb_gen *src)
{
	*dst = *src;
	dst->at_ns = NULL;
	dst->nat = 0;
	if (!src->scratch)
		return 0;
	dst->scratch = malloc(src->nscratch * sizeof(*src->scratch));
	if (!dst->scratch) {
		dst->nscratch = 0;
		return mmb_seterr(MMB_ENOMEM, ENOMEM,
				  "malloc(%llu generator words)",
				  (unsigned long long)src->nscratch);
	}
	memcpy(dst->scratch, src->scratch,
	       src->nscratch * sizeof(*src->scratch));
	return 0;
}

void mmb_gen_free(struct mmb_gen *g)
{
	free(g->scratch);
	free(g->at_ns);
	memset(g, 0, sizeof(*g));
}

int mmb_workload_generate(const struct mmb_workload *w,
			  const struct mmb_workload_opts *o,
			  struct mmb_op **out)
{
	struct mmb_op *ops = malloc(o->ops * sizeof(*ops));
	struct mmb_gen g = {0};
	int rc;

	if (!ops)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "malloc(%llu ops)",
				  (unsigned long long)o->ops);
	rc = mmb_gen_fill(w, o, &g, ops, o->ops);
	mmb_gen_free(&g);
	if (rc < 0) {
		free(ops);
		return rc;
	}
	*out = ops;
	return 0;
}

uint64_t mmb__pages_mark(uint64_t *bits, uint64_t pages,
			 const struct mmb_op *ops, uint64_t n,
			 uint64_t page_size)
{
	uint64_t count = 0;

	for (uint64_t i = 0; i < n; i++) {
		if (ops[i].len == 0)
			continue;
		uint64_t first = ops[i].off / page_size;
		uint64_t last = (ops[i].off + ops[i].len - 1) / page_size;
		for (uint64_t p = first; p <= last && p < pages; p++) {
			uint64_t bit = 1ull << (p % 64);
			if (!(bits[p / 64] & bit)) {
				bits[p / 64] |= bit;
				count++;
			}
		}
	}
	return count;
}

uint64_t mmb_ops_pages_touched(const struct mmb_op *ops, uint64_t n,
			       uint64_t file_size, uint64_t page_size)
{
	uint64_t pages = (file_size + page_size - 1) / page_size;
	uint64_t *bits = calloc((pages + 63) / 64, sizeof(*bits));
	uint64_t count;

	if (!bits)
		return 0;
	count = mmb__pages_mark(bits, pages, ops, n, page_size);
	free(bits);
	return count;
}
