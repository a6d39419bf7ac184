/* verdict.c - the one-line verdict of a run: which backend is fastest, by
 * how much, whether that is more than the noise of its repetitions, and
 * the counters that explain it.
 *
 * A winner by median alone lies when the top two are within the spread of
 * their repetitions (mmap 1.50M vs mmap-window 1.57M ops/s, ranges
 * overlapping), so every "faster" is checked against the repetitions'
 * ops/s: with the two-sided Mann-Whitney U test (alpha 0.05) when there
 * are enough repetitions for it to reach significance at all (3 vs 3
 * cannot: its smallest p is 0.1), else by whether the [min, max] ranges
 * overlap. The verdict says which rule decided. A significant difference
 * below 5% is still called a tie: it is real but too small to choose a
 * backend by. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iostat.h"
#include "mmbench/backend.h"
#include "mmbench/stats.h"

#define VERDICT_ALPHA 0.05
#define VERDICT_TIE   1.05 /* ratios below are "within 5%" */

enum diff_kind {
	DIFF_NOISE,  /* not significant */
	DIFF_SMALL,  /* significant, below VERDICT_TIE */
	DIFF_FASTER, /* significant and at least VERDICT_TIE */
};

struct diff {
	enum diff_kind kind;
	double ratio; /* median ops/s of a over b; 0 when b's is not > 0 */
	char how[80]; /* "3 reps each; ranges overlap" */
};

static double ips(const struct mmb_rep *rep)
{
	return rep->m[MMB_M_ITEMS_PER_SECOND];
}

/* The U test over the repetitions' ops/s; 0 and *p, or negative when it
 * cannot be run (no repetitions stored, NaN, out of memory). */
static int utest_p(const struct mmb_backend_result *a,
		   const struct mmb_backend_result *b, double *p)
{
	struct mmb_utest u;
	double *x;
	int rc;

	if (!a->reps || !b->reps)
		return MMB_EINVAL;
	x = malloc((a->nreps + b->nreps) * sizeof(*x));
	if (!x)
		return MMB_ENOMEM;
	for (unsigned i = 0; i < a->nreps; i++)
		x[i] = ips(&a->reps[i]);
	for (unsigned i = 0; i < b->nreps; i++)
		x[a->nreps + i] = ips(&b->reps[i]);
	rc = mmb_utest(x, a->nreps, x + a->nreps, b->nreps, &u);
	free(x);
	if (rc == 0)
		*p = u.p;
	return rc;
}

/* Is a (the faster by median) faster than b beyond the noise? */
static void decide(const struct mmb_backend_result *a,
		   const struct mmb_backend_result *b, struct diff *d)
{
	double am = ips(&a->median), bm = ips(&b->median), p = 1;
	bool sig;
	int k;

	d->ratio = bm > 0 ? am / bm : 0;
	if (a->nreps == b->nreps)
		k = snprintf(d->how, sizeof(d->how), "%u rep%s each", a->nreps,
			     a->nreps == 1 ? "" : "s");
	else
		k = snprintf(d->how, sizeof(d->how), "%u vs %u reps", a->nreps,
			     b->nreps);
	size_t len = k > 0 ? (size_t)k : 0;

	if (a->nreps >= 1 && b->nreps >= 1 &&
	    mmb_utest_min_p(a->nreps, b->nreps) <= VERDICT_ALPHA &&
	    utest_p(a, b, &p) == 0) {
		sig = p < VERDICT_ALPHA;
		if (p < 0.001)
			snprintf(d->how + len, sizeof(d->how) - len,
				 "; U test p<0.001");
		else
			snprintf(d->how + len, sizeof(d->how) - len,
				 "; U test p=%.3f", p);
	} else if (a->nreps <= 1 && b->nreps <= 1) {
		/* Two single values: no spread to measure the noise by. The
		 * ratio is all there is; say so rather than call it noise. */
		sig = true;
		snprintf(d->how + len, sizeof(d->how) - len, ": noise unknown");
	} else {
		sig =
		    ips(&a->min) > ips(&b->max) || ips(&b->min) > ips(&a->max);
		snprintf(d->how + len, sizeof(d->how) - len, "; ranges %s",
			 sig ? "do not overlap" : "overlap");
	}
	d->kind = !sig			   ? DIFF_NOISE
		  : d->ratio < VERDICT_TIE ? DIFF_SMALL
					   : DIFF_FASTER;
}

/* "1.5M", "950k", "14k", "2.3k", "870": ops/s to two or three digits. */
static const char *rate(double v, char *buf, size_t n)
{
	if (v >= 1e6)
		snprintf(buf, n, "%.1fM", v / 1e6);
	else if (v >= 1e4)
		snprintf(buf, n, "%.0fk", v / 1e3);
	else if (v >= 1e3)
		snprintf(buf, n, "%.1fk", v / 1e3);
	else
		snprintf(buf, n, "%.0f", v);
	return buf;
}

/* Append to v[len..n) like the snprintf chains it replaces: the length
 * grows past n when cut, and nothing more is written after that. */
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

/* The lead: F against the runner-up S and against pread P (-1: P did not
 * run, or is S, or is F). Returns the length written; *faster_than_ref
 * says whether F beat the reference the counters compare against (P when
 * it ran, else S) beyond noise and 5%. */
static size_t lead(const struct mmb_run_result *r, int f, int s, int p, char *v,
		   size_t n, bool *faster_than_ref)
{
	const struct mmb_backend_result *F = &r->b[f], *S = &r->b[s];
	double fo = ips(&F->median), so = ips(&S->median);
	struct diff a, b;
	char buf[32];
	size_t len = 0;

	decide(F, S, &a);
	*faster_than_ref = a.kind == DIFF_FASTER;
	switch (a.kind) {
	case DIFF_FASTER:
		len = put(v, n, len, "%s is %.1fx faster than %s%s (%s)",
			  F->name, a.ratio, S->name,
			  p >= 0 ? ", the runner-up" : "", a.how);
		break;
	case DIFF_SMALL:
		len = put(v, n, len,
			  "%s and %s are within 5%% (%.0f vs %.0f ops/s; %s)",
			  F->name, S->name, fo, so, a.how);
		break;
	case DIFF_NOISE:
		len = put(v, n, len,
			  "%s and %s are within noise of each other (%s); "
			  "both ~%s ops/s",
			  F->name, S->name, a.how,
			  rate((fo + so) / 2, buf, sizeof(buf)));
		break;
	}
	if (p < 0)
		return len;

	const struct mmb_backend_result *P = &r->b[p];
	decide(F, P, &b);
	*faster_than_ref = b.kind == DIFF_FASTER;
	if (a.kind == DIFF_NOISE) {
		/* "both ~1.5M ops/s, 2.0x pread": the pair's midpoint over
		 * pread, as far as the winner's difference is significant. */
		double pm = ips(&P->median), both = (fo + so) / 2;
		if (b.kind == DIFF_FASTER)
			len = put(v, n, len, ", %.1fx %s (%s)",
				  pm > 0 ? both / pm : 0, P->name, b.how);
		else
			len = put(v, n, len, ", within %s of %s (%s)",
				  b.kind == DIFF_SMALL ? "5%" : "noise",
				  P->name, b.how);
		return len;
	}
	const char *who = a.kind != DIFF_FASTER	  ? F->name
			  : b.kind == DIFF_FASTER ? "and"
						  : "but";
	const char *is = a.kind == DIFF_FASTER ? "" : " is";
	const char *sep = a.kind == DIFF_FASTER ? ", " : "; ";
	if (b.kind == DIFF_FASTER)
		len = put(v, n, len, "%s%s%s %.1fx faster than %s (%s)", sep,
			  who, is, b.ratio, P->name, b.how);
	else
		len =
		    put(v, n, len, "%s%s%s within %s of %s (%s)", sep, who, is,
			b.kind == DIFF_SMALL ? "5%" : "noise", P->name, b.how);
	return len;
}

void mmb__make_verdict(struct mmb_run_result *r)
{
	int f = mmb_run_result_fastest(r), s = -1, p = -1;
	char *v = r->verdict;
	size_t n = sizeof(r->verdict), len;
	bool faster;

	if (f < 0) {
		snprintf(v, n, "no backend ran");
		return;
	}
	for (unsigned i = 0; i < r->nbackends; i++) {
		if ((int)i == f || r->b[i].status != 0)
			continue;
		if (strcmp(r->b[i].name, "pread") == 0)
			p = (int)i;
		if (s < 0 || ips(&r->b[i].median) > ips(&r->b[s].median))
			s = (int)i;
	}
	const struct mmb_backend_result *F = &r->b[f];
	const double *fm = F->median.m;
	if (s < 0) {
		snprintf(v, n, "only %s ran: %.0f ops/s", F->name,
			 fm[MMB_M_ITEMS_PER_SECOND]);
		return;
	}
	/* The counters explain the winner against pread, the plain read
	 * path, when it ran; else against the runner-up. */
	int ref = p >= 0 ? p : s;
	len = lead(r, f, s, p == s ? -1 : p, v, n, &faster);

	const struct mmb_backend_result *R = &r->b[ref];
	const double *rm = R->median.m;
	/* ops/s alone can mislead: say first when the winner made the
	 * device move much more than it asked for. */
	size_t lead_len = len;
	len = mmb__io_verdict_amp(r, F, R, faster, v, n, len);
	double fo = fm[MMB_M_OPS] > 0 ? fm[MMB_M_OPS] : 1;
	double ro = rm[MMB_M_OPS] > 0 ? rm[MMB_M_OPS] : 1;
	len = put(v, n, len,
		  "%s%.2f vs %.2f us/op system time, %.2f vs "
		  "%.2f us/op user time",
		  len > lead_len ? "; per op: " : ": ",
		  fm[MMB_M_SYS_NS] / fo / 1e3, rm[MMB_M_SYS_NS] / ro / 1e3,
		  fm[MMB_M_USER_NS] / fo / 1e3, rm[MMB_M_USER_NS] / ro / 1e3);
	const struct mmb_backend_result *two[2] = {F, R};
	for (int i = 0; i < 2; i++) {
		const double *m = two[i]->median.m;
		if (!(two[i]->caps & MMB_CAP_MAPPED)) {
			if (m[MMB_M_MAJOR_FAULTS] > 0)
				len = put(v, n, len, "; %s: %.0f major faults",
					  two[i]->name, m[MMB_M_MAJOR_FAULTS]);
			continue;
		}
		if (m[MMB_M_FAULTS] == 0) {
			len = put(v, n, len,
				  "; %s: no syscall per op, no faults in the "
				  "timed region",
				  two[i]->name);
			continue;
		}
		const char *why = m[MMB_M_FILE_PMD_MAPPED_KB] > 0
				      ? ", PMD-mapped large folios"
				  : m[MMB_M_PAGES_PER_FAULT] >= 2
				      ? ", large folios or fault-around"
				      : "";
		/* Windows counts faults without telling major from minor:
		 * leave out what was not measured rather than print nan. */
		char major[48] = "";
		if (!isnan(m[MMB_M_MAJOR_FAULTS]))
			snprintf(major, sizeof(major), " (%.0f major)",
				 m[MMB_M_MAJOR_FAULTS]);
		len =
		    put(v, n, len,
			"; %s: no syscall per op, %.0f faults%s covering "
			"%.0f pages (%.1f pages/fault%s)",
			two[i]->name, m[MMB_M_FAULTS], major,
			m[MMB_M_PAGES_TOUCHED], m[MMB_M_PAGES_PER_FAULT], why);
	}
	/* Work moved out of the timed region, or a different starting
	 * point, explains a ratio as much as the counters do. */
	if (fm[MMB_M_SETUP_NS] > 0.1 * fm[MMB_M_ELAPSED_NS] &&
	    fm[MMB_M_SETUP_NS] > 10 * rm[MMB_M_SETUP_NS])
		len = put(v, n, len,
			  "; %s spent %.1f ms at open, outside the timed "
			  "region",
			  F->name, fm[MMB_M_SETUP_NS] / 1e6);
	if (fabs(fm[MMB_M_RESIDENT_BEFORE] - rm[MMB_M_RESIDENT_BEFORE]) > 0.1)
		len = put(v, n, len,
			  "; the file was %.0f%% cached for %s but %.0f%% for "
			  "%s",
			  fm[MMB_M_RESIDENT_BEFORE] * 100, F->name,
			  rm[MMB_M_RESIDENT_BEFORE] * 100, R->name);
	mmb__io_verdict_cache(r, F, R, v, n, len);
}
