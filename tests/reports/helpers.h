/* SPDX-License-Identifier: MIT */
/* helpers.h - files, processes and checks shared by the report tests. */
#ifndef MMB_TEST_REPORTS_HELPERS_H
#define MMB_TEST_REPORTS_HELPERS_H

#include <stddef.h>

#include "testutil.h"

/* Whether path is a PNG (magic bytes) / an SVG ("<svg" ... "</svg>") of
 * at least min_size bytes; prints why not. */
int th_is_png(const char *path, long min_size);
int th_is_svg(const char *path, long min_size);
/* Whether dir holds an entry whose name starts with prefix. */
int th_has_entry_prefix(const char *dir, const char *prefix);
/* Whether an executable named name is in PATH. */
int th_in_path(const char *name);
/* 1234567.4 -> "1,234,567" as index.html writes ops/s. */
void th_fmt_int(double v, char *buf, size_t n);

/* mmb_report_write(files, n, out), its message on stderr when it fails.
 * Returns its code. */
int th_report(const char *const *files, int n, const char *out);

struct mmb_report_results;
/* mmb_results_load() and mmb_report_summarize() of path into *r; the
 * loader's one-line message in err on failure. Returns 0 or its code. */
int th_report_load(const char *path, struct mmb_report_results *r, char *err,
		   size_t errlen);

/* Rendering needs gnuplot (package gnuplot-nox, scripts/deps.sh report). */
#define NEED_GNUPLOT()                                            \
	do {                                                      \
		if (!th_in_path("gnuplot"))                       \
			SKIP("gnuplot is not installed (package " \
			     "gnuplot-nox)");                     \
	} while (0)

#endif
