/* SPDX-License-Identifier: MIT */
/* csv.c - results as CSV: one row per backend per measured repetition,
 * columns named like the JSON keys; a backend that did not run has one row
 * with its status and message. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmb/error.h"
#include "mmbench/result.h"

struct sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void put(struct sbuf *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(struct sbuf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(s->p + s->len, s->cap - s->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			s->oom = true;
			return;
		}
		if ((size_t)n < s->cap - s->len) {
			s->len += (size_t)n;
			return;
		}
		size_t cap = (s->cap + (size_t)n + 1) * 2;
		char *p = realloc(s->p, cap);
		if (!p) {
			s->oom = true;
			return;
		}
		s->p = p;
		s->cap = cap;
	}
}

/* RFC 4180 quoting: always quoted, inner quotes doubled. */
static void put_quoted(struct sbuf *s, const char *text)
{
	put(s, "\"");
	for (const char *c = text; *c; c++) {
		if (*c == '"')
			put(s, "\"\"");
		else
			put(s, "%c", *c);
	}
	put(s, "\"");
}

static void row_start(struct sbuf *s, const struct mmb_run_result *r,
		      const struct mmb_backend_result *b, const char *status)
{
	put_quoted(s, r->workload);
	put(s, ",");
	put_quoted(s, b->name);
	put(s, ",%s", status);
}

/* The backend-specific metric columns: every name some backend has, in
 * order of appearance. */
static unsigned xcolumns(const struct mmb_run_result *r,
			 const char *cols[MMB_XMETRICS_MAX * 8])
{
	unsigned n = 0;

	for (unsigned i = 0; i < r->nbackends; i++)
		for (unsigned k = 0; k < r->b[i].nx; k++) {
			unsigned c = 0;
			while (c < n && strcmp(cols[c], r->b[i].xdef[k].name))
				c++;
			if (c == n && n < MMB_XMETRICS_MAX * 8)
				cols[n++] = r->b[i].xdef[k].name;
		}
	return n;
}

/* rep's value of backend metric `name`; NaN when b has none. */
static double xvalue(const struct mmb_backend_result *b,
		     const struct mmb_rep *rep, const char *name)
{
	for (unsigned k = 0; k < b->nx; k++)
		if (strcmp(b->xdef[k].name, name) == 0)
			return rep->x[k];
	return NAN;
}

int mmb_report_csv(const struct mmb_run_result *r, const char *path)
{
	const char *xcol[MMB_XMETRICS_MAX * 8];
	unsigned nx = xcolumns(r, xcol);
	struct sbuf s = {0};
	int rc;

	s.cap = 4096;
	s.p = malloc(s.cap);
	if (!s.p)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "CSV for %s", path);
	put(&s, "workload,backend,status,rep,threads,block_size,cache");
	for (unsigned k = 0; k < MMB_M__COUNT; k++)
		put(&s, ",%s", mmb_metric_key(k));
	for (unsigned k = 0; k < nx; k++)
		put(&s, ",%s", xcol[k]);
	/* Kernel events (mmbench/kevents.h), prefixed: empty when not
	 * counted here, the reason being in the JSON. */
	for (unsigned k = 0; k < MMB_KEV__COUNT; k++)
		put(&s, ",kev_%s", mmb_kevent_def(k)->key);
	put(&s, ",checksum,message\n");
	for (unsigned i = 0; i < r->nbackends; i++) {
		const struct mmb_backend_result *b = &r->b[i];
		if (b->status != 0 || b->nreps == 0) {
			row_start(&s, r, b,
				  b->status == MMB_ESKIP ? "skipped"
							 : "failed");
			put(&s, ",,%u,%" PRIu64 ",%s", r->threads,
			    r->block_size, r->cache);
			for (unsigned k = 0; k < MMB_M__COUNT + nx; k++)
				put(&s, ",");
			for (unsigned k = 0; k < MMB_KEV__COUNT; k++)
				put(&s, ",");
			put(&s, ",");
			put(&s, ",");
			put_quoted(&s, b->message);
			put(&s, "\n");
			continue;
		}
		for (unsigned n = 0; n < b->nreps; n++) {
			const struct mmb_rep *rep = &b->reps[n];
			row_start(&s, r, b, "ok");
			put(&s, ",%u,%u,%" PRIu64 ",%s", n, r->threads,
			    r->block_size, r->cache);
			/* Not measurable here (NAN): an empty field. */
			for (unsigned k = 0; k < MMB_M__COUNT + nx; k++) {
				double v = k < MMB_M__COUNT
					       ? rep->m[k]
					       : xvalue(b, rep,
							xcol[k - MMB_M__COUNT]);
				if (isnan(v))
					put(&s, ",");
				else
					put(&s, ",%.17g", v);
			}
			for (unsigned k = 0; k < MMB_KEV__COUNT; k++)
				if (isnan(rep->kev.v[k]))
					put(&s, ",");
				else
					put(&s, ",%.17g", rep->kev.v[k]);
			put(&s, ",0x%016" PRIx64 ",", rep->checksum);
			put_quoted(&s, b->note);
			put(&s, "\n");
		}
	}
	if (s.oom) {
		free(s.p);
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "CSV for %s", path);
	}
	rc = mmb_write_file_atomic(path, s.p, s.len);
	free(s.p);
	return rc;
}
