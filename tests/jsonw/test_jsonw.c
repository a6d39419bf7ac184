/* SPDX-License-Identifier: MIT */
/* test_jsonw.c - the streaming JSON writer: escaping, numbers, nesting and
 * misuse, each read back with the results loader's parser; and a results
 * file written through it and loaded. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmbench/results.h"

#include "jsonw.h"
#include "mmb/error.h"
#include "mmbench/result.h"
#include "test.h"

/* The text parsed by the loader's parser into *doc (0 on success). */
static int parse(const char *text, struct mmb_rval *doc)
{
	return mmb_json_parse("jsonw", text, strlen(text), doc);
}

static const char *str(const struct mmb_rval *o, const char *k)
{
	const struct mmb_rval *v = mmb_rval_get(o, k);
	return v && v->type == MMB_RT_STRING ? v->text : NULL;
}

/* The document, or NULL with the writer's code in *rc. */
static char *finish(struct mmb__jw *w, int *rc)
{
	char *text;
	size_t len;

	*rc = mmb__jw_finish(w, &text, &len);
	if (*rc == 0 && strlen(text) != len)
		*rc = -1;
	return text;
}

TEST_IMPL(jsonw_escaping)
{
	static const char raw[] = "q\"b\\s/n\nt\tr\rb\bf\f\x01\x1f\x7f"
				  " é ✓ 😀";
	static const char bad[] = "a\xff"
				  "b\xc0\xaf"
				  "c\xed\xa0\x80"
				  "d\xe2\x9c";
	struct mmb__jw w;
	int rc;

	mmb__jw_init(&w);
	mmb__jw_object(&w, NULL);
	mmb__jw_string(&w, "raw", raw);
	mmb__jw_string(&w, "bad", bad);
	mmb__jw_string(&w, "k\"ey", "v");
	mmb__jw_string(&w, "null", NULL);
	mmb__jw_end(&w);
	char *text = finish(&w, &rc);
	ASSERT_OK(rc);
	/* Escapes as JSON spells them; valid UTF-8 and DEL unchanged. */
	ASSERT(strstr(text, "\"q\\\"b\\\\s/n\\nt\\tr\\rb\\bf\\f\\u0001\\u001f"
			    "\x7f é ✓ 😀\""));
	/* Every byte of an invalid sequence (stray, overlong, surrogate,
	 * truncated) is U+FFFD. */
	ASSERT(strstr(text, "\"a\\ufffdb\\ufffd\\ufffdc\\ufffd\\ufffd\\ufffd"
			    "d\\ufffd\\ufffd\""));
	for (const char *c = text; *c; c++)
		ASSERT((unsigned char)*c >= 0x20 || *c == '\n' || *c == '\t');

	struct mmb_rval doc;
	ASSERT_OK(parse(text, &doc));
	ASSERT(strcmp(str(&doc, "raw"), raw) == 0);
	ASSERT(strcmp(str(&doc, "bad"), "a\xef\xbf\xbd"
					"b\xef\xbf\xbd\xef\xbf\xbd"
					"c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
					"d\xef\xbf\xbd\xef\xbf\xbd") == 0);
	ASSERT(strcmp(str(&doc, "k\"ey"), "v") == 0);
	ASSERT(strcmp(str(&doc, "null"), "") == 0);
	mmb_rval_clear(&doc);
	free(text);
	return 0;
}

TEST_IMPL(jsonw_numbers)
{
	static const double d[] = {
	    0.1,      1.0 / 3, 1e300, -2.5e-308, 5e-324, 123456789.123456789,
	    63931.35, 1e21,    -0.0,  4096};
	const unsigned nd = sizeof(d) / sizeof(d[0]);
	struct mmb__jw w;
	int rc;

	mmb__jw_init(&w);
	mmb__jw_object(&w, NULL);
	mmb__jw_double(&w, "nan", NAN);
	mmb__jw_double(&w, "inf", INFINITY);
	mmb__jw_double(&w, "ninf", -INFINITY);
	mmb__jw_int(&w, "imin", INT64_MIN);
	mmb__jw_int(&w, "imax", INT64_MAX);
	mmb__jw_uint(&w, "umax", UINT64_MAX);
	mmb__jw_uint(&w, "odd", (1ull << 53) + 1);
	mmb__jw_array(&w, "d");
	for (unsigned i = 0; i < nd; i++)
		mmb__jw_double(&w, NULL, d[i]);
	mmb__jw_end(&w);
	mmb__jw_end(&w);
	char *text = finish(&w, &rc);
	ASSERT_OK(rc);
	ASSERT(strstr(text, "\"nan\": null,"));
	ASSERT(strstr(text, "\"inf\": null,"));
	ASSERT(strstr(text, "\"ninf\": null,"));
	/* Integers to the last digit, beyond a double's 53 bits. */
	ASSERT(strstr(text, "\"imin\": -9223372036854775808,"));
	ASSERT(strstr(text, "\"imax\": 9223372036854775807,"));
	ASSERT(strstr(text, "\"umax\": 18446744073709551615,"));
	ASSERT(strstr(text, "\"odd\": 9007199254740993,"));
	/* Shortest form when it reads back exactly. */
	ASSERT(strstr(text, "\t0.1,\n"));
	ASSERT(strstr(text, "\t63931.35,\n"));
	ASSERT(strstr(text, "\t4096\n"));

	struct mmb_rval doc;
	ASSERT_OK(parse(text, &doc));
	ASSERT(mmb_rval_get(&doc, "nan")->type == MMB_RT_NULL);
	ASSERT(mmb_rval_get(&doc, "inf")->type == MMB_RT_NULL);
	const struct mmb_rval *arr = mmb_rval_get(&doc, "d");
	ASSERT_EQ(arr->nkid, nd);
	/* Every double reads back bit for bit (-0.0 == 0.0 aside). */
	for (unsigned i = 0; i < nd; i++) {
		double got = mmb_rval_at(arr, i)->num;
		if (got != d[i]) {
			fprintf(stderr, "d[%u]: wrote %.17g, read %.17g\n", i,
				d[i], got);
			return 1;
		}
	}
	mmb_rval_clear(&doc);
	free(text);
	return 0;
}

TEST_IMPL(jsonw_nested)
{
	static const char want[] = "{\n"
				   "\t\"a\": [\n"
				   "\t\t{\n"
				   "\t\t\t\"x\": 1,\n"
				   "\t\t\t\"y\": [],\n"
				   "\t\t\t\"z\": {}\n"
				   "\t\t},\n"
				   "\t\t[1, [true, null], {\"k\": false}]\n"
				   "\t],\n"
				   "\t\"b\": true\n"
				   "}\n";
	struct mmb__jw w;
	int rc;

	mmb__jw_init(&w);
	mmb__jw_object(&w, NULL);
	mmb__jw_array(&w, "a");
	mmb__jw_object(&w, NULL);
	mmb__jw_int(&w, "x", 1);
	mmb__jw_array(&w, "y");
	mmb__jw_end(&w);
	mmb__jw_object(&w, "z");
	mmb__jw_end(&w);
	mmb__jw_end(&w);
	/* Inside a one-line array everything stays on the line. */
	mmb__jw_array_inline(&w, NULL);
	mmb__jw_uint(&w, NULL, 1);
	mmb__jw_array(&w, NULL);
	mmb__jw_bool(&w, NULL, true);
	mmb__jw_null(&w, NULL);
	mmb__jw_end(&w);
	mmb__jw_object(&w, NULL);
	mmb__jw_bool(&w, "k", false);
	mmb__jw_end(&w);
	mmb__jw_end(&w);
	mmb__jw_end(&w);
	mmb__jw_bool(&w, "b", true);
	mmb__jw_end(&w);
	char *text = finish(&w, &rc);
	ASSERT_OK(rc);
	if (strcmp(text, want) != 0) {
		fprintf(stderr, "got:\n%swant:\n%s", text, want);
		return 1;
	}
	struct mmb_rval doc;
	ASSERT_OK(parse(text, &doc));
	const struct mmb_rval *a = mmb_rval_get(&doc, "a");
	ASSERT_EQ(a->nkid, 2);
	ASSERT_EQ(mmb_rval_get(mmb_rval_at(a, 0), "x")->num, 1);
	const struct mmb_rval *row = mmb_rval_at(a, 1);
	ASSERT_EQ(row->nkid, 3);
	ASSERT(mmb_rval_at(mmb_rval_at(row, 1), 1)->type == MMB_RT_NULL);
	const struct mmb_rval *k = mmb_rval_get(mmb_rval_at(row, 2), "k");
	ASSERT(k->type == MMB_RT_BOOL && k->num == 0);
	mmb_rval_clear(&doc);
	free(text);

	/* As deep as MMB__JW_DEPTH, and one more is refused. */
	mmb__jw_init(&w);
	for (int i = 0; i < MMB__JW_DEPTH; i++)
		mmb__jw_array(&w, NULL);
	for (int i = 0; i < MMB__JW_DEPTH; i++)
		mmb__jw_end(&w);
	text = finish(&w, &rc);
	ASSERT_OK(rc);
	ASSERT_OK(parse(text, &doc));
	mmb_rval_clear(&doc);
	free(text);
	mmb__jw_init(&w);
	for (int i = 0; i <= MMB__JW_DEPTH; i++)
		mmb__jw_array(&w, NULL);
	ASSERT(finish(&w, &rc) == NULL);
	ASSERT_EQ(rc, MMB_EINVAL);
	return 0;
}

TEST_IMPL(jsonw_misuse)
{
	struct mmb__jw w;
	int rc;

	/* A key inside an array. */
	mmb__jw_init(&w);
	mmb__jw_array(&w, NULL);
	mmb__jw_int(&w, "k", 1);
	mmb__jw_end(&w);
	ASSERT(finish(&w, &rc) == NULL);
	ASSERT_EQ(rc, MMB_EINVAL);
	ASSERT(strstr(mmb_last_error()->call, "key inside an array"));
	/* No key inside an object. */
	mmb__jw_init(&w);
	mmb__jw_object(&w, NULL);
	mmb__jw_int(&w, NULL, 1);
	mmb__jw_end(&w);
	ASSERT(finish(&w, &rc) == NULL);
	ASSERT_EQ(rc, MMB_EINVAL);
	/* Left open. */
	mmb__jw_init(&w);
	mmb__jw_object(&w, NULL);
	ASSERT(finish(&w, &rc) == NULL);
	ASSERT_EQ(rc, MMB_EINVAL);
	ASSERT(strstr(mmb_last_error()->call, "unclosed"));
	/* Closed once too often, and a second top-level value. */
	mmb__jw_init(&w);
	mmb__jw_object(&w, NULL);
	mmb__jw_end(&w);
	mmb__jw_end(&w);
	ASSERT(finish(&w, &rc) == NULL);
	ASSERT_EQ(rc, MMB_EINVAL);
	mmb__jw_init(&w);
	mmb__jw_int(&w, NULL, 1);
	mmb__jw_int(&w, NULL, 2);
	ASSERT(finish(&w, &rc) == NULL);
	ASSERT_EQ(rc, MMB_EINVAL);
	/* Nothing at all. */
	mmb__jw_init(&w);
	ASSERT(finish(&w, &rc) == NULL);
	ASSERT_EQ(rc, MMB_EINVAL);
	/* A bare scalar is a document. */
	mmb__jw_init(&w);
	mmb__jw_string(&w, NULL, "x");
	char *text = finish(&w, &rc);
	ASSERT_OK(rc);
	ASSERT(strcmp(text, "\"x\"\n") == 0);
	free(text);
	return 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = 0;
		}
	}
	fclose(f);
	return buf;
}

/* mmb_report_json() through the writer: a metric that could not be
 * measured is null, 64-bit context values are exact, the histogram is
 * pairs, and the file is whole with no temp file beside it. */
TEST_IMPL(jsonw_results_file)
{
	char dir[] = "/tmp/mmb-jsonw-XXXXXX", path[64], bad[96];
	struct mmb_rep rep[1];
	struct mmb_hist hist = {0};
	struct mmb_backend_result b = {.name = "mmap", .nreps = 1};
	struct mmb_run_result *r = calloc(1, sizeof(*r));
	int rc = 1;

	ASSERT(r);
	if (!mkdtemp(dir)) {
		free(r);
		SKIP("mkdtemp(%s) failed", dir);
	}
	for (unsigned k = 0; k < MMB_M__COUNT; k++)
		rep[0].m[k] = k;
	rep[0].m[MMB_M_MAJOR_FAULTS] = NAN;
	rep[0].checksum = 0x0123456789abcdefull;
	b.reps = rep;
	b.mean = b.median = b.stddev = rep[0];
	mmb_hist_add(&hist, 100);
	mmb_hist_add(&hist, 100);
	mmb_hist_add(&hist, 5000);
	b.hist = &hist;
	b.lat.p50 = 100;
	b.lat.max = 5000;
	snprintf(r->workload, sizeof(r->workload), "random-4k");
	snprintf(r->env.host_name, sizeof(r->env.host_name), "h\"ost");
	r->env.memory_bytes = (1ull << 60) + 3;
	r->env.read_ahead_kb = -1;
	r->seed = UINT64_MAX;
	r->reps = 1;
	r->nbackends = 1;
	r->b = &b;
	snprintf(path, sizeof(path), "%s/r.json", dir);

	ASSERT_OK(mmb_report_json(r, path));
	char *text = slurp(path);
	struct mmb_results *doc = NULL;
	if (!text || mmb_results_load(path, &doc) < 0)
		goto out;
	if (!strstr(text, "\"memory_bytes\": 1152921504606846979,") ||
	    !strstr(text, "\"seed\": 18446744073709551615,") ||
	    !strstr(text, "\"major_faults\": null,") ||
	    !strstr(text, "{\n\t\"schema_version\": 2,\n\t\"context\": {")) {
		fprintf(stderr,
			"64-bit values, null or schema_version not as "
			"written:\n%s",
			text);
		goto out;
	}
	const struct mmb_rval *ra = mmb_results_ctx(doc, "read_ahead_kb");
	if (doc->schema_version != MMB_RESULTS_SCHEMA_VERSION ||
	    strcmp(mmb_results_ctx(doc, "host_name")->text, "h\"ost") != 0 ||
	    ra->type != MMB_RT_STRING || strcmp(ra->text, "unavailable") != 0 ||
	    doc->ne != 5) {
		fprintf(stderr, "context or benchmarks wrong:\n%s", text);
		goto out;
	}
	const struct mmb_rentry *med = &doc->e[2];
	if (strcmp(med->name, "random-4k/mmap_median") != 0 ||
	    med->nhist != 2 || med->hist[0].count != 2 ||
	    med->hist[1].upper_ns != 5000 ||
	    strcmp(mmb_rentry_str(med, "checksum"), "0x0123456789abcdef") !=
		0) {
		fprintf(stderr, "median entry wrong:\n%s", text);
		goto out;
	}
	/* An unwritable path: an error, and nothing left behind. */
	snprintf(bad, sizeof(bad), "%s/no-such-dir/r.json", dir);
	if (mmb_report_json(r, bad) != MMB_ENOENT) {
		fprintf(stderr, "write to %s did not fail with ENOENT\n", bad);
		goto out;
	}
	rc = 0;
out:
	mmb_results_free(doc);
	free(text);
	free(r);
	unlink(path);
	/* Fails, and the test with it, if a temp file was left. */
	if (rmdir(dir) != 0) {
		fprintf(stderr, "rmdir(%s): a temp file was left\n", dir);
		rc = 1;
	}
	return rc;
}
