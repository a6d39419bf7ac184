/* SPDX-License-Identifier: MIT */
/* trace.c - replay a recorded access pattern (--workload trace --trace FILE).
 *
 * Three formats, told apart by the first line:
 * - "fio version 3 iolog" (fio --write_iolog): "TIME FILE ACTION [OFFSET
 *   LENGTH]" lines, TIME in microseconds since fio started logging;
 * - "fio version 2 iolog" (older fio): the same without TIME;
 * - anything else: CSV, "offset,length[,r|w]" one op a line (r when the
 *   third field is missing), '#' to the end of a line a comment, blank
 *   lines allowed.
 * fio's read and write lines are the ops; its file lines (add, open,
 * close) are bookkeeping, and its sync, datasync, trim and wait lines are
 * not replayed (mmbench's ops are reads and writes; --sync decides how
 * writes are made durable): they are counted as trace_skipped. A trace
 * on more than one file is refused.
 *
 * The trace is never loaded whole: prepare reads it once before anything
 * runs, checking every line (an error names it: "t.csv:3: ...") and
 * every op against the file's size, and counting the ops; generate then
 * reads it again chunk by chunk, its position (byte offset and line
 * number of the next line) kept in struct mmb_gen, so the runner's memory
 * stays bounded whatever the trace's size.
 *
 * One pass over the trace is the default op count; more ops start it again
 * from the top, fewer stop early. With --trace-pace recorded (fio version
 * 3 only) each op is due at its recorded time after the first op's; a
 * repeated pass starts one mean gap after the last op.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum { TP_TRACE, TP_PACE };

enum trace_pace { PACE_FAST, PACE_RECORDED };

static const char *pace_name(int i)
{
	static const char *const names[] = {"fast", "recorded"};
	return i >= 0 && i < 2 ? names[i] : NULL;
}

static const struct mmb_param trace_params[] = {
    [TP_TRACE] = {.name = "trace",
		  .type = MMB_PARAM_STRING,
		  .arg = "FILE",
		  .help =
		      "the trace to replay: a fio iolog (version 2 or 3, as "
		      "fio --write_iolog writes it) or CSV lines "
		      "offset,length[,r|w]; its ops must lie inside the "
		      "file (--size or --file)"},
    [TP_PACE] = {.name = "trace-pace",
		 .type = MMB_PARAM_ENUM,
		 .enum_name = pace_name,
		 .def.i = PACE_FAST,
		 .arg = "MODE",
		 .help = "fast: each op as soon as the one before it is done; "
			 "recorded: each op at its time in the trace (fio "
			 "version 3 iologs only)"},
    {0},
};

/* What prepare learnt, in o->input. */
enum {
	IN_FORMAT,    /* enum trace_format */
	IN_OPS,	      /* reads and writes in one pass */
	IN_DATA_OFF,  /* byte offset of the first line after the header */
	IN_DATA_LINE, /* its line number, less one */
	IN_T0_US,     /* fio v3: the first op's time */
	IN_SPAN_US,   /* fio v3: the last op's time less the first's */
	IN_WRITES,    /* writes in one pass */
	IN_SKIPPED,   /* lines not replayed: sync, datasync, trim, wait */
};

enum trace_format { FMT_CSV, FMT_FIO2, FMT_FIO3 };

static const char *format_name(uint64_t f)
{
	return f == FMT_FIO3 ? "fio-v3" : f == FMT_FIO2 ? "fio-v2" : "csv";
}

static const char *format_words(uint64_t f)
{
	return f == FMT_FIO3   ? "a fio version 3 iolog"
	       : f == FMT_FIO2 ? "a fio version 2 iolog"
			       : "a CSV trace";
}

/* ---- reading lines in bounded memory ------------------------------------ */

#define TR_BUF	    (64u * 1024)
#define TR_LINE_MAX 4096u

struct rd {
	const char *path;
	int fd;
	char *buf;     /* TR_BUF + 1 */
	uint64_t base; /* file offset of buf[0] */
	size_t pos, len;
	bool eof;
	uint64_t line; /* number of the line returned last */
};

static int line_err(const struct rd *r, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "PATH:LINE: message", one line. */
static int line_err(const struct rd *r, uint64_t line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mmb_seterr(MMB_EINVAL, 0, "%s:%llu: %s", r->path,
			  (unsigned long long)line, msg);
}

static int rd_open(struct rd *r, const char *path, uint64_t off, uint64_t line)
{
	uint64_t size;
	bool regular;
	int rc;

	memset(r, 0, sizeof(*r));
	r->path = path;
	r->fd = -1;
	r->base = off;
	r->line = line;
	rc = mmb__file_open_ro(path, &r->fd, &size, &regular);
	if (rc < 0) {
		/* the OS's reason in the one line the CLI prints */
		char m[300];
		r->fd = -1;
		return mmb_seterr(rc, 0, "%s", mmb_errmsg(m, sizeof(m)));
	}
	if (!regular) {
		mmb__file_close(r->fd);
		r->fd = -1;
		return mmb_seterr(MMB_EINVAL, 0, "%s is not a regular file",
				  path);
	}
	r->buf = malloc(TR_BUF + 1);
	if (!r->buf) {
		mmb__file_close(r->fd);
		r->fd = -1;
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "malloc(%u)", TR_BUF);
	}
	return 0;
}

static void rd_close(struct rd *r)
{
	if (r->fd >= 0)
		mmb__file_close(r->fd);
	free(r->buf);
	r->fd = -1;
	r->buf = NULL;
}

/* Back to byte offset off, which starts line number line + 1. */
static void rd_seek(struct rd *r, uint64_t off, uint64_t line)
{
	r->base = off;
	r->pos = r->len = 0;
	r->eof = false;
	r->line = line;
}

/* Byte offset of the line rd_next returns next. */
static uint64_t rd_tell(const struct rd *r)
{
	return r->base + r->pos;
}

/* The next line, NUL-terminated, without its "\n" or "\r\n", into *s:
 * 1, 0 at the end of the file, or MMB_E*. */
static int rd_next(struct rd *r, char **s)
{
	for (;;) {
		char *start = r->buf + r->pos;
		size_t left = r->len - r->pos;
		char *nl = memchr(start, '\n', left);
		if (nl || (r->eof && left)) {
			size_t l = nl ? (size_t)(nl - start) : left;
			r->line++;
			if (l > TR_LINE_MAX)
				return line_err(r, r->line,
						"line longer than %u bytes",
						TR_LINE_MAX);
			r->pos += l + (nl != NULL);
			if (l && start[l - 1] == '\r')
				l--;
			if (memchr(start, 0, l))
				return line_err(r, r->line,
						"not text (a NUL byte)");
			start[l] = 0;
			*s = start;
			return 1;
		}
		if (r->eof)
			return 0;
		if (left > TR_LINE_MAX)
			return line_err(r, r->line + 1,
					"line longer than %u bytes",
					TR_LINE_MAX);
		memmove(r->buf, start, left);
		r->base += r->pos;
		r->pos = 0;
		r->len = left;
		long got = mmb__file_pread(r->fd, r->buf + r->len,
					   TR_BUF - r->len, r->base + r->len);
		if (got < 0)
			return (int)got;
		if (got == 0)
			r->eof = true;
		r->len += (size_t)got;
	}
}

/* ---- parsing one line --------------------------------------------------- */

enum line_kind { LINE_NONE, LINE_OP, LINE_SKIPPED };

struct tline {
	enum line_kind kind;
	uint64_t off, len, ts_us;
	bool is_write;
	const char *file; /* fio: the file the line names, else NULL */
};

/* A decimal number, the whole of s; false when it is not one or
 * overflows. */
static bool parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = 0;
	return s;
}

/* offset,length[,r|w] with '#' comments. */
static int parse_csv(const struct rd *r, char *s, struct tline *t)
{
	char *f[3];
	unsigned nf = 0;
	char *hash = strchr(s, '#');

	if (hash)
		*hash = 0;
	s = trim(s);
	if (!*s)
		return 0;
	for (char *p = s; p; nf++) {
		char *comma = strchr(p, ',');
		if (nf == 3)
			return line_err(r, r->line,
					"more than 3 fields (offset,length"
					"[,r|w])");
		f[nf] = p;
		if (comma)
			*comma++ = 0;
		p = comma;
	}
	for (unsigned i = 0; i < nf; i++)
		f[i] = trim(f[i]);
	if (nf < 2)
		return line_err(r, r->line,
				"'%.40s' is not offset,length[,r|w]", f[0]);
	if (!parse_u64(f[0], &t->off))
		return line_err(r, r->line, "offset '%.40s' is not a number",
				f[0]);
	if (!parse_u64(f[1], &t->len))
		return line_err(r, r->line, "length '%.40s' is not a number",
				f[1]);
	t->is_write = false;
	if (nf == 3) {
		if (strcmp(f[2], "w") == 0 || strcmp(f[2], "W") == 0)
			t->is_write = true;
		else if (strcmp(f[2], "r") && strcmp(f[2], "R"))
			return line_err(r, r->line,
					"unknown op '%.40s' (r or w)", f[2]);
	}
	t->kind = LINE_OP;
	return 0;
}

/* s split at blanks into tok[0..max); returns how many, max + 1 when
 * there are more. (Chunks are made by the worker threads: no strtok.) */
static unsigned split_ws(char *s, char **tok, unsigned max)
{
	unsigned n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return n;
		if (n == max)
			return max + 1;
		tok[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = 0;
	}
}

/* fio's "[TIME] FILE ACTION [OFFSET LENGTH]" (TIME in version 3). */
static int parse_fio(const struct rd *r, char *s, bool v3, struct tline *t)
{
	static const char *const skipped[] = {"sync", "datasync", "trim",
					      "wait"};
	char *tok[5];
	unsigned b = v3, n = split_ws(s, tok, 5);

	if (n == 0)
		return 0;
	/* fio appends every job's log to the one --write_iolog file */
	if (n == 4 && strcmp(tok[0], "fio") == 0 &&
	    strcmp(tok[1], "version") == 0)
		return line_err(r, r->line,
				"a second iolog header: fio appended the logs "
				"of several jobs to one file; replay one "
				"job's (split the file at its headers)");
	if (n != b + 2 && n != b + 4)
		return line_err(r, r->line,
				"expected %sFILE ACTION [OFFSET LENGTH], got "
				"%u fields",
				v3 ? "TIME " : "", n);
	if (v3 && !parse_u64(tok[0], &t->ts_us))
		return line_err(r, r->line, "time '%.40s' is not a number",
				tok[0]);
	t->file = tok[b];
	const char *act = tok[b + 1];
	if (n == b + 2) {
		if (strcmp(act, "add") && strcmp(act, "open") &&
		    strcmp(act, "close"))
			return line_err(
			    r, r->line,
			    "unknown file action '%.40s' (add, open, close)",
			    act);
		return 0;
	}
	if (!parse_u64(tok[b + 2], &t->off))
		return line_err(r, r->line, "offset '%.40s' is not a number",
				tok[b + 2]);
	if (!parse_u64(tok[b + 3], &t->len))
		return line_err(r, r->line, "length '%.40s' is not a number",
				tok[b + 3]);
	if (strcmp(act, "read") == 0 || strcmp(act, "write") == 0) {
		t->is_write = act[0] == 'w';
		t->kind = LINE_OP;
		return 0;
	}
	for (size_t i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++)
		if (strcmp(act, skipped[i]) == 0) {
			t->kind = LINE_SKIPPED;
			return 0;
		}
	return line_err(r, r->line,
			"unknown action '%.40s' (read, write, sync, datasync, "
			"trim, wait)",
			act);
}

/* One data line into *t (LINE_NONE: nothing to replay); an op is checked
 * against the file. */
static int parse_line(const struct rd *r, uint64_t format, uint64_t file_size,
		      char *s, struct tline *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	rc = format == FMT_CSV ? parse_csv(r, s, t)
			       : parse_fio(r, s, format == FMT_FIO3, t);
	if (rc < 0 || t->kind != LINE_OP)
		return rc;
	if (t->len == 0)
		return line_err(r, r->line, "length 0");
	if (t->len > UINT32_MAX)
		return line_err(r, r->line,
				"length %llu is over 4 GiB - 1 bytes",
				(unsigned long long)t->len);
	if (t->off > file_size || t->len > file_size - t->off)
		return line_err(r, r->line,
				"offset %llu + length %llu is past the end of "
				"the file (%llu bytes)",
				(unsigned long long)t->off,
				(unsigned long long)t->len,
				(unsigned long long)file_size);
	return 0;
}

/* ---- the workload ------------------------------------------------------- */

/* The first line tells the format; *data says whether it is an op line. */
static int detect(const struct rd *r, const char *first, uint64_t *format,
		  bool *data)
{
	static const char v2[] = "fio version 2 iolog";
	static const char v3[] = "fio version 3 iolog";

	*data = false;
	if (strncmp(first, v2, sizeof(v2) - 1) == 0)
		*format = FMT_FIO2;
	else if (strncmp(first, v3, sizeof(v3) - 1) == 0)
		*format = FMT_FIO3;
	else if (strncmp(first, "fio version ", 12) == 0)
		return line_err(r, 1,
				"'%.40s' is not supported (fio iologs of "
				"version 2 and 3 are)",
				first);
	else {
		*format = FMT_CSV;
		*data = true;
	}
	return 0;
}

static int trace_prepare(const struct mmb_workload *w,
			 struct mmb_workload_opts *o, const char **which)
{
	const char *path = o->param[TP_TRACE].s;
	uint64_t *in = o->input;
	uint64_t max_len = 0, last_us = 0, format = FMT_CSV;
	char file[TR_LINE_MAX + 1] = "";
	struct tline t;
	struct rd r;
	char *s;
	bool data;
	int rc;

	*which = trace_params[TP_TRACE].name;
	memset(o->input, 0, sizeof(o->input));
	if (!path || !*path)
		return mmb_seterr(MMB_EINVAL, 0,
				  "workload %s replays a trace file: none "
				  "given",
				  w->name);
	rc = rd_open(&r, path, 0, 0);
	if (rc < 0)
		return rc;
	rc = rd_next(&r, &s);
	if (rc == 0)
		rc = mmb_seterr(MMB_EINVAL, 0, "%s is empty", path);
	if (rc < 0)
		goto out;
	rc = detect(&r, s, &format, &data);
	if (rc < 0)
		goto out;
	in[IN_FORMAT] = format;
	if (!data) {
		in[IN_DATA_OFF] = rd_tell(&r);
		in[IN_DATA_LINE] = 1;
	}
	for (rc = 1; rc == 1; rc = rd_next(&r, &s)) {
		if (!data) {
			data = true;
			continue;
		}
		rc = parse_line(&r, format, o->file_size, s, &t);
		if (rc < 0)
			goto out;
		if (t.file) {
			if (!file[0])
				snprintf(file, sizeof(file), "%s", t.file);
			else if (strcmp(file, t.file) != 0) {
				rc = line_err(&r, r.line,
					      "a second file '%.40s' (the "
					      "trace began with '%.40s'); a "
					      "trace is replayed on one file",
					      t.file, file);
				goto out;
			}
		}
		if (t.kind == LINE_SKIPPED)
			in[IN_SKIPPED]++;
		if (t.kind != LINE_OP)
			continue;
		if (in[IN_OPS]++ == 0)
			in[IN_T0_US] = t.ts_us;
		last_us = t.ts_us;
		in[IN_WRITES] += t.is_write;
		max_len = t.len > max_len ? t.len : max_len;
	}
	if (rc < 0)
		goto out;
	if (in[IN_OPS] == 0) {
		rc = mmb_seterr(MMB_EINVAL, 0,
				"%s has no read or write to replay (%s)", path,
				format_words(format));
		goto out;
	}
	in[IN_SPAN_US] = last_us > in[IN_T0_US] ? last_us - in[IN_T0_US] : 0;
	if (o->param[TP_PACE].i == PACE_RECORDED) {
		if (format != FMT_FIO3) {
			*which = trace_params[TP_PACE].name;
			rc =
			    mmb_seterr(MMB_EINVAL, 0,
				       "recorded pace needs the times of a fio "
				       "version 3 iolog; %s is %s, without "
				       "times",
				       path, format_words(format));
			goto out;
		}
		o->input_flags |= MMB_WL_PACED;
	}
	if (in[IN_WRITES])
		o->input_flags |= MMB_WL_WRITES;
	/* Resolving twice gives the same; a block size set by hand cannot
	 * be honoured. */
	if (o->block_size && o->block_size != max_len) {
		*which = "block_size";
		rc = mmb_seterr(MMB_EINVAL, 0,
				"each op of a trace has its own length (the "
				"longest in %s is %llu bytes): the block size "
				"cannot be set",
				path, (unsigned long long)max_len);
		goto out;
	}
	o->block_size = max_len;
	rc = 0;
out:
	rd_close(&r);
	return rc;
}

static uint64_t trace_pass_ops(const struct mmb_workload_opts *o)
{
	return o->input[IN_OPS];
}

/* ns from one pass's start to the next's: the span and one mean gap. */
static uint64_t pass_ns(const uint64_t *in)
{
	uint64_t span = in[IN_SPAN_US] * 1000;
	return in[IN_OPS] > 1 ? span + span / (in[IN_OPS] - 1) : span;
}

static int trace_generate(const struct mmb_workload *w,
			  const struct mmb_workload_opts *o, struct mmb_gen *g,
			  struct mmb_op *ops, uint64_t n)
{
	const uint64_t *in = o->input;
	const bool paced = (o->input_flags & MMB_WL_PACED) != 0;
	uint64_t k = 0, since_top = 1;
	struct tline t;
	struct rd r;
	char *s;
	int rc;

	(void)w;
	if (paced && g->nat < n) {
		uint64_t *at = realloc(g->at_ns, n * sizeof(*at));
		if (!at)
			return mmb_seterr(MMB_ENOMEM, ENOMEM,
					  "realloc(%llu op times)",
					  (unsigned long long)n);
		g->at_ns = at;
		g->nat = n;
	}
	/* s[0]: byte offset of the next line, s[1]: the last line's number,
	 * s[2]: passes done. */
	if (g->next == 0) {
		g->s[0] = in[IN_DATA_OFF];
		g->s[1] = in[IN_DATA_LINE];
		g->s[2] = 0;
	}
	rc = rd_open(&r, o->param[TP_TRACE].s, g->s[0], g->s[1]);
	if (rc < 0)
		return rc;
	while (k < n) {
		rc = rd_next(&r, &s);
		if (rc < 0)
			goto out;
		if (rc == 0) {
			/* checked to have ops, unless it changed since */
			if (since_top == 0) {
				rc =
				    mmb_seterr(MMB_EINVAL, 0,
					       "%s: no ops left (changed since "
					       "it was checked?)",
					       r.path);
				goto out;
			}
			rd_seek(&r, in[IN_DATA_OFF], in[IN_DATA_LINE]);
			g->s[2]++;
			since_top = 0;
			continue;
		}
		rc = parse_line(&r, in[IN_FORMAT], o->file_size, s, &t);
		if (rc < 0)
			goto out;
		if (t.kind != LINE_OP)
			continue;
		ops[k] = (struct mmb_op){.off = t.off,
					 .len = (uint32_t)t.len,
					 .is_write = t.is_write};
		if (paced) {
			uint64_t rel = t.ts_us > in[IN_T0_US]
					   ? (t.ts_us - in[IN_T0_US]) * 1000
					   : 0;
			g->at_ns[k] = g->s[2] * pass_ns(in) + rel;
		}
		k++;
		since_top++;
	}
	g->s[0] = rd_tell(&r);
	g->s[1] = r.line;
	rc = 0;
out:
	rd_close(&r);
	return rc;
}

/* The trace's facts, for the results (docs/results.md). */
static unsigned trace_context(const struct mmb_workload_opts *o,
			      struct mmb_ctx_value *out, unsigned max)
{
	const uint64_t *in = o->input;
	struct {
		const char *key;
		uint64_t v;
	} const u[] = {{"trace_ops", in[IN_OPS]},
		       {"trace_writes", in[IN_WRITES]},
		       {"trace_skipped", in[IN_SKIPPED]},
		       {"trace_span_us", in[IN_SPAN_US]}};
	unsigned n = 0, nu = in[IN_FORMAT] == FMT_FIO3 ? 4 : 3;

	if (n < max) {
		memset(&out[n], 0, sizeof(out[n]));
		snprintf(out[n].key, sizeof(out[n].key), "trace_format");
		out[n].type = MMB_CTX_STRING;
		snprintf(out[n].s, sizeof(out[n].s), "%s",
			 format_name(in[IN_FORMAT]));
		n++;
	}
	for (unsigned i = 0; i < nu && n < max; i++, n++) {
		memset(&out[n], 0, sizeof(out[n]));
		snprintf(out[n].key, sizeof(out[n].key), "%s", u[i].key);
		out[n].type = MMB_CTX_UINT;
		out[n].u = u[i].v;
	}
	return n;
}

const struct mmb_workload mmb_workload_trace = {
    .name = "trace",
    .help = "replay a recorded trace (--trace FILE: fio iolog v2/v3, or CSV "
	    "offset,length[,r|w]); one pass by default",
    .flags = MMB_WL_PASS | MMB_WL_INPUT,
    .params = trace_params,
    .generate = trace_generate,
    .pass_ops = trace_pass_ops,
    .prepare = trace_prepare,
    .context = trace_context,
};
