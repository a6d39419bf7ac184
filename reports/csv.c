/* SPDX-License-Identifier: MIT */
/* csv.c - results as CSV: one row per backend per measured repetition,
 * columns named like the JSON keys with their unit where the key has none
 * (ops_per_s, real_time_ns, lat_p50_us; docs/results.md "CSV"); a backend
 * that did not run has one row with its status and message and empty
 * cells for every value. */
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

/* CSV column of a metric: its JSON key, or the key with its unit where
 * the key has none. */
static const char *column(unsigned k)
{
	static const char *const unit[MMB_M__COUNT] = {
	    [MMB_M_REAL_TIME] = "real_time_ns",
	    [MMB_M_CPU_TIME] = "cpu_time_ns",
	    [MMB_M_ITEMS_PER_SECOND] = "ops_per_s",
	    [MMB_M_BYTES_PER_SECOND] = "bytes_per_s",
	    [MMB_M_RESIDENT_BEFORE] = "resident_before_frac",
	};
	return unit[k] ? unit[k] : mmb_metric_key(k);
}

/* A value: empty when not measured (NaN); an integral value as an
 * integer (never "1e+20" or "4096.0", so integer columns stay integer
 * for readers that guess types), else the shortest form that reads back
 * exactly. */
static void put_num(struct sbuf *s, double v)
{
	if (isnan(v))
		put(s, ",");
	else if (v == trunc(v) && fabs(v) < 9.2e18)
		put(s, ",%" PRId64, (int64_t)v);
	else {
		/* the shortest of %.15g..%.17g that reads back as v */
		char buf[40];
		for (int prec = 15; prec <= 17; prec++) {
			snprintf(buf, sizeof(buf), "%.*g", prec, v);
			if (strtod(buf, NULL) == v)
				break;
		}
		put(s, ",%s", buf);
	}
}

/* Latency over all measured repetitions of the backend, in µs (the same
 * in each of its rows), from the histogram; empty when no op was timed. */
static void put_latency(struct sbuf *s, const struct mmb_backend_result *b)
{
	const struct mmb_latency *l = &b->lat;
	const double v[] = {l->mean,	    (double)l->p50,  (double)l->p90,
			    (double)l->p99, (double)l->p999, (double)l->max};
	bool timed = b->hist && b->hist->count;

	put(s, ",%" PRIu64, timed ? b->hist->count : 0);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (timed)
			put(s, ",%.3f", v[i] / 1e3);
		else
			put(s, ",");
}

#define LAT_COLUMNS                                                    \
	",lat_timed_ops,lat_mean_us,lat_p50_us,lat_p90_us,lat_p99_us," \
	"lat_p999_us,lat_max_us"
#define LAT_NCOLUMNS 7

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
	put(&s, "workload,backend,status,rep,threads,block_size_bytes,cache,"
		"file_size_bytes,seed");
	for (unsigned k = 0; k < MMB_M__COUNT; k++)
		put(&s, ",%s", column(k));
	put(&s, LAT_COLUMNS);
	for (unsigned k = 0; k < nx; k++)
		put(&s, ",%s", xcol[k]);
	/* Kernel events (mmbench/kevents.h), prefixed: empty when not
	 * counted here, the reason being in the JSON. Where they were
	 * counted first: "evidence" (the evidence repetition's, the same in
	 * each of the backend's rows, with its ops/s), "repetition" (the
	 * row's own, --kernel-events inline), or empty. */
	put(&s, ",kev_source,kev_evidence_ops_per_s");
	for (unsigned k = 0; k < MMB_KEV__COUNT; k++)
		put(&s, ",kev_%s", mmb_kevent_def(k)->key);
	put(&s, ",checksum,message\n");
	for (unsigned i = 0; i < r->nbackends; i++) {
		const struct mmb_backend_result *b = &r->b[i];
		if (b->status != 0 || b->nreps == 0) {
			row_start(&s, r, b,
				  b->status == MMB_ESKIP ? "skipped"
							 : "failed");
			put(&s, ",,%u,%" PRIu64 ",%s,%" PRIu64 ",%" PRIu64,
			    r->threads, r->block_size, r->cache, r->file_size,
			    r->seed);
			for (unsigned k = 0; k < MMB_M__COUNT + nx; k++)
				put(&s, ",");
			for (unsigned k = 0; k < LAT_NCOLUMNS; k++)
				put(&s, ",");
			for (unsigned k = 0; k < MMB_KEV__COUNT + 2; k++)
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
			put(&s, ",%u,%u,%" PRIu64 ",%s,%" PRIu64 ",%" PRIu64, n,
			    r->threads, r->block_size, r->cache, r->file_size,
			    r->seed);
			/* Not measurable here (NAN): an empty field. */
			for (unsigned k = 0; k < MMB_M__COUNT; k++)
				put_num(&s, rep->m[k]);
			put_latency(&s, b);
			for (unsigned k = 0; k < nx; k++)
				put_num(&s, xvalue(b, rep, xcol[k]));
			const struct mmb_kevents *kev =
			    b->has_evidence ? &b->evidence.kev : &rep->kev;
			put(&s, ",%s",
			    !kev->counted     ? ""
			    : b->has_evidence ? "evidence"
					      : "repetition");
			put_num(&s, b->has_evidence
					? b->evidence.m[MMB_M_ITEMS_PER_SECOND]
					: NAN);
			for (unsigned k = 0; k < MMB_KEV__COUNT; k++)
				put_num(&s, kev->v[k]);
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
