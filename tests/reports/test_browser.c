/* SPDX-License-Identifier: MIT */
/* test_browser.c - the page as a browser renders it: headless Chromium
 * takes a screenshot and dumps the DOM of index.html. */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "mmbench/report.h"
#include "test.h"

#define DATA MMB_REPORTS_DATA

static int chromium_size(const char *profile, const char *mode, const char *url,
			 const char *out, const char *size)
{
	char udd[640]; /* "--user-data-dir=" + a profile path of up to 599 */
	const char *argv[] = {"chromium",
			      "--headless",
			      "--no-sandbox",
			      "--disable-gpu",
			      "--disable-quic",
			      "--no-first-run",
			      "--disable-background-networking",
			      "--disable-component-update",
			      "--disable-sync",
			      udd,
			      mode,
			      size,
			      url,
			      NULL};

	snprintf(udd, sizeof(udd), "--user-data-dir=%s", profile);
	/* --dump-dom writes to stdout; --screenshot=FILE writes the file. */
	return th_run(argv, strcmp(mode, "--dump-dom") == 0 ? out : NULL, NULL,
		      NULL, 90);
}

static int chromium(const char *profile, const char *mode, const char *url,
		    const char *out)
{
	return chromium_size(profile, mode, url, out,
			     "--window-size=1200,2000");
}

/* Distinct byte values in the compressed image data: a one-colour
 * screenshot compresses to a few, a page of text and plots to ~256. */
static int distinct_bytes(const char *path)
{
	size_t len, n = 0;
	unsigned char *s = (unsigned char *)th_slurp(path, &len);
	int seen[256] = {0};

	if (!s)
		return 0;
	for (size_t i = 0; i < len; i++)
		seen[s[i]] = 1;
	free(s);
	for (size_t i = 0; i < 256; i++)
		n += (size_t)seen[i];
	return (int)n;
}

TEST_IMPL(report_chromium)
{
	NEED_GNUPLOT();
	static const char *const dom_needles[] = {
	    "<title>mmbench report: random-4k</title>",
	    "Throughput and latency",
	    "410,000",
	    "421,500",
	    "1679.4",
	    "9.80",
	    "1,234",
	    "mmap-hugetlb",
	    "mmap is fastest",
	    "src=\"plots/latency.png\"",
	};
	const char *const files[] = {DATA "/basic.json"};
	char *dir, out[512], url[1200], prof[600], shot[600], blank[600],
	    page[600], dom[600];
	long size_blank, size_shot;
	int distinct;

	if (!th_in_path("chromium"))
		SKIP("chromium is not installed (scripts/deps.sh browser)");
	dir = th_tmpdir("reports");
	ASSERT(dir);
	snprintf(out, sizeof(out), "%s/rep", dir);
	ASSERT_OK(th_report(files, 1, out));
	snprintf(prof, sizeof(prof), "%s/profile", dir);

	/* The reference: an empty page, same window. */
	snprintf(page, sizeof(page), "%s/blank.html", dir);
	ASSERT_OK(th_write(page, "<!DOCTYPE html><title>blank</title>\n", 36));
	snprintf(blank, sizeof(blank), "--screenshot=%s/blank.png", dir);
	snprintf(url, sizeof(url), "file://%s", page);
	ASSERT_EQ(chromium(prof, blank, url, NULL), 0);
	snprintf(blank, sizeof(blank), "%s/blank.png", dir);

	snprintf(shot, sizeof(shot), "--screenshot=%s/shot.png", dir);
	snprintf(url, sizeof(url), "file://%s/index.html", out);
	ASSERT_EQ(chromium(prof, shot, url, NULL), 0);
	snprintf(shot, sizeof(shot), "%s/shot.png", dir);

	ASSERT(th_is_png(blank, 100));
	ASSERT(th_is_png(shot, 20000));
	size_blank = th_size(blank);
	size_shot = th_size(shot);
	distinct = distinct_bytes(shot);
	fprintf(stderr,
		"screenshot %ld bytes (empty page %ld), %d distinct "
		"byte values\n",
		size_shot, size_blank, distinct);
	ASSERT(size_shot > 10 * size_blank);
	ASSERT(distinct > 200);

	snprintf(dom, sizeof(dom), "%s/dom.html", dir);
	ASSERT_EQ(chromium(prof, "--dump-dom", url, dom), 0);
	for (size_t i = 0; i < sizeof(dom_needles) / sizeof(*dom_needles); i++)
		ASSERT(th_contains(dom, dom_needles[i]));

	if (getenv("MMB_KEEP_SCREENSHOT")) {
		fprintf(stderr, "kept %s\n", shot);
	} else {
		th_rmtree(dir);
	}
	free(dir);
	return 0;
}

/* The page of a file with --profile and kernel events as the browser
 * lays it out: the screenshot of the whole page is not blank, and the
 * DOM holds the breakdown, the kernel events and three inline flame
 * graphs (an inline SVG the parser did not take as SVG would be text). */
TEST_IMPL(report_chromium_profile)
{
	NEED_GNUPLOT();
	const char *const files[] = {DATA "/profile.json"};
	char *dir, out[512], url[1200], prof[600], shot[600], dom[600], *d;
	size_t nsvg = 0;

	if (!th_in_path("chromium"))
		SKIP("chromium is not installed (scripts/deps.sh browser)");
	dir = th_tmpdir("reports");
	ASSERT(dir);
	snprintf(out, sizeof(out), "%s/rep", dir);
	ASSERT_OK(th_report(files, 1, out));
	snprintf(prof, sizeof(prof), "%s/profile", dir);
	snprintf(url, sizeof(url), "file://%s/index.html", out);
	snprintf(shot, sizeof(shot), "--screenshot=%s/shot.png", dir);
	ASSERT_EQ(
	    chromium_size(prof, shot, url, NULL, "--window-size=1280,2400"), 0);
	snprintf(shot, sizeof(shot), "%s/shot.png", dir);
	ASSERT(th_is_png(shot, 50000));
	ASSERT(distinct_bytes(shot) > 200);

	snprintf(dom, sizeof(dom), "%s/dom.html", dir);
	ASSERT_EQ(chromium(prof, "--dump-dom", url, dom), 0);
	ASSERT(th_contains(dom, "<h3>Where the time went</h3>"));
	ASSERT(th_contains(dom, "<svg class=\"breakdown\""));
	ASSERT(th_contains(dom, "<h3>Kernel events</h3>"));
	ASSERT(th_contains(dom, "<h3>Flame graphs</h3>"));
	d = th_slurp(dom, NULL);
	ASSERT(d);
	for (const char *p = d;
	     (p = strstr(p, "<figure class=\"flame\"><svg ")); p++)
		nsvg++;
	free(d);
	ASSERT_EQ(nsvg, 3);
	if (getenv("MMB_KEEP_SCREENSHOT"))
		fprintf(stderr, "kept %s\n", shot);
	else
		th_rmtree(dir);
	free(dir);
	return 0;
}
