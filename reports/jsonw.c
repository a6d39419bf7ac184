/* SPDX-License-Identifier: MIT */
/* jsonw.c - the streaming JSON writer of jsonw.h: pretty-printed, exact
 * integers, round-trippable doubles, always valid UTF-8. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "mmb/error.h"
#include "mmbench/result.h" /* mmb_write_file_atomic */

void mmb__jw_init(struct mmb__jw *w)
{
	memset(w, 0, sizeof(*w));
}

static void fail(struct mmb__jw *w, int code, int os, const char *what)
{
	if (!w->err)
		w->err = mmb_seterr(code, os, "%s", what);
}

static void put(struct mmb__jw *w, const char *s, size_t n)
{
	if (w->err)
		return;
	if (w->len + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		while (cap < w->len + n + 1)
			cap *= 2;
		char *p = realloc(w->p, cap);
		if (!p) {
			fail(w, MMB_ENOMEM, ENOMEM,
			     "JSON writer: out of memory");
			return;
		}
		w->p = p;
		w->cap = cap;
	}
	memcpy(w->p + w->len, s, n);
	w->len += n;
	w->p[w->len] = 0;
}

static void puts_(struct mmb__jw *w, const char *s)
{
	put(w, s, strlen(s));
}

static void newline(struct mmb__jw *w, unsigned depth)
{
	static const char tabs[MMB__JW_DEPTH + 1] = "\t\t\t\t\t\t\t\t"
						    "\t\t\t\t\t\t\t\t";
	put(w, "\n", 1);
	put(w, tabs, depth);
}

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), 0 when s starts an invalid one. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/* The two-character escapes of RFC 8259; other control bytes are \u00XX. */
static const char *const short_esc[] = {
    ['"'] = "\\\"", ['\\'] = "\\\\", ['\b'] = "\\b", ['\f'] = "\\f",
    ['\n'] = "\\n", ['\r'] = "\\r",  ['\t'] = "\\t",
};

static void quoted(struct mmb__jw *w, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	char esc[8];

	put(w, "\"", 1);
	while (*s) {
		const unsigned char *run = s;
		/* Copy the longest stretch that needs no escaping at once. */
		while (*s >= 0x20 && *s != '"' && *s != '\\') {
			size_t n = utf8_len(s);
			if (!n)
				break;
			s += n;
		}
		put(w, (const char *)run, (size_t)(s - run));
		if (!*s)
			break;
		if (*s < sizeof(short_esc) / sizeof(short_esc[0]) &&
		    short_esc[*s]) {
			puts_(w, short_esc[*s]);
		} else if (*s < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", *s);
			puts_(w, esc);
		} else {
			/* A byte no valid UTF-8 sequence starts here. */
			puts_(w, "\\ufffd");
		}
		s++;
	}
	put(w, "\"", 1);
}

/* Separator, indentation and key before a value; 0 when the value may
 * follow, -1 when it is misplaced (recorded). */
static int member(struct mmb__jw *w, const char *key)
{
	if (w->err)
		return -1;
	if (!w->depth) {
		if (key || w->top_done) {
			fail(w, MMB_EINVAL, 0,
			     key ? "JSON writer: key outside an object"
				 : "JSON writer: second top-level value");
			return -1;
		}
		w->top_done = true;
		return 0;
	}
	struct mmb__jw_level *l = &w->lv[w->depth - 1];
	if (l->object != (key != NULL)) {
		fail(w, MMB_EINVAL, 0,
		     key ? "JSON writer: key inside an array"
			 : "JSON writer: object member without a key");
		return -1;
	}
	if (l->n++)
		puts_(w, l->inline_ ? ", " : ",");
	if (!l->inline_)
		newline(w, w->depth);
	if (key) {
		quoted(w, key);
		puts_(w, ": ");
	}
	return 0;
}

static void open_(struct mmb__jw *w, const char *key, bool object, bool inline_)
{
	if (member(w, key) < 0)
		return;
	if (w->depth == MMB__JW_DEPTH) {
		fail(w, MMB_EINVAL, 0, "JSON writer: nested too deep");
		return;
	}
	/* Inside a one-line array everything stays on that line. */
	if (w->depth && w->lv[w->depth - 1].inline_)
		inline_ = true;
	w->lv[w->depth].object = object;
	w->lv[w->depth].inline_ = inline_;
	w->lv[w->depth].n = 0;
	w->depth++;
	puts_(w, object ? "{" : "[");
}

void mmb__jw_object(struct mmb__jw *w, const char *key)
{
	open_(w, key, true, false);
}

void mmb__jw_array(struct mmb__jw *w, const char *key)
{
	open_(w, key, false, false);
}

void mmb__jw_array_inline(struct mmb__jw *w, const char *key)
{
	open_(w, key, false, true);
}

void mmb__jw_end(struct mmb__jw *w)
{
	if (w->err)
		return;
	if (!w->depth) {
		fail(w, MMB_EINVAL, 0, "JSON writer: end with nothing open");
		return;
	}
	w->depth--;
	if (w->lv[w->depth].n && !w->lv[w->depth].inline_)
		newline(w, w->depth);
	puts_(w, w->lv[w->depth].object ? "}" : "]");
}

void mmb__jw_string(struct mmb__jw *w, const char *key, const char *s)
{
	if (member(w, key) == 0)
		quoted(w, s ? s : "");
}

void mmb__jw_int(struct mmb__jw *w, const char *key, int64_t v)
{
	char b[24];

	if (member(w, key) == 0) {
		snprintf(b, sizeof(b), "%" PRId64, v);
		puts_(w, b);
	}
}

void mmb__jw_uint(struct mmb__jw *w, const char *key, uint64_t v)
{
	char b[24];

	if (member(w, key) == 0) {
		snprintf(b, sizeof(b), "%" PRIu64, v);
		puts_(w, b);
	}
}

void mmb__jw_double(struct mmb__jw *w, const char *key, double v)
{
	char b[40];

	if (member(w, key) < 0)
		return;
	if (!isfinite(v)) {
		puts_(w, "null");
		return;
	}
	/* The fewest digits that read back as the same double; 17 always
	 * do. */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(b, sizeof(b), "%.*g", prec, v);
		if (strtod(b, NULL) == v)
			break;
	}
	puts_(w, b);
}

void mmb__jw_bool(struct mmb__jw *w, const char *key, bool v)
{
	if (member(w, key) == 0)
		puts_(w, v ? "true" : "false");
}

void mmb__jw_null(struct mmb__jw *w, const char *key)
{
	if (member(w, key) == 0)
		puts_(w, "null");
}

int mmb__jw_finish(struct mmb__jw *w, char **text, size_t *len)
{
	int rc;

	if (!w->err && (w->depth || !w->top_done))
		fail(w, MMB_EINVAL, 0,
		     w->depth ? "JSON writer: unclosed object or array"
			      : "JSON writer: empty document");
	/* A trailing newline, like every text file. */
	put(w, "\n", 1);
	rc = w->err;
	if (rc) {
		free(w->p);
		*text = NULL;
	} else {
		*text = w->p;
		*len = w->len;
	}
	mmb__jw_init(w);
	return rc;
}

int mmb__jw_write(struct mmb__jw *w, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	int rc = mmb__jw_finish(w, &text, &len);

	if (rc < 0)
		return rc;
	rc = mmb_write_file_atomic(path, text, len);
	free(text);
	return rc;
}
