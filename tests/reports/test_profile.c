/* SPDX-License-Identifier: MIT */
/* test_profile.c - the report of a results file with --profile and kernel
 * events (data/profile.json, a real `mmbench run -b
 * pread,mmap,pread-direct --profile --size 16M --ops 20000 --reps 2`):
 * where the time went, its stacked bars, the top functions, the kernel
 * events table and the inline flame graphs; the flame graphs also from the
 * folded stacks beside a file that holds none. What the page must show is
 * read from the fixture itself through the loader. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "mmbench/kevents.h"
#include "mmbench/profile.h"
#include "mmbench/report.h"
#include "test.h"

#define DATA MMB_REPORTS_DATA

static const char *const profile_json[] = {DATA "/profile.json"};

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL;
	     p += strlen(needle))
		n++;
	return n;
}

static const struct mmb_rval *median_obj(const struct mmb_report_results *r,
					 size_t i, const char *key)
{
	const struct mmb_rentry *e = mmb_rbench_center(r->res, &r->res->b[i]);
	const struct mmb_rval *v = e ? mmb_rentry_get(e, key) : NULL;

	return v && v->type == MMB_RT_OBJECT ? v : NULL;
}

static int has(const char *html, const char *needle)
{
	if (strstr(html, needle))
		return 1;
	fprintf(stderr, "index.html lacks: %s\n", needle);
	return 0;
}

/* Render the fixture; *html is index.html's text. */
static int render(const char *const *files, char **dir, char **html)
{
	char out[512], p[1024];

	*dir = th_tmpdir("reports");
	if (!*dir)
		return -1;
	snprintf(out, sizeof(out), "%s/rep", *dir);
	if (th_report(files, 1, out) != 0)
		return -1;
	snprintf(p, sizeof(p), "%s/index.html", out);
	*html = th_slurp(p, NULL);
	return *html ? 0 : -1;
}

TEST_IMPL(report_profile_page)
{
	NEED_GNUPLOT();
	struct mmb_report_results r;
	const struct mmb_rval *why;
	char err[512], needle[512], *dir, *html;
	size_t nprof = 0, rows = 0;

	ASSERT_OK(th_report_load(profile_json[0], &r, err, sizeof(err)));
	ASSERT_OK(render(profile_json, &dir, &html));

	/* The verdict's "where the time went", with the breakdown. */
	why = mmb_report_ctx_get(&r, "verdict_why");
	ASSERT(why && why->type == MMB_RT_STRING);
	ASSERT(has(html, "<h3>Where the time went</h3>\n<p class=\"why\">"));
	{
		const char *t = why->text + strlen("Where the time went: ");
		size_t n = strcspn(t, "(%");

		snprintf(needle, sizeof(needle), "%.*s", (int)n, t);
		ASSERT(has(html, needle));
	}
	ASSERT_EQ(count(html, "<svg class=\"breakdown\""), 1);

	for (size_t i = 0; i < r.nb; i++) {
		const struct mmb_rval *p = median_obj(&r, i, "profile");
		const struct mmb_rval *cats, *top;
		double sum = 0;

		if (!p)
			continue;
		nprof++;
		/* A segment (with its share in its <title>) per category
		 * the backend spent time in, and a legend entry. */
		cats = mmb_rval_get(p, "categories");
		ASSERT(cats);
		for (unsigned c = 0; c < MMB_PROF__COUNT; c++) {
			const struct mmb_rval *v =
			    mmb_rval_get(cats, mmb_prof_category_key(c));

			ASSERT(v && v->type == MMB_RT_NUMBER);
			sum += v->num;
			if (v->num < 0.001)
				continue;
			snprintf(needle, sizeof(needle),
				 "<g><title>%s: %s %.1f%%</title>", r.b[i].name,
				 mmb_prof_category_key(c), v->num * 100);
			ASSERT(has(html, needle));
			snprintf(needle, sizeof(needle), ">%s</text></g>",
				 mmb_prof_category_key(c));
			ASSERT(has(html, needle));
		}
		ASSERT(fabs(sum - 1) < 0.01);
		/* Its top functions, in order. */
		top = mmb_rval_get(p, "top_functions");
		ASSERT(top && top->type == MMB_RT_ARRAY && top->nkid > 0);
		snprintf(needle, sizeof(needle),
			 "<th colspan=\"2\">%s: top functions</th>",
			 r.b[i].name);
		ASSERT(has(html, needle));
		{
			const char *at = strstr(html, needle);

			for (size_t k = 0; k < top->nkid; k++) {
				const struct mmb_rval *fn =
				    mmb_rval_get(&top->kid[k], "function");

				snprintf(needle, sizeof(needle),
					 "<td>%zu</td><td class=\"fn\"><code>%s"
					 "</code>",
					 k + 1, fn->text);
				at = strstr(at, needle);
				ASSERT(at);
			}
		}
		/* Its flame graph, inline. */
		snprintf(needle, sizeof(needle),
			 "<figure class=\"flame\"><svg version=\"1.1\"");
		ASSERT(has(html, needle));
		snprintf(needle, sizeof(needle), ">%s: on-CPU samples (",
			 r.b[i].name);
		ASSERT(has(html, needle));
	}
	ASSERT_EQ(nprof, 3);
	ASSERT_EQ(count(html, "<figure class=\"flame\"><svg "), nprof);
	ASSERT(has(html, "<h3>Flame graphs</h3>"));
	/* The flame graphs and the bars come after the tables, the flame
	 * graphs after the plots. */
	ASSERT(strstr(html, "Throughput and latency") <
	       strstr(html, "<svg class=\"breakdown\""));
	ASSERT(strstr(html, "<h3>Plots</h3>") <
	       strstr(html, "<h3>Flame graphs</h3>"));

	/* Kernel events: a row for each event some backend counted a
	 * non-zero value of or that could not be counted (with the
	 * reason); the all-zero ones only named below. */
	ASSERT(has(html, "<h3>Kernel events</h3>"));
	for (unsigned k = 0; k < MMB_KEV__COUNT; k++) {
		const struct mmb_kevent_def *d = mmb_kevent_def(k);
		int nonzero = 0, unavailable = 0;

		for (size_t i = 0; i < r.nb; i++) {
			const struct mmb_rval *ev =
			    median_obj(&r, i, "kernel_events");
			const struct mmb_rval *v =
			    ev ? mmb_rval_get(ev, d->key) : NULL;

			if (!v)
				continue;
			if (v->type == MMB_RT_NUMBER)
				nonzero |= v->num != 0;
			else {
				const struct mmb_rval *why = mmb_rval_get(
				    median_obj(&r, i,
					       "kernel_events_unavailable"),
				    d->key);

				ASSERT(why && why->type == MMB_RT_STRING);
				snprintf(needle, sizeof(needle),
					 "unavailable: %.400s", why->text);
				ASSERT(has(html, needle));
				unavailable = 1;
			}
		}
		snprintf(needle, sizeof(needle), "><code>%s</code></td>",
			 d->key);
		if (nonzero || unavailable) {
			ASSERT(has(html, needle));
			rows++;
		} else {
			const char *zero =
			    strstr(html, "Zero for every backend");

			ASSERT(!strstr(html, needle));
			ASSERT(zero);
			snprintf(needle, sizeof(needle), "<code>%s</code>",
				 d->key);
			ASSERT(has(zero, needle));
		}
	}
	ASSERT(rows > 3);
	/* pread-direct's block requests: the count as the table writes it. */
	ASSERT(has(html, "<code>block_rq_issue_bytes</code>"));

	/* Self-contained: nothing fetched, no script, no XML prolog inside
	 * the page, one µs spelling. */
	ASSERT(!strstr(html, "http://") && !strstr(html, "https://"));
	ASSERT(!strstr(html, "<script") && !strstr(html, "<?xml"));
	ASSERT(!strstr(html, " us/op") && !strstr(html, ">us/op<"));
	free(html);
	mmb_report_results_free(&r);
	th_tmpdir_free(dir);
	return 0;
}

/* A results file without "folded_stacks" (mmbench before the key): the
 * flame graphs come from the .folded files `mmbench run --profile --json`
 * writes beside it; a missing one is said, not silently left out. */
TEST_IMPL(report_profile_folded_beside)
{
	NEED_GNUPLOT();
	struct mmb_results *res;
	char *dir = th_tmpdir("reports"), json[512], out[512], p[1024];
	const char *files[1] = {json};
	char *html;
	size_t nfolded = 0;

	ASSERT(dir);
	ASSERT_OK(mmb_results_load(profile_json[0], &res));
	snprintf(json, sizeof(json), "%s/old.json", dir);
	for (size_t e = 0; e < res->ne; e++) {
		struct mmb_rval *prof = NULL;

		for (size_t k = 0; k < res->e[e].nkv; k++)
			if (strcmp(res->e[e].kv[k].key, "profile") == 0)
				prof = &res->e[e].kv[k];
		for (size_t k = 0; prof && k < prof->nkid; k++) {
			struct mmb_rval *fs = &prof->kid[k];

			if (strcmp(fs->key, "folded_stacks") != 0)
				continue;
			snprintf(p, sizeof(p), "%s/old.%s.folded", dir,
				 res->b[res->e[e].bench].backend);
			ASSERT_OK(th_write(p, fs->text, strlen(fs->text)));
			fs->key[0] = 'X'; /* the loader keeps what it does
					     not know */
			nfolded++;
		}
	}
	ASSERT_EQ(nfolded, 3);
	ASSERT_OK(mmb_results_write(res, json));
	mmb_results_free(res);
	ASSERT(!th_contains(json, "\"folded_stacks\""));

	snprintf(out, sizeof(out), "%s/rep", dir);
	ASSERT_OK(th_report(files, 1, out));
	snprintf(p, sizeof(p), "%s/index.html", out);
	html = th_slurp(p, NULL);
	ASSERT(html);
	ASSERT_EQ(count(html, "<figure class=\"flame\"><svg "), 3);
	ASSERT(!strstr(html, "No flame graph"));
	free(html);

	snprintf(p, sizeof(p), "%s/old.mmap.folded", dir);
	ASSERT_OK(unlink(p));
	ASSERT_OK(th_report(files, 1, out));
	snprintf(p, sizeof(p), "%s/index.html", out);
	html = th_slurp(p, NULL);
	ASSERT(html);
	ASSERT_EQ(count(html, "<figure class=\"flame\"><svg "), 2);
	ASSERT(has(html, "No flame graph for 1 profiled backend:"));
	free(html);
	th_tmpdir_free(dir);
	return 0;
}

/* A file without profiles or kernel events (basic.json) has none of
 * these sections. */
TEST_IMPL(report_profile_absent)
{
	NEED_GNUPLOT();
	const char *const files[] = {DATA "/basic.json"};
	char *dir, *html;

	ASSERT_OK(render(files, &dir, &html));
	ASSERT(!strstr(html, "Where the time went"));
	ASSERT(!strstr(html, "Kernel events"));
	ASSERT(!strstr(html, "Flame graphs"));
	ASSERT(!strstr(html, "<svg"));
	free(html);
	th_tmpdir_free(dir);
	return 0;
}
