/* verdict_text.c - a run's verdict (struct mmb_run_verdict, computed by
 * workloads/verdict.c) in words: the one renderer, used by the console,
 * the "verdict" key of the results JSON and the HTML report (which reads
 * the verdict back from "verdict_data"). Decides nothing: every number and
 * every "faster" comes from the struct. Portable C, in mmb_writers. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mmbench/result.h"

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
	if (x >= 1e6)
		snprintf(buf, n, "%.1fM", x / 1e6);
	else if (x >= 1e4)
		snprintf(buf, n, "%.0fk", x / 1e3);
	else if (x >= 1e3)
		snprintf(buf, n, "%.1fk", x / 1e3);
	else
		snprintf(buf, n, "%.0f", x);
	return buf;
}

/* Ratios as people say them: "13x", "2.4x", "0.96x". */
static const char *ratio(double x, char *buf, size_t n)
{
	snprintf(buf, n, x >= 10 ? "%.0fx" : x >= 1 ? "%.1fx" : "%.2fx", x);
	return buf;
}

/* The rule of a comparison: "3 reps each; ranges overlap". */
static const char *how(const struct mmb_rv_cmp *c, char *buf, size_t n)
{
	size_t len;

	if (c->reps[0] == c->reps[1])
		len = put(buf, n, 0, "%u rep%s each", c->reps[0],
			  c->reps[0] == 1 ? "" : "s");
	else
		len = put(buf, n, 0, "%u vs %u reps", c->reps[0], c->reps[1]);
	switch (c->rule) {
	case MMB_RV_UTEST:
		if (c->p < 0.001)
			put(buf, n, len, "; U test p<0.001");
		else
			put(buf, n, len, "; U test p=%.3f", c->p);
		break;
	case MMB_RV_SINGLE:
		put(buf, n, len, ": noise unknown");
		break;
	case MMB_RV_RANGES:
		put(buf, n, len, "; ranges %s",
		    c->overlap ? "overlap" : "do not overlap");
		break;
	default:
		break;
	}
	return buf;
}

static const char *within(const struct mmb_rv_cmp *c)
{
	return c->decision == MMB_RV_TIE ? "5%" : "noise";
}

/* The first sentence: the winner W against the runner-up S and against
 * pread P. */
static size_t lead(const struct mmb_run_verdict *v, char *t, size_t n)
{
	const char *W = v->winner.name, *S = v->runner_up.name;
	const char *P = v->pread.name;
	const struct mmb_rv_cmp *a = &v->vs_runner_up, *b = &v->vs_pread;
	bool pread = v->pread.index >= 0;
	char h[96], x[32];
	size_t len = 0;

	switch (a->decision) {
	case MMB_RV_FASTER:
		len = put(t, n, len, "%s is %.1fx faster than %s%s (%s)", W,
			  a->ratio, S, pread ? ", the runner-up" : "",
			  how(a, h, sizeof(h)));
		break;
	case MMB_RV_TIE:
		len = put(t, n, len,
			  "%s and %s are within 5%% (%.0f vs %.0f ops/s; %s)",
			  W, S, v->winner.ops_per_s, v->runner_up.ops_per_s,
			  how(a, h, sizeof(h)));
		break;
	default:
		len = put(t, n, len,
			  "%s and %s are within noise of each other (%s); "
			  "both ~%s ops/s",
			  W, S, how(a, h, sizeof(h)),
			  rate(v->both_ops_per_s, x, sizeof(x)));
		break;
	}
	if (!pread)
		return len;
	if (a->decision == MMB_RV_NOISE) {
		/* "both ~1.5M ops/s, 2.0x pread": the pair's midpoint over
		 * pread, as far as the winner's difference is significant. */
		if (b->decision == MMB_RV_FASTER)
			return put(t, n, len, ", %.1fx %s (%s)",
				   v->both_vs_pread, P, how(b, h, sizeof(h)));
		return put(t, n, len, ", within %s of %s (%s)", within(b), P,
			   how(b, h, sizeof(h)));
	}
	bool fa = a->decision == MMB_RV_FASTER;
	const char *who = !fa				 ? W
			  : b->decision == MMB_RV_FASTER ? "and"
							 : "but";
	const char *is = fa ? "" : " is", *sep = fa ? ", " : "; ";
	if (b->decision == MMB_RV_FASTER)
		return put(t, n, len, "%s%s%s %.1fx faster than %s (%s)", sep,
			   who, is, b->ratio, P, how(b, h, sizeof(h)));
	return put(t, n, len, "%s%s%s within %s of %s (%s)", sep, who, is,
		   within(b), P, how(b, h, sizeof(h)));
}

/* What the winner made the device move beyond what it asked for. */
static size_t amplification(const struct mmb_run_verdict *v, char *t, size_t n,
			    size_t len)
{
	const struct mmb_rv_note *rd, *wr, *rbw;
	const char *W = v->winner.name, *R = v->ref.name;
	bool mapped = v->winner.mapped, faster = v->faster_than_ref;
	char a[16], b[16];

	rd = mmb_verdict_note(v, MMB_RV_N_READ_AMP, W);
	wr = mmb_verdict_note(v, MMB_RV_N_WRITE_AMP, W);
	rbw = mmb_verdict_note(v, MMB_RV_N_READ_BEFORE_WRITE, W);
	if (rd) {
		if (faster)
			len = put(t, n, len, ", but it read");
		else
			len = put(t, n, len, "; %s read", W);
		len = put(t, n, len,
			  " %s the requested bytes from the device (%s: %s; "
			  "%s)",
			  ratio(rd->value, a, sizeof(a)), R,
			  ratio(rd->other, b, sizeof(b)),
			  mapped ? "readahead and fault-around" : "readahead");
	}
	if (wr) {
		if (rd)
			len = put(t, n, len, " and wrote");
		else if (faster)
			len = put(t, n, len, ", but it wrote");
		else
			len = put(t, n, len, "; %s wrote", W);
		len = put(t, n, len,
			  " %s the requested bytes to the device (%s: %s; %s)",
			  ratio(wr->value, a, sizeof(a)), R,
			  ratio(wr->other, b, sizeof(b)),
			  mapped ? "a store dirties a whole page or folio"
				 : "partial pages written back whole");
	}
	if (rbw) {
		if (faster)
			len = put(t, n, len, ", but it made the device read");
		else
			len = put(t, n, len, "; %s made the device read", W);
		len =
		    put(t, n, len,
			" %.1f MiB to write %.1f MiB (%s: %.1f MiB; pages "
			"read in before being partly overwritten%s)",
			rbw->value / 1048576,
			v->term[MMB_RV_T_BYTES_WRITTEN].winner / 1048576, R,
			rbw->other / 1048576, mapped ? ", with readahead" : "");
	}
	if (mmb_verdict_note(v, MMB_RV_N_ADVICE_RANDOM, NULL))
		len = put(t, n, len, "; try --advice random");
	return len;
}

/* How one backend reached the file: syscalls or faults. */
static size_t file_access(const struct mmb_run_verdict *v,
			  const struct mmb_rv_side *s, bool winner, char *t,
			  size_t n, size_t len)
{
	const struct mmb_rv_term_value *tv = v->term;
#define T(k) (winner ? tv[MMB_RV_T_##k].winner : tv[MMB_RV_T_##k].ref)
	double faults = T(FAULTS), major = T(MAJOR_FAULTS);

	if (!s->mapped) {
		if (major > 0)
			len = put(t, n, len, "; %s: %.0f major faults", s->name,
				  major);
		return len;
	}
	if (faults == 0)
		return put(t, n, len,
			   "; %s: no syscall per op, no faults in the timed "
			   "region",
			   s->name);
	const char *why = mmb_verdict_note(v, MMB_RV_N_PMD_MAPPED, s->name)
			      ? ", PMD-mapped large folios"
			  : mmb_verdict_note(v, MMB_RV_N_FAULT_AROUND, s->name)
			      ? ", large folios or fault-around"
			      : "";
	/* Windows counts faults without telling major from minor: leave
	 * out what was not measured rather than print nan. */
	char m[48] = "";
	if (!isnan(major))
		snprintf(m, sizeof(m), " (%.0f major)", major);
	return put(t, n, len,
		   "; %s: no syscall per op, %.0f faults%s covering %.0f "
		   "pages (%.1f pages/fault%s)",
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
				  "; %s spent %.1f ms at open, outside the "
				  "timed region",
				  x->backend, x->value / 1e6);
			break;
		case MMB_RV_N_RESIDENT_DIFFERS:
			len = put(t, n, len,
				  "; the file was %.0f%% cached for %s but "
				  "%.0f%% for %s",
				  x->value * 100, x->backend, x->other * 100,
				  v->ref.name);
			break;
		case MMB_RV_N_CACHE_NOT_AS_ASKED:
			len = put(t, n, len,
				  "; the page cache was not %s for %s: %.1f%% "
				  "of the file was cached before a run, so the "
				  "comparison is not the one asked for",
				  v->cache, x->backend, x->value * 100);
			break;
		case MMB_RV_N_NOT_SERVED:
			len = put(t, n, len,
				  "; %s left %.0f ops not served (they would "
				  "have blocked): its ops/s counts only the "
				  "ops it served",
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
	size_t len, lead_len;

	if (!n)
		return buf;
	buf[0] = 0;
	if (v->decision == MMB_RV_NONE_RAN) {
		snprintf(buf, n, "no backend ran");
		return buf;
	}
	if (v->decision == MMB_RV_ONLY_ONE) {
		len = put(buf, n, 0, "only %s ran: %.0f ops/s", v->winner.name,
			  v->winner.ops_per_s);
		notes(v, buf, n, len);
		return buf;
	}
	lead_len = len = lead(v, buf, n);
	/* Said before the per-op counters, so a cut never loses it. */
	len = amplification(v, buf, n, len);
	len = put(buf, n, len,
		  "%s%.2f vs %.2f us/op system time, %.2f vs %.2f us/op user "
		  "time",
		  len > lead_len ? "; per op: " : ": ",
		  tv[MMB_RV_T_SYS_US_PER_OP].winner,
		  tv[MMB_RV_T_SYS_US_PER_OP].ref,
		  tv[MMB_RV_T_USER_US_PER_OP].winner,
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
