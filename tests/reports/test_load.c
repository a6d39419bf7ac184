/* SPDX-License-Identifier: MIT */
/* test_load.c - the results loader (mmbench/results.h) on the shapes it
 * must read: Google Benchmark's complexity (_BigO/_RMS), error, NaN and
 * aggregates-only files, every time_unit, a version-1 mmbench file through
 * every consumer; its JSON checks, its refusals; and what is built on the
 * model: write-back, the sweep merge, the report's sweep over "window". */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "mmbench/compare.h"
#include "mmbench/report.h"
#include "mmbench/results.h"
#include "test.h"

#define DATA MMB_REPORTS_DATA

static const struct mmb_compare_opts defaults = {
    .threshold = MMB_COMPARE_THRESHOLD, .alpha = MMB_COMPARE_ALPHA};

TEST_IMPL(load_gbench_complexity)
{
	struct mmb_results *r;
	const struct mmb_rbench *b;
	const struct mmb_rentry *e;
	const struct mmb_rval *v;
	struct mmb_comparison *c;

	ASSERT_OK(mmb_results_load(DATA "/gbench-complexity.json", &r));
	ASSERT_EQ(r->schema_version, 1);
	ASSERT_EQ(r->ne, 5);
	ASSERT_EQ(r->nb, 4); /* BM_sort/1024, BM_sort/4096, BM_sort, BM_open */
	/* context: every key, arrays as compact JSON */
	ASSERT_EQ(r->nctx, 9);
	ASSERT(strcmp(r->ctx[0].key, "date") == 0);
	v = mmb_results_ctx(r, "caches");
	ASSERT(v && v->type == MMB_RT_ARRAY && v->nkid == 1);
	ASSERT(strcmp(v->text, "[{\"type\":\"Data\",\"level\":1,\"size\":"
			       "32768,\"num_sharing\":1}]") == 0);
	ASSERT_EQ(mmb_results_ctx_num(r, "num_cpus"), 2);
	v = mmb_results_ctx(r, "cpu_scaling_enabled");
	ASSERT(v && v->type == MMB_RT_BOOL && v->num == 0);

	b = mmb_results_find(r, "BM_sort/1024");
	ASSERT(b && b->nreps == 1 && !b->skipped);
	ASSERT(strcmp(b->workload, "BM_sort") == 0 &&
	       strcmp(b->backend, "1024") == 0);
	e = &r->e[b->reps[0]];
	ASSERT_EQ(e->real_ns, 15e6); /* ms */
	ASSERT_EQ(e->cpu_ns, 14e6);
	v = mmb_rentry_get(e, "items_per_second");
	ASSERT(v && v->type == MMB_RT_NUMBER && isnan(v->num));
	ASSERT_EQ(mmb_rentry_num(e, "family_index"), 0);
	e = &r->e[1];
	ASSERT(isinf(mmb_rentry_num(e, "bytes_per_second")) &&
	       mmb_rentry_num(e, "bytes_per_second") > 0);
	ASSERT(isinf(mmb_rentry_num(e, "slack")) &&
	       mmb_rentry_num(e, "slack") < 0);

	/* _BigO and _RMS: aggregates of the family, without real_time */
	b = mmb_results_find(r, "BM_sort");
	ASSERT(b && b->nreps == 0 && b->median < 0 && b->mean < 0);
	e = &r->e[2];
	ASSERT(e->kind == MMB_RK_AGGREGATE && e->bench == (size_t)(b - r->b));
	ASSERT(strcmp(e->aggregate, "BigO") == 0 && isnan(e->real_ns));
	ASSERT(strcmp(mmb_rentry_str(e, "big_o"), "N") == 0);

	b = mmb_results_find(r, "BM_open");
	ASSERT(b && b->skipped);
	ASSERT(strcmp(b->error, "open(\"/nonexistent\") failed: "
				"\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80") == 0);

	/* the gate: the two sizes compared, the failure skipped, the
	 * complexity entries not compared (and no failure over them) */
	ASSERT_OK(mmb_compare(r, r, &defaults, &c));
	ASSERT_EQ(c->nrows, 3);
	ASSERT(strcmp(c->rows[2].name, "BM_open") == 0 &&
	       c->rows[2].verdict == MMB_VERDICT_SKIPPED);
	ASSERT_EQ(c->rows[0].old_med, 15e6);
	ASSERT(!c->regression);
	mmb_comparison_free(c);
	mmb_results_free(r);
	return 0;
}

TEST_IMPL(load_time_units)
{
	static const char *const names[] = {"BM_s", "BM_ms", "BM_us", "BM_ns",
					    "BM_none"};
	static const double real[] = {2e9, 3e6, 4e3, 5, 6};
	static const double cpu[] = {1.5e9, 2.5e6, 3.5e3, 4.5, 5.5};
	struct mmb_results *r;

	ASSERT_OK(mmb_results_load(DATA "/gbench-time-units.json", &r));
	ASSERT_EQ(r->nb, 5);
	for (size_t i = 0; i < 5; i++) {
		const struct mmb_rbench *b = mmb_results_find(r, names[i]);

		ASSERT(b && b->nreps == 1);
		ASSERT_EQ(r->e[b->reps[0]].real_ns, real[i]);
		ASSERT_EQ(r->e[b->reps[0]].cpu_ns, cpu[i]);
	}
	mmb_results_free(r);
	return 0;
}

TEST_IMPL(load_aggregates_only)
{
	struct mmb_results *r;
	struct mmb_report_results s;
	struct mmb_comparison *c;
	const struct mmb_rbench *b;
	char err[512];

	ASSERT_OK(mmb_results_load(DATA "/gbench-aggregates-only.json", &r));
	ASSERT_EQ(r->nb, 1);
	b = &r->b[0];
	ASSERT(strcmp(b->name, "BM_read/4096") == 0);
	ASSERT(b->nreps == 0 && b->median == 1 && b->mean == 0 &&
	       b->stddev == 2);
	ASSERT_EQ(mmb_rbench_center(r, b)->real_ns, 2000);
	/* the gate: one sample from the median, with a warning */
	ASSERT_OK(mmb_compare(r, r, &defaults, &c));
	ASSERT_EQ(c->nrows, 1);
	ASSERT_EQ(c->rows[0].old_med, 2000);
	ASSERT(c->rows[0].verdict == MMB_VERDICT_TOO_FEW);
	ASSERT(c->nwarnings >= 1 && strstr(c->warnings[0], "only aggregates"));
	mmb_comparison_free(c);
	mmb_results_free(r);
	/* the report: the median's numbers, the stddev's spread */
	ASSERT_OK(th_report_load(DATA "/gbench-aggregates-only.json", &s, err,
				 sizeof(err)));
	ASSERT_EQ(s.nb, 1);
	ASSERT_EQ(s.b[0].ops_per_s, 500000);
	ASSERT_EQ(s.b[0].ops_stddev, 20000);
	ASSERT_EQ(s.b[0].real_time_ns, 2000);
	ASSERT_EQ(s.b[0].faults, 6);
	mmb_report_results_free(&s);
	return 0;
}

/* Every consumer reads a results file of version 1 (no schema_version),
 * as mmbench 471cb8c wrote it: the library, then each command. */
TEST_IMPL(load_v1_everywhere)
{
	static const char v1[] = DATA "/v1-run.json";
	char *dir = th_tmpdir("reports"), out[512], errf[512], base[512];
	struct mmb_results *r;
	struct mmb_comparison *c;
	struct mmb_report_results s;
	char err[512];

	ASSERT(dir);
	ASSERT_OK(mmb_results_load(v1, &r));
	ASSERT_EQ(r->schema_version, 1);
	ASSERT(mmb_results_find(r, "random-4k/mmap-window"));
	ASSERT_OK(mmb_compare(r, r, &defaults, &c));
	ASSERT_EQ(c->nrows, 3);
	ASSERT(!c->regression && c->rows[0].verdict == MMB_VERDICT_SAME);
	mmb_comparison_free(c);
	mmb_results_free(r);
	ASSERT_OK(th_report_load(v1, &s, err, sizeof(err)));
	ASSERT_EQ(s.nb, 3);
	ASSERT(s.b[1].ops_per_s > 0 && s.b[1].nreps == 5 && s.b[1].nhist > 0);
	mmb_report_results_free(&s);
#ifdef MMB_MMBENCH
	snprintf(errf, sizeof(errf), "%s/err", dir);
	snprintf(base, sizeof(base), "%s/base.json", dir);
	{
		const char *argv[] = {MMB_MMBENCH, "compare", v1, v1, NULL};
		ASSERT_EQ(th_run(argv, NULL, errf, NULL, 60), 0);
	}
	{
		const char *argv[] = {MMB_MMBENCH, "baseline", "save",
				      v1,	   base,       NULL};
		ASSERT_EQ(th_run(argv, NULL, errf, NULL, 60), 0);
	}
	{
		const char *argv[] = {MMB_MMBENCH, "baseline", "check",
				      base,	   v1,	       NULL};
		ASSERT_EQ(th_run(argv, NULL, errf, NULL, 60), 0);
	}
	if (th_in_path("gnuplot")) {
		snprintf(out, sizeof(out), "%s/rep", dir);
		const char *argv[] = {MMB_MMBENCH, "report", v1,
				      "-o",	   out,	     NULL};
		ASSERT_EQ(th_run(argv, NULL, errf, NULL, 120), 0);
		snprintf(out, sizeof(out), "%s/rep/index.html", dir);
		ASSERT(th_contains(out, "mmap-window"));
	}
#else
	(void)out;
	(void)errf;
	(void)base;
#endif
	th_tmpdir_free(dir);
	return 0;
}

struct bad_json {
	const char *text, *why;
};

static const struct bad_json bad_json[] = {
    {"[1 2]", "line 1, column 4: expected ','"},
    {"{\"a\" 1}", "line 1, column 5: expected ':'"},
    {"{\"a\": 1,}", "line 1, column 8"},
    {"[1,]", "line 1, column 3"},
    {"{a: 1}", "line 1, column 2: expected a string key"},
    {"[01]", "line 1, column 2"},
    {"[1.]", "line 1, column 2"},
    {"[nan]", "line 1, column 2"},
    {"[\"a\tb\"]", "line 1, column 4: control character in a string"},
    {"[\"\\x\"]", "line 1, column 2"},
    {"[\"\\u12\"]", "line 1, column 2"},
    {"\n\n  [true, fals]", "line 3, column 10"},
    {"{\"a\": [1, 2}", "line 1, column 12"},
    {"[\"a\": 1]", "line 1, column 5: a string is not a key here"},
    {"{\"a\": 1}}", "line 1, column 9"},
    {"hello, world", "line 1, column 1"},
    {"[1] [2]", "unexpected data after the JSON value at line 1, column 5"},
    {"[1] ,", "unexpected data after the JSON value at line 1, column 5"},
    {"{\"a\": [1, 2", "input ends early (truncated?)"},
    {"{\"a\": \"xy", "input ends early (truncated?)"},
};

TEST_IMPL(load_json_syntax)
{
	struct mmb_rval v;
	char deep[400];

	for (size_t i = 0; i < sizeof(bad_json) / sizeof(*bad_json); i++) {
		int rc = mmb_json_parse("t.json", bad_json[i].text,
					strlen(bad_json[i].text), &v);
		const char *msg = mmb_last_error()->call;

		mmb_rval_clear(&v);
		if (rc != MMB_EPARSE || strncmp(msg, "t.json: ", 8) != 0 ||
		    !strstr(msg, bad_json[i].why) || strchr(msg, '\n')) {
			fprintf(stderr, "%s: rc %d, \"%s\", want \"%s\"\n",
				bad_json[i].text, rc, msg, bad_json[i].why);
			return 1;
		}
	}
	/* NUL bytes, and nesting deeper than the loader follows */
	ASSERT_EQ(mmb_json_parse("t.json", "[1,\0 2]", 7, &v), MMB_EPARSE);
	ASSERT(strstr(mmb_last_error()->call, "column 4: NUL byte"));
	mmb_rval_clear(&v);
	memset(deep, '[', 200);
	memset(deep + 200, ']', 200);
	ASSERT_EQ(mmb_json_parse("t.json", deep, sizeof(deep), &v), MMB_EPARSE);
	ASSERT(strstr(mmb_last_error()->call, "nested too deep"));
	mmb_rval_clear(&v);
	/* what Google Benchmark writes and strict JSON lacks */
	static const char gb[] = "{\"a\": NaN, \"b\": -Infinity, \"c\": "
				 "[Infinity, -0.5e-3, 1E2, 0]}";
	ASSERT_OK(mmb_json_parse("t.json", gb, strlen(gb), &v));
	ASSERT(isnan(mmb_rval_get(&v, "a")->num));
	ASSERT(mmb_rval_get(&v, "b")->num == -INFINITY);
	const struct mmb_rval *arr = mmb_rval_get(&v, "c");
	ASSERT(mmb_rval_at(arr, 0)->num == INFINITY);
	ASSERT(mmb_rval_at(arr, 1)->num == -0.5e-3);
	ASSERT(mmb_rval_at(arr, 2)->num == 100);
	ASSERT(strcmp(mmb_rval_at(arr, 2)->text, "1E2") == 0);
	ASSERT(mmb_rval_at(arr, 4) == NULL);
	mmb_rval_clear(&v);
	return 0;
}

TEST_IMPL(load_json_strings)
{
	static const char js[] =
	    "[\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\", \"\\u00e9\\u2713\", "
	    "\"\\ud83d\\ude00\", \"\\ud83d!\", \"\\ude00\", \"a\\u0000b\", "
	    "\"\xc3\xa9 raw\"]";
	static const char *const want[] = {
	    "q\"b\\s/n\nt\tr\rb\bf\f",
	    "\xc3\xa9\xe2\x9c\x93",
	    "\xf0\x9f\x98\x80",
	    "\xef\xbf\xbd!", /* a lone surrogate is U+FFFD */
	    "\xef\xbf\xbd",
	    "a\xef\xbf\xbd"
	    "b", /* and so is NUL: strings stay C strings */
	    "\xc3\xa9 raw",
	};
	struct mmb_rval v;

	ASSERT_OK(mmb_json_parse("s", js, strlen(js), &v));
	ASSERT_EQ(v.nkid, sizeof(want) / sizeof(*want));
	for (size_t i = 0; i < v.nkid; i++) {
		if (v.kid[i].type != MMB_RT_STRING ||
		    strcmp(v.kid[i].text, want[i]) != 0) {
			fprintf(stderr, "string %zu: \"%s\"\n", i,
				v.kid[i].text);
			mmb_rval_clear(&v);
			return 1;
		}
	}
	mmb_rval_clear(&v);
	return 0;
}

/* Every prefix of a real results file (a run killed mid-write) and every
 * single-byte corruption of its start is refused with one line, never
 * accepted half-read and never a crash (run under ASan by test.sh). */
TEST_IMPL(load_truncated_and_corrupt)
{
	static const char junk[] = "{}[],:\"\\0-eE.x\n";
	size_t len, bad = 0;
	char *text = th_slurp(DATA "/v1-run.json", &len);
	struct mmb_rval v;

	ASSERT(text && len > 1000);
	for (size_t n = 0; n < len - 2; n += 1 + n / 64) {
		int rc = mmb_json_parse("t", text, n, &v);
		const char *msg = mmb_last_error()->call;

		mmb_rval_clear(&v);
		if (rc != MMB_EPARSE || strchr(msg, '\n') ||
		    (n > 0 && !strstr(msg, "(truncated?)")))
			bad++;
	}
	ASSERT_EQ(bad, 0);
	free(text);
	/* corruptions: the smaller Google Benchmark file, every 3rd byte;
	 * what still parses goes through the whole loader and the report
	 * summary too */
	char *dir = th_tmpdir("reports"), p[512];
	ASSERT(dir);
	snprintf(p, sizeof(p), "%s/c.json", dir);
	text = th_slurp(DATA "/gbench-complexity.json", &len);
	ASSERT(text);
	for (size_t i = 0; i < len; i += 3) {
		char saved = text[i];

		for (size_t k = 0; k < sizeof(junk) - 1; k++) {
			struct mmb_report_results s;
			char err[512];

			text[i] = junk[k];
			int rc = mmb_json_parse("t", text, len, &v);
			mmb_rval_clear(&v);
			ASSERT(rc == 0 || rc == MMB_EPARSE);
			if (rc)
				continue;
			ASSERT_OK(th_write(p, text, len));
			rc = th_report_load(p, &s, err, sizeof(err));
			ASSERT(rc == 0 || rc == MMB_EPARSE);
			if (rc == 0)
				mmb_report_results_free(&s);
		}
		text[i] = saved;
	}
	free(text);
	th_tmpdir_free(dir);
	return 0;
}

/* What is not a regular file is refused before it is opened, and so is
 * a file over the size cap: neither can hang or fill memory. */
TEST_IMPL(load_not_regular)
{
	char *dir = th_tmpdir("reports"), p[512];
	struct mmb_results *r;
	int fd;

	ASSERT(dir);
	snprintf(p, sizeof(p), "%s/fifo", dir);
	ASSERT_OK(mkfifo(p, 0600));
	ASSERT_EQ(mmb_results_load(p, &r), MMB_EPARSE);
	ASSERT(strstr(mmb_last_error()->call, "not a regular file"));
	ASSERT(strncmp(mmb_last_error()->call, p, strlen(p)) == 0);
	ASSERT_EQ(mmb_results_load("/dev/zero", &r), MMB_EPARSE);
	ASSERT(strstr(mmb_last_error()->call,
		      "/dev/zero: not a regular file (a device, FIFO or "
		      "socket)"));
	/* sparse: takes no space */
	snprintf(p, sizeof(p), "%s/huge.json", dir);
	fd = open(p, O_WRONLY | O_CREAT, 0600);
	ASSERT(fd >= 0);
	ASSERT_OK(ftruncate(fd, (off_t)MMB_RESULTS_MAX_BYTES + 1));
	close(fd);
	ASSERT_EQ(mmb_results_load(p, &r), MMB_EPARSE);
	ASSERT(strstr(mmb_last_error()->call, "larger than 256 MiB"));
	th_tmpdir_free(dir);
	return 0;
}

TEST_IMPL(load_schema_version)
{
	struct mmb_results *r;

	ASSERT_OK(mmb_results_load(DATA "/v2-minimal.json", &r));
	ASSERT_EQ(r->schema_version, 2);
	ASSERT_EQ(r->ntop, 0);
	mmb_results_free(r);
	ASSERT_EQ(mmb_results_load(DATA "/bad-schema-version.json", &r),
		  MMB_EPARSE);
	ASSERT(strstr(mmb_last_error()->call,
		      "bad-schema-version.json: schema_version is not a "
		      "positive integer"));
	return 0;
}

/* mmb_results_write: a loaded file written back loads to the same model,
 * integers to the last digit. */
TEST_IMPL(load_write_back)
{
	char *dir = th_tmpdir("reports"), p[512];
	struct mmb_results *a, *b;

	ASSERT(dir);
	snprintf(p, sizeof(p), "%s/back.json", dir);
	ASSERT_OK(mmb_results_load(DATA "/v1-run.json", &a));
	ASSERT_OK(mmb_results_write(a, p));
	ASSERT_OK(mmb_results_load(p, &b));
	ASSERT_EQ(b->schema_version, 1); /* not claimed: no new keys */
	ASSERT_EQ(a->nctx, b->nctx);
	ASSERT_EQ(a->ne, b->ne);
	ASSERT_EQ(a->nb, b->nb);
	for (size_t i = 0; i < a->nctx; i++)
		ASSERT(strcmp(a->ctx[i].key, b->ctx[i].key) == 0 &&
		       strcmp(a->ctx[i].text, b->ctx[i].text) == 0);
	for (size_t i = 0; i < a->ne; i++) {
		ASSERT_EQ(a->e[i].nkv, b->e[i].nkv);
		for (size_t k = 0; k < a->e[i].nkv; k++)
			ASSERT(strcmp(a->e[i].kv[k].text, b->e[i].kv[k].text) ==
				   0 ||
			       a->e[i].kv[k].num == b->e[i].kv[k].num);
		ASSERT_EQ(a->e[i].nhist, b->e[i].nhist);
	}
	mmb_results_free(a);
	mmb_results_free(b);
	th_tmpdir_free(dir);
	return 0;
}

/* The sweep merge: names WL/BE/PARAM:VALUE[_AGG], sweep_value on every
 * entry, the context's sweep_param and sweep_values, every other key of
 * every entry kept. */
TEST_IMPL(load_merge)
{
	static const char v1[] = DATA "/v1-run.json";
	const char *files[2] = {v1, v1};
	static const uint64_t vals[2] = {1 << 20, 4 << 20};
	char *dir = th_tmpdir("reports"), p[512];
	struct mmb_results *in, *m;
	const struct mmb_rval *sv, *pa;

	ASSERT(dir);
	snprintf(p, sizeof(p), "%s/merged.json", dir);
	ASSERT_OK(mmb_results_merge(files, 2, "window", vals, NULL, false, p));
	ASSERT_OK(mmb_results_load(v1, &in));
	ASSERT_OK(mmb_results_load(p, &m));
	ASSERT_EQ(m->schema_version, MMB_RESULTS_SCHEMA_VERSION);
	ASSERT_EQ(m->ne, 2 * in->ne);
	ASSERT_EQ(m->nb, 2 * in->nb);
	pa = mmb_results_ctx(m, "sweep_param");
	ASSERT(pa && strcmp(pa->text, "window") == 0);
	sv = mmb_results_ctx(m, "sweep_values");
	ASSERT(sv && sv->nkid == 2 && sv->kid[1].num == 4 << 20);
	ASSERT(!mmb_results_ctx(m, "partial"));
	ASSERT(mmb_results_find(m, "random-4k/mmap/window:4194304"));
	for (size_t i = 0; i < m->ne; i++) {
		const struct mmb_rentry *e = &m->e[i], *o = &in->e[i % in->ne];
		const char *agg = o->aggregate;
		char want[256];

		snprintf(want, sizeof(want), "%s/window:%llu%s%s",
			 in->b[o->bench].name,
			 (unsigned long long)vals[i / in->ne], agg ? "_" : "",
			 agg ? agg : "");
		ASSERT(strcmp(e->name, want) == 0);
		ASSERT_EQ(mmb_rentry_num(e, "sweep_value"), vals[i / in->ne]);
		ASSERT_EQ(e->nkv, o->nkv + 1);
	}
	mmb_results_free(m);
	/* an experiment: names kept, "experiment", "partial" */
	ASSERT_OK(mmb_results_merge(files, 1, NULL, NULL, "cidr22", true, p));
	ASSERT_OK(mmb_results_load(p, &m));
	ASSERT(strcmp(mmb_results_ctx(m, "experiment")->text, "cidr22") == 0);
	ASSERT(mmb_results_ctx(m, "partial")->type == MMB_RT_BOOL);
	ASSERT(strcmp(m->e[0].name, in->e[0].name) == 0);
	ASSERT_EQ(m->nb, in->nb);
	mmb_results_free(m);
	/* the same file twice under the same names repeats every entry:
	 * refused on loading, not merged into twice the repetitions */
	ASSERT_OK(mmb_results_merge(files, 2, NULL, NULL, "cidr22", true, p));
	ASSERT_EQ(mmb_results_load(p, &m), MMB_EPARSE);
	ASSERT(strstr(mmb_last_error()->call, "duplicates"));
	mmb_results_free(in);
	/* a bad input: the loader's message, nothing written */
	snprintf(p, sizeof(p), "%s/other.json", dir);
	files[1] = "/nonexistent.json";
	ASSERT_EQ(mmb_results_merge(files, 2, NULL, NULL, NULL, false, p),
		  MMB_ENOENT);
	ASSERT(!th_exists(p));
	th_tmpdir_free(dir);
	return 0;
}

/* Version 2 files carry the run's options in the context: a sweep over
 * --window is found from context "window"; their command lines are not
 * parsed (they are for version 1, report_sweep_command_line). */
TEST_IMPL(load_report_window_key)
{
	NEED_GNUPLOT();
	static const double win[] = {4 << 20, 1 << 20};
	char *dir = th_tmpdir("reports"), in[2][512], out[512], p[1024];
	const char *files[2] = {in[0], in[1]};

	ASSERT(dir);
	for (int i = 0; i < 2; i++) {
		struct mmb_results *r;

		ASSERT_OK(mmb_results_load(DATA "/basic.json", &r));
		r->schema_version = 2;
		ASSERT_OK(mmb_results_ctx_set_num(r, "window", win[i]));
		snprintf(in[i], sizeof(in[i]), "%s/w%d.json", dir, i);
		ASSERT_OK(mmb_results_write(r, in[i]));
		mmb_results_free(r);
	}
	snprintf(out, sizeof(out), "%s/rep", dir);
	ASSERT_OK(th_report(files, 2, out));
	snprintf(p, sizeof(p), "%s/plots/sweep.gp", out);
	ASSERT(th_contains(p, "set xtics ('1 MiB' 1048576, '4 MiB' 4194304)"));
	snprintf(p, sizeof(p), "%s/index.html", out);
	ASSERT(th_contains(p, "Sweep over <code>window</code>"));
	th_tmpdir_free(dir);
	return 0;
}
