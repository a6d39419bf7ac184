/* SPDX-License-Identifier: MIT */
/* jsonw.h - a small streaming JSON writer (internal to reports/).
 *
 * Every JSON mmbench writes goes through it (results files in json.c and
 * results_merge.c, the comparison in compare_out.c), on both platforms;
 * the one reader is results_load.c.
 * Values are appended in order into a growing buffer, pretty-printed with
 * one member per line and a tab per level; an array opened with
 * mmb__jw_array_inline() is written on one line (histogram pairs).
 *
 * Inside an object every value takes a key; at the top level and inside
 * an array the key must be NULL. Errors (out of memory, a key where none
 * belongs or the reverse, nesting deeper than MMB__JW_DEPTH, an end with
 * nothing open) are sticky: the calls after one do nothing, and
 * mmb__jw_finish() reports it. Not thread-safe; one writer per thread.
 *
 * Numbers: integers are printed exactly (all 64 bits); doubles in the
 * shortest of %.15g, %.16g and %.17g that reads back to the same value;
 * NaN and the infinities, which JSON cannot hold, as null. Strings are
 * escaped (quote, backslash, control characters); valid UTF-8 passes
 * through and each byte of an invalid sequence becomes U+FFFD, so the
 * output is always valid JSON. */
#ifndef MMB_REPORTS_JSONW_H
#define MMB_REPORTS_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MMB__JW_DEPTH 16

struct mmb__jw_level {
	bool object; /* else array */
	bool inline_;
	unsigned n; /* values written so far */
};

struct mmb__jw {
	char *p; /* owned until mmb__jw_finish() hands it over */
	size_t len, cap;
	int err; /* 0, or the first MMB_E* */
	unsigned depth;
	struct mmb__jw_level lv[MMB__JW_DEPTH];
	bool top_done; /* the top-level value is written */
};

/* An empty writer; never fails (memory is taken on first write). */
void mmb__jw_init(struct mmb__jw *w);

void mmb__jw_object(struct mmb__jw *w, const char *key);
void mmb__jw_array(struct mmb__jw *w, const char *key);
void mmb__jw_array_inline(struct mmb__jw *w, const char *key);
/* Closes the innermost open object or array. */
void mmb__jw_end(struct mmb__jw *w);

void mmb__jw_string(struct mmb__jw *w, const char *key, const char *s);
void mmb__jw_int(struct mmb__jw *w, const char *key, int64_t v);
void mmb__jw_uint(struct mmb__jw *w, const char *key, uint64_t v);
void mmb__jw_double(struct mmb__jw *w, const char *key, double v);
void mmb__jw_bool(struct mmb__jw *w, const char *key, bool v);
void mmb__jw_null(struct mmb__jw *w, const char *key);

/* Hands over the document, with a trailing newline and NUL-terminated,
 * in *text (the caller frees it) and its length without the NUL in *len,
 * and returns 0. When a call failed, a container is still open or nothing
 * was written, returns the negative MMB_E* with the reason recorded
 * (mmb_errmsg) and sets *text to NULL. The writer is empty afterwards
 * either way. */
int mmb__jw_finish(struct mmb__jw *w, char **text, size_t *len);

/* mmb__jw_finish(), then the document written to path atomically
 * (mmb_write_file_atomic). Returns 0 or the negative MMB_E* (recorded). */
int mmb__jw_write(struct mmb__jw *w, const char *path);

#endif
