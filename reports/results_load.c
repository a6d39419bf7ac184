/* SPDX-License-Identifier: MIT */
/* results_load.c - the one loader of results files (mmbench/results.h).
 *
 * Input is untrusted: the file is checked (regular, at most
 * MMB_RESULTS_MAX_BYTES) before it is read, tokenized with jsmn in its
 * non-strict mode (so Google Benchmark's bare NaN and Infinity pass), and
 * every token is then checked here: jsmn alone accepts "[1 2]" and
 * "hello", so the separators between tokens and each primitive's grammar
 * are verified before anything is built. Strings and numbers are decoded
 * here too (escapes, \uXXXX with surrogate pairs; strtod with '.' as the
 * decimal point whatever the locale). Every problem is one line that
 * starts with the path. Portable C: no POSIX beyond stat(). */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Each token knows its parent: without, jsmn finds the parent of what
 * follows a closing bracket by scanning back over every token before it,
 * and 100,000 benchmarks took minutes. */
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#include "mmbench/result.h" /* mmb_read_file */
#include "mmbench/results.h"
#include "escape.h"
#include "nameidx.h"

#define MAX_DEPTH 64

/* ---- small helpers ------------------------------------------------------ */

static char *xstrndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int only_space(const char *p, const char *end)
{
	for (; p < end; p++)
		if (!is_space(*p))
			return 0;
	return 1;
}

static void line_col(const char *buf, size_t at, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < at; i++) {
		if (buf[i] == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

/* ---- reading the file --------------------------------------------------- */

static int too_big(const char *path)
{
	return mmb_seterr(MMB_EPARSE, 0,
			  "%s: larger than %zu MiB, not a results file", path,
			  MMB_RESULTS_MAX_BYTES >> 20);
}

static int read_input(const char *path, char **buf, size_t *len)
{
	const struct mmb_errctx *e;
	struct stat st;
	int rc;

	if (!path || !*path)
		return mmb_seterr(MMB_EINVAL, 0, "empty input path");
	/* Checked before opening: a FIFO would block the open, /dev/zero
	 * would never end. */
	if (stat(path, &st) != 0) {
		rc = errno ? errno : EIO;
		return mmb_seterr(-rc, rc, "%s: cannot open", path);
	}
	if (!S_ISREG(st.st_mode))
		return mmb_seterr(MMB_EPARSE, 0,
				  "%s: not a regular file (%s), not a results "
				  "file",
				  path,
				  S_ISDIR(st.st_mode) ? "a directory"
						      : "a device, FIFO or "
							"socket");
	if ((unsigned long long)st.st_size > MMB_RESULTS_MAX_BYTES)
		return too_big(path);
	if ((rc = mmb_read_file(path, buf, len)) < 0) {
		/* The loader's wording: the path first. */
		e = mmb_last_error();
		if (rc == MMB_ENOMEM)
			return mmb_seterr(rc, ENOMEM, "%s: out of memory",
					  path);
		return mmb_seterr(rc, e->os_error,
				  strncmp(e->call, "open(", 5) == 0
				      ? "%s: cannot open"
				      : "%s: read failed",
				  path);
	}
	if (*len > MMB_RESULTS_MAX_BYTES) { /* it grew since stat() */
		free(*buf);
		return too_big(path);
	}
	return 0;
}

/* ---- from tokens to values ---------------------------------------------- */

struct parse {
	const char *path;
	const char *js;
	size_t len;
	jsmntok_t *t;
	int nt;
	int i; /* next token */
};

static int syntax(const struct parse *p, size_t at, const char *what)
{
	int line, col;

	line_col(p->js, at, &line, &col);
	return mmb_seterr(MMB_EPARSE, 0,
			  "%s: invalid JSON at line %d, column %d%s%s", p->path,
			  line, col, what ? ": " : "", what ? what : "");
}

static size_t tok_begin(const jsmntok_t *t)
{
	return (size_t)t->start - (t->type == JSMN_STRING);
}

static size_t tok_end(const jsmntok_t *t)
{
	return (size_t)t->end + (t->type == JSMN_STRING);
}

/* Only blanks, then one sep (if sep), then blanks in [from, to). */
static int gap(const struct parse *p, size_t from, size_t to, char sep)
{
	size_t i = from;

	while (i < to && is_space(p->js[i]))
		i++;
	if (sep) {
		if (i == to || p->js[i] != sep)
			return syntax(
			    p, i, sep == ':' ? "expected ':'" : "expected ','");
		i++;
		while (i < to && is_space(p->js[i]))
			i++;
	}
	if (i != to)
		return syntax(p, i, NULL);
	return 0;
}

static void put_utf8(char **o, unsigned long c)
{
	unsigned char *u = (unsigned char *)*o;

	if (c < 0x80) {
		*u++ = (unsigned char)c;
	} else if (c < 0x800) {
		*u++ = (unsigned char)(0xc0 | (c >> 6));
		*u++ = (unsigned char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		*u++ = (unsigned char)(0xe0 | (c >> 12));
		*u++ = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		*u++ = (unsigned char)(0x80 | (c & 0x3f));
	} else {
		*u++ = (unsigned char)(0xf0 | (c >> 18));
		*u++ = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
		*u++ = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		*u++ = (unsigned char)(0x80 | (c & 0x3f));
	}
	*o = (char *)u;
}

static int hex4(const char *s, unsigned long *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return -1;
		*v = *v * 16 + (unsigned long)d;
	}
	return 0;
}

/* Decode the string token t (its bytes between the quotes). A lone
 * surrogate and \u0000 become U+FFFD: the model's strings are C strings. */
static int decode_string(const struct parse *p, const jsmntok_t *t, char **out)
{
	const char *s = p->js + t->start, *end = p->js + t->end;
	/* Escapes never grow: \uXXXX (6 bytes) is at most 4 of UTF-8, a
	 * surrogate pair (12) 4. */
	char *o = malloc((size_t)(end - s) + 1), *w = o;

	if (!o)
		return MMB_ENOMEM;
	while (s < end) {
		unsigned long c, lo;

		if ((unsigned char)*s < 0x20) {
			free(o);
			return syntax(p, (size_t)(s - p->js),
				      "control character in a string");
		}
		if (*s != '\\') {
			*w++ = *s++;
			continue;
		}
		s++; /* jsmn checked that an escape follows */
		switch (*s++) {
		case '"':
			*w++ = '"';
			break;
		case '\\':
			*w++ = '\\';
			break;
		case '/':
			*w++ = '/';
			break;
		case 'b':
			*w++ = '\b';
			break;
		case 'f':
			*w++ = '\f';
			break;
		case 'n':
			*w++ = '\n';
			break;
		case 'r':
			*w++ = '\r';
			break;
		case 't':
			*w++ = '\t';
			break;
		case 'u':
			if (end - s < 4 || hex4(s, &c) < 0) {
				free(o);
				return syntax(p, (size_t)(s - p->js),
					      "bad \\u escape");
			}
			s += 4;
			if (c >= 0xd800 && c <= 0xdbff && end - s >= 6 &&
			    s[0] == '\\' && s[1] == 'u' &&
			    hex4(s + 2, &lo) == 0 && lo >= 0xdc00 &&
			    lo <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				s += 6;
			} else if ((c >= 0xd800 && c <= 0xdfff) || c == 0) {
				c = 0xfffd;
			}
			put_utf8(&w, c);
			break;
		default:
			free(o);
			return syntax(p, (size_t)(s - 1 - p->js), "bad escape");
		}
	}
	*w = '\0';
	*out = o;
	return 0;
}

/* JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int is_json_number(const char *s, size_t n)
{
	size_t i = 0;

	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && s[i] >= '1' && s[i] <= '9')
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return 0;
	if (i < n && s[i] == '.') {
		if (++i == n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i == n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i == n;
}

/* strtod of a JSON number whatever LC_NUMERIC says. */
static double c_strtod(const char *s, size_t n)
{
	const char *dp = localeconv()->decimal_point;
	char buf[512];

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (dp && dp[0] && dp[0] != '.' && !dp[1]) {
		char *dot = strchr(buf, '.');
		if (dot)
			*dot = dp[0];
	}
	return strtod(buf, NULL);
}

static int primitive(const struct parse *p, const jsmntok_t *t,
		     struct mmb_rval *v)
{
	const char *s = p->js + t->start;
	size_t n = (size_t)(t->end - t->start);

#define IS(lit) (n == sizeof(lit) - 1 && memcmp(s, lit, n) == 0)
	if (IS("null")) {
		v->type = MMB_RT_NULL;
		v->num = NAN;
	} else if (IS("true") || IS("false")) {
		v->type = MMB_RT_BOOL;
		v->num = s[0] == 't';
	} else if (IS("NaN")) {
		v->type = MMB_RT_NUMBER;
		v->num = NAN;
	} else if (IS("Infinity")) {
		v->type = MMB_RT_NUMBER;
		v->num = INFINITY;
	} else if (IS("-Infinity")) {
		v->type = MMB_RT_NUMBER;
		v->num = -INFINITY;
	} else if (is_json_number(s, n)) {
		v->type = MMB_RT_NUMBER;
		v->num = c_strtod(s, n);
	} else {
		return syntax(p, (size_t)t->start, NULL);
	}
#undef IS
	v->text = xstrndup(s, n);
	return v->text ? 0 : MMB_ENOMEM;
}

/* The text of [from, to) without blanks outside strings. */
static char *compact(const char *s, size_t from, size_t to)
{
	char *o = malloc(to - from + 1), *w = o;
	int in_str = 0;

	if (!o)
		return NULL;
	for (size_t i = from; i < to; i++) {
		char c = s[i];

		if (in_str) {
			*w++ = c;
			if (c == '\\' && i + 1 < to)
				*w++ = s[++i];
			else if (c == '"')
				in_str = 0;
		} else if (!is_space(c)) {
			*w++ = c;
			in_str = c == '"';
		}
	}
	*w = '\0';
	return o;
}

void mmb_rval_clear(struct mmb_rval *v)
{
	for (size_t i = 0; i < v->nkid; i++)
		mmb_rval_clear(&v->kid[i]);
	free(v->kid);
	free(v->key);
	free(v->text);
	memset(v, 0, sizeof(*v));
}

/* Build v from the token at p->i (and everything it contains). */
static int value(struct parse *p, struct mmb_rval *v, int depth)
{
	const jsmntok_t *t = &p->t[p->i++];
	size_t prev_end;
	int rc;

	v->num = NAN;
	if (depth > MAX_DEPTH)
		return syntax(p, tok_begin(t), "nested too deep");
	switch (t->type) {
	case JSMN_PRIMITIVE:
		return primitive(p, t, v);
	case JSMN_STRING:
		if (t->size)
			return syntax(p, tok_end(t),
				      "a string is not a key "
				      "here");
		v->type = MMB_RT_STRING;
		return decode_string(p, t, &v->text);
	case JSMN_OBJECT:
	case JSMN_ARRAY:
		break;
	default:
		return syntax(p, tok_begin(t), NULL);
	}
	v->type = t->type == JSMN_OBJECT ? MMB_RT_OBJECT : MMB_RT_ARRAY;
	if (t->size > 0) {
		v->kid = calloc((size_t)t->size, sizeof(*v->kid));
		if (!v->kid)
			return MMB_ENOMEM;
	}
	prev_end = (size_t)t->start + 1;
	for (int k = 0; k < t->size; k++) {
		struct mmb_rval *kid = &v->kid[v->nkid++];
		const jsmntok_t *kt = &p->t[p->i];

		kid->num = NAN;
		if ((rc = gap(p, prev_end, tok_begin(kt), k ? ',' : 0)) < 0)
			return rc;
		if (v->type == MMB_RT_OBJECT) {
			if (kt->type != JSMN_STRING)
				return syntax(p, tok_begin(kt),
					      "expected a string key");
			if (kt->size != 1)
				return syntax(p, tok_end(kt), "expected ':'");
			if ((rc = decode_string(p, kt, &kid->key)) < 0)
				return rc;
			p->i++;
			if ((rc = gap(p, tok_end(kt), tok_begin(&p->t[p->i]),
				      ':')) < 0)
				return rc;
		}
		const jsmntok_t *vt = &p->t[p->i];

		if ((rc = value(p, kid, depth + 1)) < 0)
			return rc;
		prev_end = tok_end(vt);
	}
	if ((rc = gap(p, prev_end, (size_t)t->end - 1, 0)) < 0)
		return rc;
	v->text = compact(p->js, (size_t)t->start, (size_t)t->end);
	return v->text ? 0 : MMB_ENOMEM;
}

int mmb_json_parse(const char *path, const char *js, size_t len,
		   struct mmb_rval *root)
{
	struct parse p = {.path = path, .js = js, .len = len};
	jsmn_parser jp;
	const char *nul = memchr(js, '\0', len);
	int n, rc;

	memset(root, 0, sizeof(*root));
	if (nul)
		return syntax(&p, (size_t)(nul - js), "NUL byte");
	jsmn_init(&jp);
	n = jsmn_parse(&jp, js, len, NULL, 0);
	if (n > 0) {
		p.t = malloc((size_t)n * sizeof(*p.t));
		if (!p.t)
			return mmb_seterr(MMB_ENOMEM, ENOMEM,
					  "%s: out of memory", path);
		jsmn_init(&jp);
		n = jsmn_parse(&jp, js, len, p.t, (unsigned)n);
	}
	if (n < 0) {
		size_t at = jp.pos < len ? jp.pos : len;

		rc =
		    syntax(&p, at,
			   /* cut short: a string or a bracket left open */
			   n == JSMN_ERROR_PART || only_space(js + at, js + len)
			       ? "input ends early (truncated?)"
			       : NULL);
		goto out;
	}
	p.nt = n;
	if (n == 0) {
		rc = syntax(&p, strspn(js, " \t\r\n"), NULL);
		goto out;
	}
	if ((rc = gap(&p, 0, tok_begin(&p.t[0]), 0)) < 0)
		goto out;
	rc = value(&p, root, 0);
	if (rc == 0) {
		size_t at = tok_end(&p.t[0]);

		while (at < len && is_space(js[at]))
			at++;
		if (p.i < p.nt || at < len) {
			int line, col;

			line_col(js, at, &line, &col);
			rc = mmb_seterr(MMB_EPARSE, 0,
					"%s: unexpected data after the JSON "
					"value at line %d, column %d",
					path, line, col);
		}
	}
out:
	if (rc == MMB_ENOMEM)
		rc = mmb_seterr(MMB_ENOMEM, ENOMEM, "%s: out of memory", path);
	free(p.t);
	return rc;
}

/* ---- from values to the model ------------------------------------------- */

/* The member named key of the n members at kv (a context, an entry or an
 * object), or NULL. */
static const struct mmb_rval *find_key(const struct mmb_rval *kv, size_t n,
				       const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return &kv[i];
	return NULL;
}

const struct mmb_rval *mmb_rval_get(const struct mmb_rval *o, const char *k)
{
	return o && o->type == MMB_RT_OBJECT ? find_key(o->kid, o->nkid, k)
					     : NULL;
}

const struct mmb_rval *mmb_rval_at(const struct mmb_rval *a, size_t i)
{
	return a && a->type == MMB_RT_ARRAY && i < a->nkid ? &a->kid[i] : NULL;
}

static double num_of(const struct mmb_rval *v)
{
	return v && v->type == MMB_RT_NUMBER ? v->num : NAN;
}

static const char *str_of(const struct mmb_rval *v)
{
	return v && v->type == MMB_RT_STRING ? v->text : NULL;
}

static int true_of(const struct mmb_rval *v)
{
	return v && v->type == MMB_RT_BOOL && v->num != 0;
}

/* ns per unit of Google Benchmark's time_unit; 0 when unknown. */
static double unit_ns(const char *u)
{
	if (!u || strcmp(u, "ns") == 0)
		return 1;
	if (strcmp(u, "us") == 0)
		return 1e3;
	if (strcmp(u, "ms") == 0)
		return 1e6;
	if (strcmp(u, "s") == 0)
		return 1e9;
	return 0;
}

/* The items of array v (the entry's key `key`): *out calloc'd with one
 * item of `size` bytes per element, NULL for null or []. MMB_EPARSE when
 * v is something else. */
static int items(const char *path, size_t idx, const char *key,
		 const struct mmb_rval *v, size_t size, void **out)
{
	*out = NULL;
	if (v->type == MMB_RT_NULL || (v->type == MMB_RT_ARRAY && !v->nkid))
		return 0;
	if (v->type != MMB_RT_ARRAY)
		return mmb_seterr(MMB_EPARSE, 0,
				  "%s: benchmarks[%zu].%s is not an array",
				  path, idx, key);
	*out = calloc(v->nkid, size);
	return *out ? 0 : MMB_ENOMEM;
}

static int load_hist(const char *path, size_t idx, const struct mmb_rval *h,
		     struct mmb_rentry *e)
{
	void *p;
	int rc = items(path, idx, "latency_histogram", h, sizeof(*e->hist), &p);

	if (rc < 0 || !(e->hist = p))
		return rc;
	for (size_t i = 0; i < h->nkid; i++) {
		const struct mmb_rval *pair = &h->kid[i];
		double u = pair->nkid == 2 ? num_of(&pair->kid[0]) : NAN;
		double c = pair->nkid == 2 ? num_of(&pair->kid[1]) : NAN;

		if (pair->type != MMB_RT_ARRAY || !isfinite(u) || !(c >= 0) ||
		    (i > 0 && u <= e->hist[i - 1].upper_ns))
			return mmb_seterr(MMB_EPARSE, 0,
					  "%s: benchmarks[%zu].latency_"
					  "histogram[%zu] is not an "
					  "[upper_bound_ns, count] pair in "
					  "increasing order",
					  path, idx, i);
		e->hist[i].upper_ns = u;
		e->hist[i].count = c;
	}
	e->nhist = h->nkid;
	return 0;
}

static int load_ts(const char *path, size_t idx, const struct mmb_rval *ts,
		   struct mmb_rentry *e)
{
	void *p;
	int rc = items(path, idx, "timeseries", ts, sizeof(*e->ts), &p);

	if (rc < 0 || !(e->ts = p))
		return rc;
	for (size_t i = 0; i < ts->nkid; i++) {
		const struct mmb_rval *s = &ts->kid[i];
		struct mmb_rsample *o = &e->ts[i];

		if (s->type != MMB_RT_OBJECT)
			return mmb_seterr(MMB_EPARSE, 0,
					  "%s: benchmarks[%zu].timeseries[%zu] "
					  "is not an object",
					  path, idx, i);
		o->t_s = num_of(mmb_rval_get(s, "t_s"));
		o->ops = num_of(mmb_rval_get(s, "ops"));
		o->ops_per_s = num_of(mmb_rval_get(s, "ops_per_s"));
		o->minor_faults = num_of(mmb_rval_get(s, "minor_faults"));
		o->major_faults = num_of(mmb_rval_get(s, "major_faults"));
		o->resident_pages = num_of(mmb_rval_get(s, "resident_pages"));
		o->tlb_shootdowns = num_of(mmb_rval_get(s, "tlb_shootdowns"));
	}
	e->nts = ts->nkid;
	return 0;
}

/* The benchmark's name: run_name, else name less "_<aggregate_name>". */
static char *bench_name(const struct mmb_rentry *e, int is_agg)
{
	const char *rn = mmb_rentry_str(e, "run_name");
	size_t n = strlen(e->name), a;

	if (rn && *rn)
		return xstrdup(rn);
	a = is_agg && e->aggregate ? strlen(e->aggregate) : 0;
	if (a && n > a + 1 && e->name[n - a - 1] == '_' &&
	    strcmp(e->name + n - a, e->aggregate) == 0)
		n -= a + 1;
	return xstrndup(e->name, n);
}

/* The benchmarks found so far, by name: a file can hold 100,000. */
struct bench_idx {
	struct mmb__nameidx idx;
	size_t cap; /* of r->b */
};

static const char *bench_name_at(const void *ctx, size_t pos)
{
	return ((const struct mmb_results *)ctx)->b[pos].name;
}

/* Two entries of one benchmark that claim the same repetition (or the
 * same aggregate): a file concatenated or merged twice. Refused, naming
 * both, rather than merged into one benchmark with twice the
 * repetitions. */
static int duplicate(const struct mmb_results *r, const struct mmb_rentry *e,
		     size_t first, const char *key)
{
	const struct mmb_rval *v = mmb_rentry_get(e, key);

	return mmb_seterr(
	    MMB_EPARSE, 0,
	    "%s: benchmarks[%zu] (%s) duplicates benchmarks[%zu]: "
	    "the same %s %s; a file concatenated or merged "
	    "twice?",
	    r->path, (size_t)(e - r->e), e->name, first, key,
	    v && v->text ? v->text : "");
}

/* real_time, cpu_time (ns) of an entry that timed something: real_time
 * must be positive, cpu_time not negative (getrusage counts microseconds,
 * and a short repetition may show none). NaN (absent, null) passes. */
static int check_times(const struct mmb_results *r, size_t idx,
		       const struct mmb_rentry *e)
{
	const char *bad = !(e->real_ns > 0) && !isnan(e->real_ns) ? "real_time"
			  : e->cpu_ns < 0			  ? "cpu_time"
								  : NULL;

	if (!bad || e->kind == MMB_RK_ERROR ||
	    mmb_rentry_num(e, "iterations") == 0)
		return 0;
	if (e->kind == MMB_RK_AGGREGATE &&
	    (!e->aggregate || (strcmp(e->aggregate, "median") != 0 &&
			       strcmp(e->aggregate, "mean") != 0)))
		return 0; /* stddev, cv, _BigO: not times of an op */
	return mmb_seterr(MMB_EPARSE, 0,
			  "%s: benchmarks[%zu] (%s): %s %s is not a time "
			  "(real_time must be > 0, cpu_time >= 0)",
			  r->path, idx, e->name, bad,
			  mmb_rentry_get(e, bad)->text);
}

static int add_bench(struct mmb_results *r, struct bench_idx *bi,
		     struct mmb_rentry *e, char *name)
{
	struct mmb_rbench *b = NULL;
	const char *wl = mmb_rentry_str(e, "workload");
	const char *be = mmb_rentry_str(e, "backend");
	const char *slash;
	size_t at = mmb__nameidx_find(&bi->idx, name);

	if (at != (size_t)-1) {
		b = &r->b[at];
		free(name);
	} else {
		if (r->nb == bi->cap) {
			size_t cap = bi->cap ? 2 * bi->cap : 8;
			b = realloc(r->b, cap * sizeof(*r->b));
			if (!b) {
				free(name);
				return MMB_ENOMEM;
			}
			r->b = b;
			bi->cap = cap;
		}
		b = &r->b[r->nb++];
		memset(b, 0, sizeof(*b));
		b->name = name;
		b->median = b->mean = b->stddev = -1;
		b->sweep_value = NAN;
		slash = strrchr(name, '/');
		b->workload = wl      ? xstrdup(wl)
			      : slash ? xstrndup(name, (size_t)(slash - name))
				      : xstrdup("");
		b->backend =
		    be ? xstrdup(be) : xstrdup(slash ? slash + 1 : name);
		if (!b->workload || !b->backend ||
		    mmb__nameidx_add(&bi->idx, r->nb - 1) < 0)
			return MMB_ENOMEM;
	}
	e->bench = (size_t)(b - r->b);
	if (isnan(b->sweep_value))
		b->sweep_value = mmb_rentry_num(e, "sweep_value");
	switch (e->kind) {
	case MMB_RK_ERROR:
		if (!b->skipped)
			b->error = e->error;
		b->skipped = true;
		break;
	case MMB_RK_ITERATION: {
		/* A repetition that did no op (interrupted at once) timed
		 * nothing: not one of the benchmark's repetitions. */
		if (mmb_rentry_num(e, "iterations") == 0)
			break;
		double ri = mmb_rentry_num(e, "repetition_index");
		for (size_t k = 0; !isnan(ri) && k < b->nreps; k++)
			if (mmb_rentry_num(&r->e[b->reps[k]],
					   "repetition_index") == ri)
				return duplicate(r, e, b->reps[k],
						 "repetition_index");
		/* powers of two */
		if ((b->nreps & (b->nreps - 1)) == 0) {
			size_t *q =
			    realloc(b->reps,
				    (b->nreps ? b->nreps * 2 : 1) * sizeof(*q));
			if (!q)
				return MMB_ENOMEM;
			b->reps = q;
		}
		b->reps[b->nreps++] = (size_t)(e - r->e);
		break;
	}
	case MMB_RK_AGGREGATE: {
		long *agg = NULL;
		if (!e->aggregate)
			break;
		if (strcmp(e->aggregate, "median") == 0)
			agg = &b->median;
		else if (strcmp(e->aggregate, "mean") == 0)
			agg = &b->mean;
		else if (strcmp(e->aggregate, "stddev") == 0)
			agg = &b->stddev;
		if (agg && *agg >= 0)
			return duplicate(r, e, (size_t)*agg, "aggregate_name");
		if (agg)
			*agg = (long)(e - r->e);
		break;
	}
	}
	return 0;
}

static int load_entry(struct mmb_results *r, struct bench_idx *bi, size_t idx,
		      struct mmb_rval *v)
{
	struct mmb_rentry *e = &r->e[idx];
	const char *rt, *unit;
	const struct mmb_rval *x;
	double scale;
	int is_agg, rc;
	char *name;

	e->ts_rep = -1;
	e->real_ns = e->cpu_ns = NAN;
	if (v->type != MMB_RT_OBJECT || !str_of(mmb_rval_get(v, "name")))
		return mmb_seterr(MMB_EPARSE, 0,
				  "%s: benchmarks[%zu] is not an object with "
				  "a \"name\"",
				  r->path, idx);
	/* The entry takes the members over. */
	e->kv = v->kid;
	e->nkv = v->nkid;
	v->kid = NULL;
	v->nkid = 0;
	e->name = mmb_rentry_str(e, "name");
	e->aggregate = mmb_rentry_str(e, "aggregate_name");
	rt = mmb_rentry_str(e, "run_type");
	is_agg = rt ? strcmp(rt, "aggregate") == 0 : e->aggregate != NULL;
	if (true_of(mmb_rentry_get(e, "skipped")) ||
	    true_of(mmb_rentry_get(e, "error_occurred"))) {
		e->kind = MMB_RK_ERROR;
		e->error = mmb_rentry_str(e, "error_message");
	} else {
		e->kind = is_agg ? MMB_RK_AGGREGATE : MMB_RK_ITERATION;
	}
	unit = mmb_rentry_str(e, "time_unit");
	scale = unit_ns(unit);
	if (scale == 0)
		return mmb_seterr(MMB_EPARSE, 0,
				  "%s: benchmarks[%zu] (%s): unknown time_unit "
				  "\"%s\"",
				  r->path, idx, e->name, unit);
	e->real_ns = mmb_rentry_num(e, "real_time") * scale;
	e->cpu_ns = mmb_rentry_num(e, "cpu_time") * scale;
	if ((rc = check_times(r, idx, e)) < 0)
		return rc;
	if ((x = mmb_rentry_get(e, "latency_histogram")) &&
	    (rc = load_hist(r->path, idx, x, e)) < 0)
		return rc;
	if ((x = mmb_rentry_get(e, "timeseries")) &&
	    (rc = load_ts(r->path, idx, x, e)) < 0)
		return rc;
	x = mmb_rentry_get(e, "timeseries_rep");
	if (x && x->type == MMB_RT_NUMBER && x->num >= 0 && x->num < 1e9)
		e->ts_rep = (int)x->num;
	name = bench_name(e, is_agg);
	if (!name)
		return MMB_ENOMEM;
	return add_bench(r, bi, e, name);
}

/* Whether entry v (an element of "benchmarks") is kept: every entry, or
 * with a point (not NaN) those whose "sweep_value" is that point. */
static int keep_entry(const struct mmb_rval *v, double point)
{
	return isnan(point) || num_of(mmb_rval_get(v, "sweep_value")) == point;
}

static int load_model(struct mmb_results *r, struct mmb_rval *root,
		      double point)
{
	struct mmb_rval *bench = NULL, *ctx = NULL;
	const struct mmb_rval *ver;
	int rc;

	if (root->type != MMB_RT_OBJECT)
		return mmb_seterr(MMB_EPARSE, 0,
				  "%s: top level is not a JSON object",
				  r->path);
	for (size_t i = 0; i < root->nkid; i++) {
		if (strcmp(root->kid[i].key, "benchmarks") == 0)
			bench = &root->kid[i];
		else if (strcmp(root->kid[i].key, "context") == 0)
			ctx = &root->kid[i];
	}
	if (!bench || bench->type != MMB_RT_ARRAY || bench->nkid == 0)
		return mmb_seterr(MMB_EPARSE, 0,
				  "%s: no benchmarks (needs a non-empty "
				  "\"benchmarks\" array)",
				  r->path);
	if (ctx && ctx->type != MMB_RT_OBJECT)
		return mmb_seterr(MMB_EPARSE, 0,
				  "%s: \"context\" is not an object", r->path);
	ver = mmb_rval_get(root, "schema_version");
	r->schema_version = 1;
	if (ver) {
		if (ver->type != MMB_RT_NUMBER || !(ver->num >= 1) ||
		    ver->num != floor(ver->num) || ver->num > 1e6)
			return mmb_seterr(MMB_EPARSE, 0,
					  "%s: schema_version is not a "
					  "positive integer",
					  r->path);
		r->schema_version = (int)ver->num;
	}
	r->top = calloc(root->nkid, sizeof(*r->top));
	if (!r->top)
		return MMB_ENOMEM;
	for (size_t i = 0; i < root->nkid; i++) {
		struct mmb_rval *k = &root->kid[i];

		if (k == bench || k == ctx || k == ver)
			continue;
		r->top[r->ntop++] = *k;
		memset(k, 0, sizeof(*k));
	}
	if (ctx) {
		r->ctx = ctx->kid;
		r->nctx = ctx->nkid;
		ctx->kid = NULL;
		ctx->nkid = 0;
	}
	r->e = calloc(bench->nkid, sizeof(*r->e));
	if (!r->e)
		return MMB_ENOMEM;
	struct bench_idx bi = {.cap = 0};
	mmb__nameidx_init(&bi.idx, bench_name_at, r);
	rc = 0;
	for (size_t i = 0; i < bench->nkid && rc == 0; i++) {
		if (!keep_entry(&bench->kid[i], point))
			continue;
		size_t k = r->ne++;
		rc = load_entry(r, &bi, k, &bench->kid[i]);
	}
	mmb__nameidx_free(&bi.idx);
	if (rc == 0 && r->ne == 0)
		return mmb_seterr(MMB_EPARSE, 0,
				  "%s: no benchmarks at sweep_value %g",
				  r->path, point);
	return rc;
}

static int load(const char *path, double point, struct mmb_results **out);

int mmb_results_load(const char *path, struct mmb_results **out)
{
	return load(path, NAN, out);
}

int mmb_results_load_point(const char *path, double sweep_value,
			   struct mmb_results **out)
{
	return load(path, sweep_value, out);
}

static int load(const char *path, double point, struct mmb_results **out)
{
	struct mmb_rval root = {0};
	struct mmb_results *r;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if ((rc = read_input(path, &buf, &len)) < 0)
		return rc;
	if (only_space(buf, buf + len)) {
		free(buf);
		return mmb_seterr(MMB_EPARSE, 0,
				  "%s: empty file, not a results file", path);
	}
	rc = mmb_json_parse(path, buf, len, &root);
	free(buf);
	if (rc < 0) {
		mmb_rval_clear(&root);
		return rc;
	}
	r = calloc(1, sizeof(*r));
	if (!r || !(r->path = xstrdup(path))) {
		free(r);
		mmb_rval_clear(&root);
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "%s: out of memory",
				  path);
	}
	rc = load_model(r, &root, point);
	mmb_rval_clear(&root);
	if (rc == MMB_ENOMEM)
		rc = mmb_seterr(MMB_ENOMEM, ENOMEM, "%s: out of memory", path);
	if (rc < 0) {
		mmb_results_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void mmb_results_free(struct mmb_results *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nctx; i++)
		mmb_rval_clear(&r->ctx[i]);
	free(r->ctx);
	for (size_t i = 0; i < r->ntop; i++)
		mmb_rval_clear(&r->top[i]);
	free(r->top);
	for (size_t i = 0; i < r->ne; i++) {
		struct mmb_rentry *e = &r->e[i];

		for (size_t k = 0; k < e->nkv; k++)
			mmb_rval_clear(&e->kv[k]);
		free(e->kv);
		free(e->hist);
		free(e->ts);
	}
	free(r->e);
	for (size_t i = 0; i < r->nb; i++) {
		free(r->b[i].name);
		free(r->b[i].workload);
		free(r->b[i].backend);
		free(r->b[i].reps);
	}
	free(r->b);
	free(r->path);
	free(r);
}

const char *mmb_results_errmsg(char *buf, size_t n)
{
	const struct mmb_errctx *e = mmb_last_error();

	if (e->code == MMB_EPARSE || e->code == MMB_EINVAL)
		snprintf(buf, n, "%s", e->call);
	else
		mmb_errmsg(buf, n);
	/* Names from the file are in it: for a terminal, one clean line. */
	if (n)
		mmb__tty_clean(buf);
	return buf;
}

/* ---- lookups ------------------------------------------------------------ */

const struct mmb_rval *mmb_results_ctx(const struct mmb_results *r,
				       const char *key)
{
	return find_key(r->ctx, r->nctx, key);
}

double mmb_results_ctx_num(const struct mmb_results *r, const char *key)
{
	return num_of(mmb_results_ctx(r, key));
}

const struct mmb_rbench *mmb_results_find(const struct mmb_results *r,
					  const char *name)
{
	for (size_t i = 0; i < r->nb; i++)
		if (strcmp(r->b[i].name, name) == 0)
			return &r->b[i];
	return NULL;
}

const struct mmb_rval *mmb_rentry_get(const struct mmb_rentry *e,
				      const char *key)
{
	return find_key(e->kv, e->nkv, key);
}

double mmb_rentry_num(const struct mmb_rentry *e, const char *key)
{
	return num_of(mmb_rentry_get(e, key));
}

const char *mmb_rentry_str(const struct mmb_rentry *e, const char *key)
{
	return str_of(mmb_rentry_get(e, key));
}

const struct mmb_rentry *mmb_rbench_center(const struct mmb_results *r,
					   const struct mmb_rbench *b)
{
	if (b->median >= 0)
		return &r->e[b->median];
	if (b->mean >= 0)
		return &r->e[b->mean];
	return NULL;
}

int mmb_results_ctx_set_num(struct mmb_results *r, const char *key, double v)
{
	struct mmb_rval *c = (struct mmb_rval *)mmb_results_ctx(r, key);
	char num[40];

	snprintf(num, sizeof(num), "%.15g", v);
	if (!c) {
		c = realloc(r->ctx, (r->nctx + 1) * sizeof(*c));
		if (!c)
			return MMB_ENOMEM;
		r->ctx = c;
		c = &c[r->nctx];
		memset(c, 0, sizeof(*c));
		if (!(c->key = xstrdup(key)))
			return MMB_ENOMEM;
		r->nctx++;
	}
	for (size_t i = 0; i < c->nkid; i++)
		mmb_rval_clear(&c->kid[i]);
	free(c->kid);
	c->kid = NULL;
	c->nkid = 0;
	free(c->text);
	c->type = MMB_RT_NUMBER;
	c->num = v;
	c->text = xstrdup(num);
	return c->text ? 0 : MMB_ENOMEM;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double mmb_results_median(double *v, size_t n)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			v[m++] = v[i];
	if (m == 0)
		return NAN;
	qsort(v, m, sizeof(*v), cmp_double);
	return m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
}
