/* SPDX-License-Identifier: MIT */
/* verdict_text.c - a run's verdict (struct mmb_run_verdict, computed by
 * workloads/verdict.c) in words: the one renderer, used by the console,
 * the "verdict" key of the results JSON and the HTML report (which reads
 * the verdict back from "verdict_data"). Decides nothing: every number and
 * every "faster" comes from the struct. Portable C, in mmb_writers.
 *
 * Plain language first: one sentence says who was faster, by how much, on
 * what ("mmap was 1.8× faster than pread on random 4 KiB reads of a warm
 * 1 GiB file."), then how sure that is, what the access mode changed, and
 * the evidence, every number named with its backend and every kernel term
 * explained where it appears. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mmbench/result.h"
#include "mmbench/units.h"

/* Append to v[len..n) like a chain of snprintf: the length grows past n
 * when cut, and nothing more is written after that. */
static size_t put(char *v, size_t n, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static size_t put(char *v, size_t n, size_t len, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (len >= n)
		return len;
	va_start(ap, fmt);
	k = vsnprintf(v + len, n - len, fmt, ap);
	va_end(ap);
	return k > 0 ? len + (size_t)k : len;
}

/* "1.5M", "950k", "14k", "2.3k", "870": ops/s to two or three digits. */
static const char *rate(double x, char *buf, size_t n)
{
	static const struct mmb_fmt_unit ops[] = {
	    {1e3, 1, "%.0f"},
	    {1e4, 1e3, "%.1fk"},
	    {1e6, 1e3, "%.0fk"},
	    {INFINITY, 1e6, "%.1fM"},
	};

	return mmb_fmt_scaled(x, ops, sizeof(ops) / sizeof(ops[0]), "-", buf,
			      n);
}

/* Ratios as people say them: "13×", "2.4×", "0.96×". */
static const char *ratio(double x, char *buf, size_t n)
{
	snprintf(buf, n, x >= 10 ? "%.0f×" : x >= 1 ? "%.1f×" : "%.2f×", x);
	return buf;
}

static const char *bytes(double v, char *buf, size_t n)
{
	return mmb_fmt_bytes(v, 0, buf, n);
}

/* How sure a comparison is, in words: "3 repetitions each, and their
 * ops/s ranges do not overlap", "Mann-Whitney test on the repetitions'
 * ops/s, p=0.029 (4 vs 5 repetitions)". */
static const char *how(const struct mmb_rv_cmp *c, char *buf, size_t n)
{
	char reps[48];

	if (c->reps[0] == c->reps[1])
		snprintf(reps, sizeof(reps), "%u repetition%s each", c->reps[0],
			 c->reps[0] == 1 ? "" : "s");
	else
		snprintf(reps, sizeof(reps), "%u vs %u repetitions", c->reps[0],
			 c->reps[1]);
	switch (c->rule) {
	case MMB_RV_UTEST:
		if (c->p < 0.001)
			snprintf(buf, n,
				 "Mann-Whitney test on the repetitions' ops/s, "
				 "p<0.001 (%s)",
				 reps);
		else
			snprintf(buf, n,
				 "Mann-Whitney test on the repetitions' ops/s, "
				 "p=%.3f (%s)",
				 c->p, reps);
		break;
	case MMB_RV_SINGLE:
		snprintf(buf, n,
			 "%s, so the run-to-run noise is unknown (--reps 5 "
			 "measures it)",
			 reps);
		break;
	case MMB_RV_RANGES:
		snprintf(buf, n, "%s, and their ops/s ranges %s", reps,
			 c->overlap ? "overlap" : "do not overlap");
		break;
	default:
		snprintf(buf, n, "%s", reps);
		break;
	}
	return buf;
}

/* The workload as a noun phrase for an op size of B ("random %s reads"),
 * by workload name; others as "the NAME workload's %s ops". */
static const struct {
	const char *name, *what;
} phrases[] = {
    {"random-4k", "random %s reads"},
    {"random-64k", "random %s reads"},
    {"random", "random %s reads"},
    {"seq-read", "sequential %s reads"},
    {"seq-write", "sequential %s writes"},
    {"random-write-4k", "random %s writes"},
    {"rw-mix", "random %s reads and writes"},
    {"zipf", "Zipf-skewed random %s reads (a few blocks read most)"},
    {"strided", "strided %s reads"},
    {"scan-once", "%s reads of every block once, in random order"},
};

/* " on random 4 KiB reads of a warm 1 GiB file"; "" when the verdict
 * does not say what ran. */
static size_t scenario(const struct mmb_run_verdict *v, char *t, size_t n,
		       size_t len)
{
	char bs[32], fs[32];
	const char *what = NULL;

	if (!v->workload[0])
		return len;
	for (size_t i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
		if (strcmp(phrases[i].name, v->workload) == 0)
			what = phrases[i].what;
	mmb_fmt_bytes((double)v->block_size, MMB_FMT_EXACT, bs, sizeof(bs));
	len = put(t, n, len, " on ");
	if (!v->block_size)
		len = put(t, n, len, "the %s workload", v->workload);
	else if (what) {
		/* The phrase is one of the table's, with one %s. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		len = put(t, n, len, what, bs);
#pragma GCC diagnostic pop
	} else
		len =
		    put(t, n, len, "the %s workload's %s ops", v->workload, bs);
	if (!v->file_size)
		return len;
	mmb_fmt_bytes((double)v->file_size, 0, fs, sizeof(fs));
	if (strcmp(v->cache, "cold") == 0)
		return put(t, n, len, " of a cold %s file (not cached)", fs);
	if (strcmp(v->cache, "warm") == 0)
		return put(t, n, len, " of a warm %s file (cached)", fs);
	return put(t, n, len, " of a %s file", fs);
}

/* The first sentence, plain: the winner W against the runner-up S and
 * against pread P, on what; then how sure each comparison is. */
static size_t lead(const struct mmb_run_verdict *v, char *t, size_t n)
{
	const char *W = v->winner.name, *S = v->runner_up.name;
	const char *P = v->pread.name;
	const struct mmb_rv_cmp *a = &v->vs_runner_up, *b = &v->vs_pread;
	bool pread = v->pread.index >= 0;
	char h[160], h2[160], x[32], y[32];
	size_t len = 0;

	switch (a->decision) {
	case MMB_RV_FASTER:
		len = put(t, n, len, "%s was %s faster than %s", W,
			  ratio(a->ratio, x, sizeof(x)), S);
		break;
	case MMB_RV_TIE:
		len = put(t, n, len,
			  "%s and %s were within 5%% of each other (%s %s, "
			  "%s %s ops/s)",
			  W, S, W, rate(v->winner.ops_per_s, x, sizeof(x)), S,
			  rate(v->runner_up.ops_per_s, y, sizeof(y)));
		break;
	default:
		len = put(t, n, len,
			  "%s and %s could not be told apart (both about %s "
			  "ops/s; the difference is within their run-to-run "
			  "noise)",
			  W, S, rate(v->both_ops_per_s, x, sizeof(x)));
		break;
	}
	if (pread && a->decision == MMB_RV_NOISE) {
		if (b->decision == MMB_RV_FASTER)
			len = put(t, n, len, ", both %s faster than %s",
				  ratio(v->both_vs_pread, x, sizeof(x)), P);
		else if (b->decision == MMB_RV_TIE)
			len = put(t, n, len, ", both within 5%% of %s", P);
		else
			len = put(t, n, len,
				  ", neither measurably faster than %s", P);
	} else if (pread) {
		bool fa = a->decision == MMB_RV_FASTER;
		if (b->decision == MMB_RV_FASTER && fa)
			len = put(t, n, len, " and %s faster than %s",
				  ratio(b->ratio, x, sizeof(x)), P);
		else if (b->decision == MMB_RV_FASTER)
			len = put(t, n, len, ", and %s was %s faster than %s",
				  W, ratio(b->ratio, x, sizeof(x)), P);
		else if (b->decision == MMB_RV_TIE)
			len = put(t, n, len, ", but within 5%% of %s", P);
		else
			len = put(t, n, len,
				  ", but not measurably faster than %s", P);
	}
	len = scenario(v, t, n, len);
	len = put(t, n, len, ". How sure: ");
	how(a, h, sizeof(h));
	if (!pread)
		return put(t, n, len, "%s.", h);
	how(b, h2, sizeof(h2));
	if (strcmp(h, h2) == 0)
		return put(t, n, len, "against both, %s.", h);
	return put(t, n, len, "against %s, %s; against %s, %s.", S, h, P, h2);
}

/* --access inplace or touch: what each side did with the op's bytes, from
 * bytes_consumed and ops_viewed (mapped backends consume through a view,
 * the others copy into the buffer first). */
static size_t access_mode(const struct mmb_run_verdict *v, char *t, size_t n,
			  size_t len)
{
	const struct mmb_rv_term_value *tv = v->term;
	const struct mmb_rv_side *side[2] = {&v->winner, &v->ref};
	bool touch = strcmp(v->access, "touch") == 0;
	double ns[2];
	char a[32], b[32];

	if (!touch && strcmp(v->access, "inplace") != 0)
		return len;
	len = put(t, n, len, " %s:", v->access);
	for (int i = 0; i < 2; i++) {
		double ops = i ? tv[MMB_RV_T_OPS].ref : tv[MMB_RV_T_OPS].winner;
		double con = i ? tv[MMB_RV_T_BYTES_CONSUMED].ref
			       : tv[MMB_RV_T_BYTES_CONSUMED].winner;
		double vw = i ? tv[MMB_RV_T_OPS_VIEWED].ref
			      : tv[MMB_RV_T_OPS_VIEWED].winner;
		double us = i ? tv[MMB_RV_T_USER_US_PER_OP].ref
			      : tv[MMB_RV_T_USER_US_PER_OP].winner;
		const char *name = side[i]->name;

		ns[i] = NAN;
		if (!isfinite(ops) || !isfinite(con) || !isfinite(vw) ||
		    ops <= 0) {
			len = put(t, n, len, "%s %s: not measured",
				  i ? ";" : "", name);
			continue;
		}
		if (con > 0 && isfinite(us))
			ns[i] = us * 1e3 * ops / con;
		bool viewed = vw >= ops;
		if (touch && viewed)
			len = put(t, n, len,
				  "%s %s loaded %.0f 8-byte words where they "
				  "lie (one per op, %s in all)",
				  i ? ";" : "", name, vw,
				  bytes(con, a, sizeof(a)));
		else if (touch)
			len = put(t, n, len,
				  "%s %s moved %s per op into the buffer to "
				  "read its 8 bytes (%s in all)",
				  i ? ";" : "", name,
				  bytes(con / ops, a, sizeof(a)),
				  bytes(con, b, sizeof(b)));
		else if (viewed)
			len = put(t, n, len,
				  "%s %s consumed %s where it lies, in the "
				  "mapping (ops_viewed = ops)",
				  i ? ";" : "", name, bytes(con, a, sizeof(a)));
		else
			len = put(t, n, len,
				  "%s %s copied every byte (%s) into the "
				  "buffer first",
				  i ? ";" : "", name, bytes(con, a, sizeof(a)));
	}
	/* The consumer's cost: user CPU time per byte it read. */
	if (!touch && isfinite(ns[0]) && isfinite(ns[1])) {
		if (fabs(ns[0] - ns[1]) <= 0.1 * fmax(ns[0], ns[1]))
			len = put(t, n, len,
				  "; consumer %.2f ns/byte of user time on "
				  "both",
				  (ns[0] + ns[1]) / 2);
		else
			len = put(t, n, len,
				  "; consumer %.2f ns/byte of user time on %s, "
				  "%.2f on %s",
				  ns[0], side[0]->name, ns[1], side[1]->name);
	}
	return put(t, n, len, ".");
}

/* What the winner made the device move beyond what it asked for. */
static size_t amplification(const struct mmb_run_verdict *v, char *t, size_t n,
			    size_t len)
{
	const struct mmb_rv_note *rd, *wr, *rbw;
	const char *W = v->winner.name, *R = v->ref.name;
	bool mapped = v->winner.mapped;
	char a[16], b[16];

	rd = mmb_verdict_note(v, MMB_RV_N_READ_AMP, W);
	wr = mmb_verdict_note(v, MMB_RV_N_WRITE_AMP, W);
	rbw = mmb_verdict_note(v, MMB_RV_N_READ_BEFORE_WRITE, W);
	if (rd)
		len = put(t, n, len,
			  " But %s read %s the requested bytes from the device "
			  "(%s: %s): readahead reads beyond each access%s.",
			  W, ratio(rd->value, a, sizeof(a)), R,
			  ratio(rd->other, b, sizeof(b)),
			  mapped ? ", and fault-around maps the neighbouring "
				   "pages of each fault"
				 : "");
	if (wr)
		len = put(t, n, len,
			  " %s wrote %s the requested bytes to the device (%s: "
			  "%s): %s.",
			  W, ratio(wr->value, a, sizeof(a)), R,
			  ratio(wr->other, b, sizeof(b)),
			  mapped ? "a store dirties a whole page or folio, "
				   "which is written back whole"
				 : "partial pages are written back whole");
	if (rbw)
		len =
		    put(t, n, len,
			" %s made the device read %.1f MiB to write %.1f "
			"MiB (%s: %.1f MiB): pages are read in before a "
			"store changes part of them%s.",
			W, rbw->value / 1048576,
			v->term[MMB_RV_T_BYTES_WRITTEN].winner / 1048576, R,
			rbw->other / 1048576, mapped ? ", with readahead" : "");
	if (mmb_verdict_note(v, MMB_RV_N_ADVICE_RANDOM, NULL))
		len = put(t, n, len,
			  " --advice random turns readahead off: try it.");
	return len;
}

/* How one backend reached the file: syscalls or page faults. */
static size_t file_access(const struct mmb_run_verdict *v,
			  const struct mmb_rv_side *s, bool winner, char *t,
			  size_t n, size_t len)
{
	const struct mmb_rv_term_value *tv = v->term;
#define T(k) (winner ? tv[MMB_RV_T_##k].winner : tv[MMB_RV_T_##k].ref)
	double faults = T(FAULTS), major = T(MAJOR_FAULTS);

	if (!s->mapped) {
		if (major > 0)
			len = put(t, n, len,
				  " %s had %.0f major page faults (each waited "
				  "for the disk).",
				  s->name, major);
		return len;
	}
	if (faults == 0)
		return put(t, n, len,
			   " %s made no system call per op and took no page "
			   "fault while timed.",
			   s->name);
	const char *why =
	    mmb_verdict_note(v, MMB_RV_N_PMD_MAPPED, s->name)
		? ": the file was mapped in 2 MiB pieces (large folios)"
	    : mmb_verdict_note(v, MMB_RV_N_FAULT_AROUND, s->name)
		? ": each fault mapped the neighbouring cached pages too "
		  "(fault-around, or large folios)"
		: "";
	/* Windows counts faults without telling major from minor: leave
	 * out what was not measured rather than print nan. */
	char m[64] = "";
	if (major == 0)
		snprintf(m, sizeof(m), " (none waited for the disk)");
	else if (!isnan(major))
		snprintf(m, sizeof(m), " (%.0f major: waited for the disk)",
			 major);
	return put(t, n, len,
		   " %s made no system call per op; its %.0f page faults%s "
		   "mapped %.0f pages, %.1f per fault%s.",
		   s->name, faults, m, T(PAGES_TOUCHED), T(PAGES_PER_FAULT),
		   why);
#undef T
}

static size_t notes(const struct mmb_run_verdict *v, char *t, size_t n,
		    size_t len)
{
	for (unsigned i = 0; i < v->nnotes; i++) {
		const struct mmb_rv_note *x = &v->note[i];

		switch (x->code) {
		case MMB_RV_N_SETUP_OUTSIDE:
			len = put(t, n, len,
				  " %s spent %.1f ms at open, outside the "
				  "timed region.",
				  x->backend, x->value / 1e6);
			break;
		case MMB_RV_N_RESIDENT_DIFFERS:
			len = put(t, n, len,
				  " The file was %.0f%% cached for %s but "
				  "%.0f%% for %s.",
				  x->value * 100, x->backend, x->other * 100,
				  v->ref.name);
			break;
		case MMB_RV_N_CACHE_NOT_AS_ASKED:
			len = put(t, n, len,
				  " The page cache was not %s for %s: %.1f%% "
				  "of the file was cached before a run, so the "
				  "comparison is not the one asked for.",
				  v->cache, x->backend, x->value * 100);
			break;
		case MMB_RV_N_NOT_SERVED:
			len = put(t, n, len,
				  " %s left %.0f ops not served (they would "
				  "have blocked): its ops/s counts only the "
				  "ops it served.",
				  x->backend, x->value);
			break;
		default:
			break; /* rendered with the amplification or faults */
		}
	}
	return len;
}

const char *mmb_verdict_text(const struct mmb_run_verdict *v, char *buf,
			     size_t n)
{
	const struct mmb_rv_term_value *tv = v->term;
	const char *W = v->winner.name, *R = v->ref.name;
	char x[32];
	size_t len;

	if (!n)
		return buf;
	buf[0] = 0;
	if (v->decision == MMB_RV_NONE_RAN) {
		snprintf(buf, n, "no backend ran");
		return buf;
	}
	if (v->decision == MMB_RV_ONLY_ONE) {
		len = put(buf, n, 0, "only %s ran: %s ops/s", W,
			  rate(v->winner.ops_per_s, x, sizeof(x)));
		len = scenario(v, buf, n, len);
		len = put(buf, n, len, ", nothing to compare it with.");
		notes(v, buf, n, len);
		return buf;
	}
	len = lead(v, buf, n);
	/* Said before the per-op counters, so a cut never loses it. */
	len = access_mode(v, buf, n, len);
	len = amplification(v, buf, n, len);
	len = put(buf, n, len,
		  " CPU per op: %s %.2f µs system and %.2f µs user time, %s "
		  "%.2f µs system and %.2f µs user.",
		  W, tv[MMB_RV_T_SYS_US_PER_OP].winner,
		  tv[MMB_RV_T_USER_US_PER_OP].winner, R,
		  tv[MMB_RV_T_SYS_US_PER_OP].ref,
		  tv[MMB_RV_T_USER_US_PER_OP].ref);
	len = file_access(v, &v->winner, true, buf, n, len);
	len = file_access(v, &v->ref, false, buf, n, len);
	notes(v, buf, n, len);
	return buf;
}

const struct mmb_rv_note *mmb_verdict_note(const struct mmb_run_verdict *v,
					   enum mmb_rv_note_code code,
					   const char *backend)
{
	for (unsigned i = 0; i < v->nnotes; i++)
		if (v->note[i].code == code &&
		    (!backend || strcmp(v->note[i].backend, backend) == 0))
			return &v->note[i];
	return NULL;
}
