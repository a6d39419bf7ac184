/* SPDX-License-Identifier: MIT */
/* Generators: bounds, alignment, distributions, determinism. */
#include <math.h>

#include "mmbench/workload.h"
#include "test.h"

#define MiB (1024ull * 1024)

static struct mmb_workload_opts opts(uint64_t size, uint64_t ops)
{
	struct mmb_workload_opts o = {
	    .file_size = size,
	    .ops = ops,
	    .seed = 42,
	    .threads = 1,
	};
	return o;
}

static int gen(const char *name, struct mmb_workload_opts *o,
	       struct mmb_op **ops)
{
	const struct mmb_workload *w = mmb_workload_find(name);
	if (!w)
		return -1;
	if (mmb_workload_resolve(w, o) < 0)
		return -1;
	return mmb_workload_generate(w, o, ops);
}

TEST_IMPL(gen_bounds_alignment)
{
	for (size_t i = 0; mmb_workloads[i]; i++) {
		const struct mmb_workload *w = mmb_workloads[i];
		if (w->flags & MMB_WL_INPUT) /* needs its input: tests/trace */
			continue;
		/* 16 MiB + 1000: a tail that is not a whole block */
		struct mmb_workload_opts o = opts(16 * MiB + 1000, 0);
		struct mmb_op *ops;
		ASSERT_OK(mmb_workload_resolve(w, &o));
		ASSERT(o.ops > 0);
		ASSERT_OK(mmb_workload_generate(w, &o, &ops));
		uint64_t writes = 0;
		int stride = mmb_workload_param(w, "stride");
		uint64_t align = stride >= 0 ? o.param[stride].u : o.block_size;
		for (uint64_t k = 0; k < o.ops; k++) {
			ASSERT_EQ(ops[k].len, o.block_size);
			ASSERT(ops[k].off + ops[k].len <= o.file_size);
			ASSERT_EQ(ops[k].off % align, 0);
			writes += ops[k].is_write;
		}
		if (!(w->flags & MMB_WL_WRITES))
			ASSERT_EQ(writes, 0);
		else
			ASSERT(writes > 0);
		free(ops);
	}
	return 0;
}

TEST_IMPL(gen_scan_once_covers_every_block)
{
	struct mmb_workload_opts o = opts(16 * MiB, 0);
	struct mmb_op *ops;
	uint64_t blocks = 16 * MiB / 4096;
	unsigned char *seen = calloc(blocks, 1);

	ASSERT(seen);
	ASSERT_OK(gen("scan-once", &o, &ops));
	ASSERT_EQ(o.ops, blocks);
	for (uint64_t k = 0; k < o.ops; k++)
		seen[ops[k].off / 4096]++;
	for (uint64_t b = 0; b < blocks; b++)
		ASSERT_EQ(seen[b], 1);
	/* a random order, not the file order */
	uint64_t in_order = 0;
	for (uint64_t k = 1; k < o.ops; k++)
		in_order += ops[k].off == ops[k - 1].off + 4096;
	ASSERT(in_order < blocks / 100);
	free(ops);
	free(seen);

	/* more ops than blocks cannot touch each once */
	o = opts(16 * MiB, blocks + 1);
	ASSERT_EQ(mmb_workload_resolve(mmb_workload_find("scan-once"), &o),
		  MMB_EINVAL);
	return 0;
}

static int cmp_desc(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x < y) - (x > y);
}

/* Share of the ops that go to the most popular 1% of blocks. */
static double top1_share(double theta)
{
	struct mmb_workload_opts o = opts(64 * MiB, 200000);
	struct mmb_op *ops;
	uint64_t blocks = 64 * MiB / 4096, top = 0;
	uint32_t *count = calloc(blocks, sizeof(*count));

	if (!count ||
	    mmb_workload_set(mmb_workload_find("zipf"), &o, "theta",
			     (union mmb_value){.d = theta}) < 0 ||
	    gen("zipf", &o, &ops) < 0)
		return -1;
	for (uint64_t k = 0; k < o.ops; k++)
		count[ops[k].off / 4096]++;
	qsort(count, blocks, sizeof(*count), cmp_desc);
	for (uint64_t b = 0; b < blocks / 100; b++)
		top += count[b];
	free(ops);
	free(count);
	return (double)top / 200000.0;
}

TEST_IMPL(gen_zipf_skew)
{
	double s05 = top1_share(0.5), s099 = top1_share(0.99),
	       s1 = top1_share(1.0), s12 = top1_share(1.2);

	fprintf(stderr,
		"top 1%% share: theta 0.5 %.3f, 0.99 %.3f, 1.0 %.3f, "
		"1.2 %.3f\n",
		s05, s099, s1, s12);
	ASSERT(s05 > 0 && s099 > 0 && s1 > 0 && s12 > 0);
	/* Uniform would give ~1-2%; Zipf(0.99) over 16384 blocks ~50%. */
	ASSERT(s099 > 0.35);
	ASSERT(s05 > 0.03);
	ASSERT(s05 < s099);
	ASSERT(s099 < s1 + 0.02);
	ASSERT(s1 < s12);
	return 0;
}

TEST_IMPL(gen_strided_step)
{
	struct mmb_workload_opts o = opts(16 * MiB, 1000);
	struct mmb_op *ops;
	uint64_t wraps = 0;

	const uint64_t stride = 3 * 65536;
	ASSERT_OK(mmb_workload_set(mmb_workload_find("strided"), &o, "stride",
				   (union mmb_value){.u = stride}));
	ASSERT_OK(gen("strided", &o, &ops));
	ASSERT_EQ(ops[0].off, 0);
	for (uint64_t k = 1; k < o.ops; k++) {
		if (ops[k].off == 0) {
			wraps++;
			/* wraps only when the next step would not fit */
			ASSERT(ops[k - 1].off + stride + o.block_size >
			       o.file_size);
			continue;
		}
		ASSERT_EQ(ops[k].off - ops[k - 1].off, stride);
	}
	/* 16 MiB / 192 KiB = 86 steps per pass: 1000 ops wrap 11 times */
	ASSERT_EQ(wraps, (o.ops - 1) / ((o.file_size - 4096) / stride + 1));
	free(ops);
	return 0;
}

TEST_IMPL(gen_rwmix_read_fraction)
{
	const double pct[] = {0, 30, 70, 100};

	for (size_t i = 0; i < 4; i++) {
		struct mmb_workload_opts o = opts(16 * MiB, 100000);
		struct mmb_op *ops;
		uint64_t reads = 0;
		ASSERT_OK(mmb_workload_set(mmb_workload_find("rw-mix"), &o,
					   "read-pct",
					   (union mmb_value){.d = pct[i]}));
		ASSERT_OK(gen("rw-mix", &o, &ops));
		for (uint64_t k = 0; k < o.ops; k++)
			reads += !ops[k].is_write;
		double f = (double)reads / (double)o.ops;
		ASSERT(fabs(f - pct[i] / 100) < 0.01);
		free(ops);
	}
	return 0;
}

TEST_IMPL(gen_same_seed_same_ops)
{
	for (size_t i = 0; mmb_workloads[i]; i++) {
		struct mmb_workload_opts o = opts(16 * MiB, 0);
		struct mmb_op *a, *b, *c;
		const struct mmb_workload *w = mmb_workloads[i];
		if (w->flags & MMB_WL_INPUT) /* needs its input: tests/trace */
			continue;
		ASSERT_OK(mmb_workload_resolve(w, &o));
		ASSERT_OK(mmb_workload_generate(w, &o, &a));
		ASSERT_OK(mmb_workload_generate(w, &o, &b));
		ASSERT(memcmp(a, b, o.ops * sizeof(*a)) == 0);
		o.seed++;
		ASSERT_OK(mmb_workload_generate(w, &o, &c));
		/* the seed matters exactly for the random workloads */
		bool random =
		    !(w->flags & MMB_WL_PASS) || (w->flags & MMB_WL_ONCE);
		ASSERT_EQ(memcmp(a, c, o.ops * sizeof(*a)) != 0, random);
		free(a);
		free(b);
		free(c);
	}
	return 0;
}

TEST_IMPL(gen_thread_slices_partition)
{
	const uint64_t ns[] = {1, 7, 1000, 262144};
	const unsigned ts[] = {1, 2, 3, 7, 64};

	for (size_t i = 0; i < 4; i++)
		for (size_t j = 0; j < 5; j++) {
			uint64_t n = ns[i], next = 0, lo = UINT64_MAX, hi = 0;
			if (n < ts[j])
				continue;
			for (unsigned t = 0; t < ts[j]; t++) {
				uint64_t b, e;
				mmb_thread_slice(n, ts[j], t, &b, &e);
				ASSERT_EQ(b, next);
				next = e;
				lo = e - b < lo ? e - b : lo;
				hi = e - b > hi ? e - b : hi;
			}
			ASSERT_EQ(next, n);
			ASSERT(hi - lo <= 1);
		}
	return 0;
}

TEST_IMPL(gen_resolve_rejects_bad_input)
{
	const struct mmb_workload *w = mmb_workload_find("random-4k");
	struct mmb_workload_opts o;

	ASSERT(w);
	ASSERT(mmb_workload_find("no-such") == NULL);
	o = opts(2048, 0); /* smaller than one 4 KiB block */
	ASSERT_EQ(mmb_workload_resolve(w, &o), MMB_EINVAL);
	o = opts(0, 0);
	ASSERT_EQ(mmb_workload_resolve(w, &o), MMB_EINVAL);
	o = opts(MiB, 0);
	o.threads = 0;
	ASSERT_EQ(mmb_workload_resolve(w, &o), MMB_EINVAL);
	/* A workload's own parameter out of its range: the reason names it
	 * in words, not as a command-line flag. */
	const struct mmb_workload *rw = mmb_workload_find("rw-mix");
	const struct mmb_workload *zipf = mmb_workload_find("zipf");
	const char *which;
	o = opts(MiB, 0);
	ASSERT_OK(mmb_workload_set(rw, &o, "read-pct",
				   (union mmb_value){.d = 100.5}));
	ASSERT_EQ(mmb_workload_resolve_which(rw, &o, &which), MMB_EINVAL);
	ASSERT(strcmp(which, "read-pct") == 0);
	ASSERT(strcmp(mmb_last_error()->call,
		      "read pct 100.5 is outside 0..100") == 0);
	o = opts(MiB, 0);
	ASSERT_OK(
	    mmb_workload_set(zipf, &o, "theta", (union mmb_value){.d = 0}));
	ASSERT_EQ(mmb_workload_resolve_which(zipf, &o, &which), MMB_EINVAL);
	ASSERT(strcmp(which, "theta") == 0);
	ASSERT(!strstr(mmb_last_error()->call, "--"));
	/* random-4k has no theta */
	ASSERT_EQ(mmb_workload_set(w, &o, "theta", (union mmb_value){.d = 1}),
		  MMB_EINVAL);
	o = opts(MiB, 0);
	o.block_size = 2 * MiB;
	ASSERT_EQ(
	    mmb_workload_resolve_which(mmb_workload_find("random"), &o, &which),
	    MMB_EINVAL);
	ASSERT(strcmp(which, "block_size") == 0);
	ASSERT(strcmp(mmb_last_error()->call,
		      "block size 2 MiB is larger than the file (1 MiB)") == 0);
	o = opts(MiB, 3);
	o.threads = 4;
	ASSERT_EQ(mmb_workload_resolve_which(w, &o, &which), MMB_EINVAL);
	ASSERT(strcmp(which, "ops") == 0);
	o = opts(MiB, 0);
	ASSERT_OK(mmb_workload_resolve(w, &o));
	ASSERT_EQ(o.block_size, 4096);
	ASSERT_EQ(o.ops, MMB_DEFAULT_OPS);
	o = opts(MiB, 0);
	ASSERT_OK(mmb_workload_resolve(mmb_workload_find("seq-read"), &o));
	ASSERT_EQ(o.ops, MiB / o.block_size); /* one pass */
	return 0;
}

TEST_IMPL(gen_pages_touched)
{
	struct mmb_op ops[] = {
	    {.off = 0, .len = 4096},
	    {.off = 0, .len = 4096},	  /* same page again */
	    {.off = 4095, .len = 2},	  /* pages 0 and 1 */
	    {.off = 65536, .len = 65536}, /* pages 16..31 */
	};
	ASSERT_EQ(mmb_ops_pages_touched(ops, 4, MiB, 4096), 2 + 16);
	ASSERT_EQ(mmb_ops_pages_touched(ops, 1, MiB, 4096), 1);
	return 0;
}

TEST_IMPL(pattern_consistent_nonzero)
{
	unsigned char *all = malloc(3 * 4096), *part = malloc(5000);

	ASSERT(all && part);
	mmb_pattern_fill(all, 0, 3 * 4096);
	for (size_t i = 0; i < 3 * 4096; i++)
		ASSERT(all[i] != 0);
	mmb_pattern_fill(part, 100, 5000);
	ASSERT(memcmp(part, all + 100, 5000) == 0);
	for (uint64_t p = 0; p < 3; p++) {
		uint64_t w;
		memcpy(&w, all + p * 4096, 8);
		ASSERT_EQ(w, mmb_pattern_page_word(p * 4096));
		ASSERT_EQ(w, mmb_pattern_page_word(p * 4096 + 4095));
	}
	ASSERT(mmb_pattern_page_word(0) != mmb_pattern_page_word(4096));
	free(all);
	free(part);
	return 0;
}

/* Every workload's parameter table, from the registry: named, helped,
 * its default within its range, at most MMB_WL_MAX_PARAMS, sweepable only
 * when integer, and a name two workloads share has one type (it is one
 * command-line option). A parameter given is what the generator sees. */
TEST_IMPL(gen_params_declared_well)
{
	unsigned total = 0;

	for (size_t i = 0; mmb_workloads[i]; i++) {
		const struct mmb_workload *w = mmb_workloads[i];
		for (int k = 0; w->params && w->params[k].name; k++) {
			const struct mmb_param *p = &w->params[k];
			char key[40];
			ASSERT(k < MMB_WL_MAX_PARAMS);
			ASSERT(p->help && *p->help);
			ASSERT(!strchr(p->name, '_') && !strchr(p->name, ' '));
			ASSERT_OK(mmb_param_check(p, p->def, NULL));
			ASSERT(strlen(mmb_param_key(p, key, sizeof(key))) <
			       sizeof(((struct mmb_ctx_value *)0)->key));
			if (p->flags & MMB_PARAM_SWEEP)
				ASSERT(p->type == MMB_PARAM_SIZE ||
				       p->type == MMB_PARAM_COUNT);
			ASSERT(p->type != MMB_PARAM_ENUM || p->enum_name);
			ASSERT_EQ(mmb_workload_param(w, p->name), k);
			for (size_t j = 0; mmb_workloads[j]; j++) {
				int q = mmb_workload_param(mmb_workloads[j],
							   p->name);
				if (q >= 0)
					ASSERT_EQ(
					    mmb_workloads[j]->params[q].type,
					    p->type);
			}
			/* resolve gives the default; set overrides it */
			struct mmb_workload_opts o = opts(16 * MiB, 100);
			total++;
			if (w->flags & MMB_WL_INPUT) /* tests/trace */
				continue;
			ASSERT_OK(mmb_workload_resolve(w, &o));
			ASSERT(memcmp(&o.param[k], &p->def, sizeof(p->def)) ==
			       0);
		}
	}
	ASSERT(total >= 3);
	return 0;
}
