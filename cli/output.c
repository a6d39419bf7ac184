/* SPDX-License-Identifier: MIT */
/* output.c - mmbench run's results files, JSON and CSV, through the
 * results writers (reports/: mmb_reports on Linux, mmb_writers on
 * Windows), the same on every platform; and its console output: the
 * header, the table, each backend's details and the verdict. What else a
 * platform can write or measure is in posix/output.c and win/output.c.
 *
 * The table has two layouts. The narrow one fits MMB_CLI_NARROW (80)
 * columns: ops/s, MB/s, p50, p99, minor and major faults, pages per fault
 * and the cached fraction, the columns the verdict argues from. The wide
 * one (WIDE_COLS) adds the mean latency and wider columns; it is chosen
 * with --wide or when the terminal is at least that wide. Prose lines
 * (header, details, verdict) are wrapped at the terminal's width when
 * stdout is a terminal, and left one line each for a pipe or a file, so
 * that grep sees a whole sentence. Every detail line starts with its
 * backend's name. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "mmb/error.h"
#include "mmbench/backend.h"
#include "mmbench/result.h"
#include "mmbench/units.h"
#include "mmbench/workload.h"
#include "output.h"

/* The width of the wide table. */
#define WIDE_COLS 106
/* In text given to wrap(): a space that never breaks a line. */
#define NBSP '\x1f'

int mmb_cli_check_output(const char *opt, const char *path)
{
	char msg[256];

	if (mmb_check_writable(path) < 0) {
		fprintf(stderr, "mmbench run: --%s %s: %s\n", opt, path,
			mmb_errmsg(msg, sizeof(msg)));
		return MMB_EXIT_USAGE;
	}
	return 0;
}

int mmb_cli_save_json(const struct mmb_run_result *r, const char *path)
{
	char msg[512];

	if (mmb_report_json(r, path) < 0) {
		fprintf(stderr, "mmbench run: --json %s: %s\n", path,
			mmb_errmsg(msg, sizeof(msg)));
		return -1;
	}
	return 0;
}

int mmb_cli_save_csv(const struct mmb_run_result *r, const char *path)
{
	char msg[512];

	if (mmb_report_csv(r, path) < 0) {
		fprintf(stderr, "mmbench run: --csv %s: %s\n", path,
			mmb_errmsg(msg, sizeof(msg)));
		return -1;
	}
	return 0;
}

/* ---- text on a terminal ------------------------------------------------- */

/* Columns s takes on a terminal: UTF-8 continuation bytes take none
 * ("µs" is two). */
static unsigned cols(const char *s, size_t n)
{
	unsigned c = 0;

	for (size_t i = 0; i < n && s[i]; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

static void put_word(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fputc(s[i] == NBSP ? ' ' : s[i], f);
}

/* text from column col on, wrapped at width (0: never) with continuation
 * lines indented by indent; a word longer than a line is not cut. Ends
 * with a newline. */
static void wrap(FILE *f, const char *text, unsigned col, unsigned indent,
		 unsigned width)
{
	const char *t = text;
	bool line_start = true;

	/* Spaces between words are kept (a table row's padding); at a
	 * break they are dropped. */
	while (*t) {
		size_t sp = strspn(t, " ");
		const char *w = t + sp;
		size_t wl = strcspn(w, " ");
		unsigned wc = cols(w, wl);

		if (!wl)
			break;
		if (!line_start && width && col + sp + wc > width) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else {
			fprintf(f, "%*s", (int)sp, "");
			col += (unsigned)sp;
		}
		put_word(f, w, wl);
		col += wc;
		line_start = false;
		t = w + wl;
	}
	fputc('\n', f);
}

struct out {
	FILE *f;
	unsigned width; /* wrap prose here; 0: never */
	bool wide;
	int name_w; /* the backend column */
};

/* One prose line, printf-style, wrapped with continuation lines indented
 * by indent. */
static void say(const struct out *o, unsigned indent, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(const struct out *o, unsigned indent, const char *fmt, ...)
{
	char text[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	wrap(o->f, text, 0, indent, o->width);
}

/* A detail line of backend name: "  NAME WHAT: TEXT". */
static void detail(const struct out *o, const char *name, const char *what,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void detail(const struct out *o, const char *name, const char *what,
		   const char *fmt, ...)
{
	char text[4096];
	va_list ap;
	int len;

	len = snprintf(text, sizeof(text), "  %s %s: ", name, what);
	va_start(ap, fmt);
	if (len > 0 && (size_t)len < sizeof(text))
		vsnprintf(text + len, sizeof(text) - (size_t)len, fmt, ap);
	va_end(ap);
	wrap(o->f, text, 0, 6, o->width);
}

/* s right-aligned in w terminal columns. */
static void cell(FILE *f, const char *s, int w)
{
	int pad = w - (int)cols(s, strlen(s));

	fprintf(f, " %*s%s", pad > 0 ? pad : 0, "", s);
}

/* ---- numbers ------------------------------------------------------------ */

/* "812.3k", "1.54M"; "-" when not measurable here (NAN). */
static const char *si(double v, char *buf, size_t n)
{
	static const struct mmb_fmt_unit si_units[] = {
	    {1e4, 1, "%.0f"},
	    {1e6, 1e3, "%.1fk"},
	    {1e9, 1e6, "%.2fM"},
	    {INFINITY, 1e9, "%.2fG"},
	};

	return mmb_fmt_scaled(
	    v, si_units, sizeof(si_units) / sizeof(si_units[0]), "-", buf, n);
}

/* Latency in ns, three digits: "850ns", "1.23µs", "42.2µs", "393µs",
 * "4.50ms". */
static const char *lat(double ns, char *buf, size_t n)
{
	static const struct mmb_fmt_unit lat_units[] = {
	    {1e3, 1, "%.0fns"},	  {1e4, 1e3, "%.2fµs"},
	    {1e5, 1e3, "%.1fµs"}, {1e6, 1e3, "%.0fµs"},
	    {1e7, 1e6, "%.2fms"}, {1e8, 1e6, "%.1fms"},
	    {1e9, 1e6, "%.0fms"}, {INFINITY, 1e9, "%.2fs"},
	};

	return mmb_fmt_scaled(ns, lat_units,
			      sizeof(lat_units) / sizeof(lat_units[0]), "-",
			      buf, n);
}

/* MB/s: "1609", "63.0"; "-" when not measured. */
static const char *mbps(double bps, char *buf, size_t n)
{
	double v = bps / 1e6;

	if (isnan(v))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, v >= 1000 ? "%.0f" : "%.1f", v);
	return buf;
}

/* Device bytes as "53.7 MiB"; "-" when not measurable here (NAN). */
static const char *dev_bytes(double v, char *buf, size_t n)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	unsigned u = 0;

	if (isnan(v)) {
		snprintf(buf, n, "-");
		return buf;
	}
	while (u < 4 && v >= 1024) {
		v /= 1024;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", v, units[u]);
	return buf;
}

/* Amplification as "13.00x"; "-" when not measurable or nothing asked. */
static const char *amp(double v, char *buf, size_t n)
{
	if (isnan(v))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.2fx", v);
	return buf;
}

/* ---- each backend's details --------------------------------------------- */

/* What the storage did for one backend: the process's device bytes and
 * their ratio to the bytes asked for, and the whole disk's. */
static void print_io(const struct out *o, const char *name, const double *m)
{
	char a[32], b[32], c[32], d[32], e[32], f[32];

	detail(o, name, "device",
	       "read %s (%s requested), wrote %s (%s requested); whole disk: "
	       "read %s, wrote %s",
	       dev_bytes(m[MMB_M_DEV_READ_BYTES], a, sizeof(a)),
	       amp(m[MMB_M_READ_AMP], b, sizeof(b)),
	       dev_bytes(m[MMB_M_DEV_WRITE_BYTES], c, sizeof(c)),
	       amp(m[MMB_M_WRITE_AMP], d, sizeof(d)),
	       dev_bytes(m[MMB_M_DISK_READ_BYTES], e, sizeof(e)),
	       dev_bytes(m[MMB_M_DISK_WRITE_BYTES], f, sizeof(f)));
}

/* Mapped backends: which folio sizes back the mapped pages, the evidence
 * for pages/fault. */
static void print_folios(const struct out *o,
			 const struct mmb_backend_result *b)
{
	static const char *const size[MMB_FOLIO_ORDERS] = {
	    "4K",   "8K",   "16K", "32K", "64K", "128K",
	    "256K", "512K", "1M",  "2M",  ">=4M"};
	char text[512];
	size_t len = 0;
	uint64_t all = 0;

	if (!(b->caps & MMB_CAP_MAPPED))
		return;
	if (!b->folio_known) {
		detail(o, b->name, "folios", "unknown: %s",
		       b->folio_why[0] ? b->folio_why : "nothing mapped");
		return;
	}
	for (unsigned k = 0; k < MMB_FOLIO_ORDERS; k++)
		all += b->folio_pages[k];
	text[0] = 0;
	for (unsigned k = 0; k < MMB_FOLIO_ORDERS && len < sizeof(text); k++)
		if (b->folio_pages[k])
			len += (size_t)snprintf(
			    text + len, sizeof(text) - len, " %s %.1f%%",
			    size[k],
			    100.0 * (double)b->folio_pages[k] / (double)all);
	detail(o, b->name, "folios", "of the %llu mapped pages:%s",
	       (unsigned long long)all, text);
}

/* Ops a non-blocking backend left not served (ops_not_served): in its
 * first repetition, whose checksum the result keeps (rep NULL), or in
 * rep; 0 for a backend that serves every op. */
static double not_served(const struct mmb_backend_result *b,
			 const struct mmb_rep *rep)
{
	double most = 0;

	for (unsigned k = 0; k < b->nx; k++) {
		if (strcmp(b->xdef[k].name, "ops_not_served") != 0)
			continue;
		if (rep)
			return rep->x[k] > 0 ? rep->x[k] : 0;
		/* Any repetition: the stability note is about all of them. */
		for (unsigned i = 0; i < b->nreps; i++)
			if (b->reps[i].x[k] > most)
				most = b->reps[i].x[k];
	}
	return most;
}

/* Same ops must read the same bytes whatever the method, except where a
 * non-blocking backend left ops not served (no bytes, no checksum): then
 * the checksums differ for that reason, and the message says so. The
 * reference is the first backend that ran and served every op. */
static void print_checksums(const struct out *o, const struct mmb_run_result *r)
{
	int ref = -1;

	if (r->duration_s > 0)
		return; /* each backend did as many ops as it could */
	for (unsigned i = 0; i < r->nbackends && ref < 0; i++)
		if (r->b[i].status == 0 && r->b[i].nreps &&
		    not_served(&r->b[i], &r->b[i].reps[0]) == 0)
			ref = (int)i;
	for (unsigned i = 0; ref >= 0 && i < r->nbackends; i++) {
		const struct mmb_backend_result *b = &r->b[i];
		if ((int)i == ref || b->status != 0 ||
		    b->median.checksum == r->b[ref].median.checksum)
			continue;
		double ns = b->nreps ? not_served(b, &b->reps[0]) : 0;
		if (ns > 0)
			say(o, 2,
			    "note: %s's checksum differs from %s's because "
			    "%.0f ops were not served (they would have "
			    "blocked)",
			    b->name, r->b[ref].name, ns);
		else
			say(o, 2,
			    "warning: %s read different bytes than %s "
			    "(checksums differ)",
			    b->name, r->b[ref].name);
	}
}

static void print_kevents(const struct out *o, const char *name,
			  const struct mmb_kevents *k)
{
	static const struct {
		const char *label;
		enum mmb_kevent e;
		double scale;
	} items[] = {
	    {"page cache +", MMB_KEV_PC_ADD_PAGES, 1},
	    {" -", MMB_KEV_PC_DEL_PAGES, 1},
	    {" pg; readahead ", MMB_KEV_RA_ORDER, 1},
	    {" windows/", MMB_KEV_RA_ORDER_PAGES, 1},
	    {" pg, sync ", MMB_KEV_RA_SYNC, 1},
	    {"/", MMB_KEV_RA_SYNC_PAGES, 1},
	    {" pg, async ", MMB_KEV_RA_ASYNC, 1},
	    {"/", MMB_KEV_RA_ASYNC_PAGES, 1},
	    {" pg; faults user ", MMB_KEV_PF_USER, 1},
	    {" kernel ", MMB_KEV_PF_KERNEL, 1},
	    {"; bios ", MMB_KEV_BIO, 1},
	    {"/", MMB_KEV_BIO_SECTORS, 512},
	    {" B; tlb ", MMB_KEV_TLB, 1},
	    {"; mmap_lock ", MMB_KEV_MMAP_LOCK_WAIT, 1},
	    {" (contended ", MMB_KEV_MMAP_LOCK_FAIL, 1},
	    {"); reclaim ", MMB_KEV_RECLAIM_DIRECT, 1},
	};
	char v[32], text[1024];
	size_t len = 0;
	unsigned navail = 0;

	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		navail += !isnan(k->v[items[i].e]);
	if (!k->counted || !navail) {
		detail(o, name, "kernel events", "unavailable: %s",
		       k->why[items[0].e]);
		return;
	}
	text[0] = 0;
	for (size_t i = 0;
	     i < sizeof(items) / sizeof(items[0]) && len < sizeof(text); i++) {
		double x = k->v[items[i].e] * items[i].scale;
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s",
					items[i].label, si(x, v, sizeof(v)));
	}
	detail(o, name, "kernel", "%s", text);
}

/* Where the kernel events and the profile above were counted, when in
 * the evidence repetition (mmbench/kevents.h): its ops/s against the
 * measured median, which is what the instrumentation cost. */
static void print_evidence(const struct out *o,
			   const struct mmb_backend_result *b)
{
	double e = b->evidence.m[MMB_M_ITEMS_PER_SECOND];
	double med = b->median.m[MMB_M_ITEMS_PER_SECOND];
	char v[32];

	if (!b->has_evidence || !(med > 0))
		return;
	double d = 100 * (e / med - 1);
	detail(o, b->name, "evidence",
	       "%s counted in an extra repetition, which ran at %s ops/s, "
	       "%.1f%% %s the measured median",
	       b->evidence.kev.counted && b->profile ? "kernel events and "
						       "profile"
	       : b->evidence.kev.counted	     ? "kernel events"
						     : "profile",
	       si(e, v, sizeof(v)), d < 0 ? -d : d, d < 0 ? "below" : "above");
}

/* The backend's own metrics (.metrics hook: bufferpool's pool_*,
 * mmap-window's remaps) of the median repetition, one line. */
static void print_xmetrics(const struct out *o,
			   const struct mmb_backend_result *b)
{
	char text[1024], v[32];
	size_t len = 0;

	if (!b->nx)
		return;
	text[0] = 0;
	for (unsigned k = 0; k < b->nx && len < sizeof(text); k++) {
		double x = b->median.x[k];
		if (strcmp(b->xdef[k].unit, "fraction") == 0 && !isnan(x))
			snprintf(v, sizeof(v), "%.1f%%", 100 * x);
		else
			si(x, v, sizeof(v));
		len +=
		    (size_t)snprintf(text + len, sizeof(text) - len, "%s%s %s",
				     k ? ", " : "", b->xdef[k].name, v);
	}
	detail(o, b->name, "backend", "%s", text);
}

/* --profile: the categories above 0.5% and the top function, one line. */
static void print_profile(const struct out *o, const char *name,
			  const struct mmb_profile *p)
{
	char text[1024];
	size_t len = 0;

	if (!p)
		return;
	text[0] = 0;
	for (unsigned c = 0; c < MMB_PROF__COUNT && len < sizeof(text); c++)
		if (p->frac[c] >= 0.005)
			len += (size_t)snprintf(text + len, sizeof(text) - len,
						"%s%s %.0f%%", len ? " " : "",
						mmb_prof_category_key(c),
						p->frac[c] * 100);
	if (p->ntop && len < sizeof(text))
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"; top %s%s %.0f%%", p->top[0].name,
					p->top[0].kernel ? " [k]" : "",
					p->top[0].share * 100);
	if (len < sizeof(text))
		snprintf(text + len, sizeof(text) - len, " (%llu samples%s%s)",
			 (unsigned long long)p->samples, p->note[0] ? "; " : "",
			 p->note);
	detail(o, name, "profile", "%s", text);
}

/* --access inplace/touch: which backends consumed in place through a view
 * and which had to copy into the buffer first; never left unsaid. */
static void print_access(const struct out *o, const struct mmb_run_result *r,
			 int am)
{
	char view[512] = "", copy[512] = "", text[1400];
	size_t nv = 0, nc = 0, len;

	if (am < 0)
		return;
	if (am == MMB_AM_COPY) {
		say(o, 2,
		    "access copy: every op's bytes are copied into the "
		    "buffer (read, or memcpy out of the mapping)");
		return;
	}
	for (unsigned i = 0; i < r->nbackends; i++) {
		const struct mmb_backend_result *b = &r->b[i];
		if (!(b->caps & MMB_CAP_READ))
			continue;
		if (b->caps & MMB_CAP_VIEW && nv < sizeof(view))
			nv += (size_t)snprintf(view + nv, sizeof(view) - nv,
					       "%s%s", nv ? ", " : "", b->name);
		else if (!(b->caps & MMB_CAP_VIEW) && nc < sizeof(copy))
			nc += (size_t)snprintf(copy + nc, sizeof(copy) - nc,
					       "%s%s", nc ? ", " : "", b->name);
	}
	len = (size_t)snprintf(text, sizeof(text), "access %s: %s",
			       mmb_access_mode_name((enum mmb_access_mode)am),
			       am == MMB_AM_TOUCH
				   ? "one 8-byte load per op"
				   : "every byte of every op consumed");
	if (nv && len < sizeof(text))
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"; in place through a view: %s", view);
	if (nc && len < sizeof(text))
		snprintf(text + len, sizeof(text) - len,
			 "; copied into the buffer first (no view): %s", copy);
	say(o, 2, "%s", text);
}

/* ---- the table ---------------------------------------------------------- */

struct col {
	const char *head;
	int w, wide_w; /* terminal columns; wide_w 0: only in the narrow */
	bool narrow;   /* shown in the narrow layout */
};

enum {
	C_OPS,
	C_MBS,
	C_MEAN,
	C_P50,
	C_P99,
	C_MINOR,
	C_MAJOR,
	C_PPF,
	C_RES,
	C__COUNT
};

/* Narrow: 14 + 8 + 8 + 8 + 8 + 8 + 7 + 7 + 7 = 75 columns at most. */
static const struct col columns[C__COUNT] = {
    [C_OPS] = {"ops/s", 7, 10, true},  [C_MBS] = {"MB/s", 7, 9, true},
    [C_MEAN] = {"mean", 0, 9, false},  [C_P50] = {"p50", 7, 9, true},
    [C_P99] = {"p99", 7, 9, true},     [C_MINOR] = {"minor", 7, 9, true},
    [C_MAJOR] = {"major", 6, 8, true}, [C_PPF] = {"pg/flt", 6, 11, true},
    [C_RES] = {"cached", 6, 9, true},
};

static void row(const struct out *o, const char *name,
		const char *const v[C__COUNT])
{
	fprintf(o->f, "%-*s", o->name_w, name);
	for (unsigned c = 0; c < C__COUNT; c++) {
		if (o->wide)
			cell(o->f, v[c], columns[c].wide_w);
		else if (columns[c].narrow)
			cell(o->f, v[c], columns[c].w);
	}
	fputc('\n', o->f);
}

static void header_row(const struct out *o)
{
	const char *v[C__COUNT];

	for (unsigned c = 0; c < C__COUNT; c++)
		v[c] = columns[c].head;
	if (o->wide) {
		v[C_PPF] = "pages/fault";
		v[C_RES] = "resident";
	}
	row(o, "backend", v);
}

static void backend_row(const struct out *o, const struct mmb_backend_result *b)
{
	const double *m = b->median.m;
	char s[C__COUNT][32];
	const char *v[C__COUNT];
	bool timed = b->hist && b->hist->count;

	si(m[MMB_M_ITEMS_PER_SECOND], s[C_OPS], sizeof(s[0]));
	mbps(m[MMB_M_BYTES_PER_SECOND], s[C_MBS], sizeof(s[0]));
	lat(timed ? b->lat.mean : NAN, s[C_MEAN], sizeof(s[0]));
	lat(timed ? (double)b->lat.p50 : NAN, s[C_P50], sizeof(s[0]));
	lat(timed ? (double)b->lat.p99 : NAN, s[C_P99], sizeof(s[0]));
	si(m[MMB_M_MINOR_FAULTS], s[C_MINOR], sizeof(s[0]));
	si(m[MMB_M_MAJOR_FAULTS], s[C_MAJOR], sizeof(s[0]));
	if (m[MMB_M_FAULTS] > 0 && !isnan(m[MMB_M_PAGES_PER_FAULT]))
		snprintf(s[C_PPF], sizeof(s[0]), "%.1f",
			 m[MMB_M_PAGES_PER_FAULT]);
	else
		snprintf(s[C_PPF], sizeof(s[0]), "-");
	/* Residency is unknown on Windows (NAN). */
	if (isnan(m[MMB_M_RESIDENT_BEFORE]))
		snprintf(s[C_RES], sizeof(s[0]), "-");
	else
		snprintf(s[C_RES], sizeof(s[0]), o->wide ? "%.1f%%" : "%.0f%%",
			 m[MMB_M_RESIDENT_BEFORE] * 100);
	for (unsigned c = 0; c < C__COUNT; c++)
		v[c] = s[c];
	row(o, b->name, v);
}

static void details(const struct out *o, const struct mmb_backend_result *b)
{
	print_io(o, b->name, b->median.m);
	print_xmetrics(o, b);
	print_kevents(o, b->name, &b->median.kev);
	print_profile(o, b->name, b->profile);
	print_evidence(o, b);
	print_folios(o, b);
	if (b->noisy)
		detail(o, b->name, "NOISY", "%s", b->noisy_why);
	if (b->note[0])
		detail(o, b->name, "note", "%s", b->note);
	if (!b->checksum_stable && not_served(b, NULL) > 0)
		detail(o, b->name, "note",
		       "checksum differs between repetitions, which left "
		       "different ops not served");
	else if (!b->checksum_stable)
		detail(o, b->name, "note",
		       "checksum differs between repetitions (file changed "
		       "under the run?)");
}

void mmb_cli_print_results(const struct mmb_run_result *r, bool warmup, int am,
			   bool wide)
{
	char b1[32], b2[32];
	unsigned width = mmb_cli_term_width();
	struct out o = {
	    .f = stdout,
	    .width = isatty(STDOUT_FILENO) ? width : 0,
	    .wide = wide || width >= WIDE_COLS,
	    .name_w = 7,
	};

	for (unsigned i = 0; i < r->nbackends; i++) {
		int n = (int)strlen(r->b[i].name);
		if (n > o.name_w)
			o.name_w = n;
	}
	if (o.name_w > 14 && !o.wide)
		o.name_w = 14; /* a longer name pushes its row over */
	/* a trace's ops have their own lengths: block_size is the longest */
	const struct mmb_workload *w = mmb_workload_find(r->workload);
	bool own_len = w && (w->flags & MMB_WL_INPUT);
	say(&o, 2,
	    "%s: %s file %s (%s), %s%s ops, %llu ops x %u thread%s, %s cache, "
	    "%u rep%s%s, faults\x1f"
	    "from\x1f%s",
	    r->workload, mmb_cli_bytes(r->file_size, b1, sizeof(b1)), r->file,
	    r->env.filesystem, own_len ? "up to " : "",
	    mmb_cli_bytes(r->block_size, b2, sizeof(b2)),
	    (unsigned long long)r->ops, r->threads, r->threads == 1 ? "" : "s",
	    r->cache, r->reps, r->reps == 1 ? "" : "s",
	    warmup ? " (+1 warm-up)" : "", r->fault_source);
	print_access(&o, r, am);
	if (r->duration_s > 0)
		say(&o, 2, "timed by duration: %.3g s per repetition",
		    r->duration_s);
	if (r->lat_spacing_ns) {
		/* N per backend, from its warm-up's speed */
		char list[256] = "";
		size_t len = 0;
		for (unsigned i = 0; i < r->nbackends && len < sizeof(list);
		     i++) {
			const struct mmb_backend_result *b = &r->b[i];
			if (b->status != 0 || !b->lat_every)
				continue;
			int n =
			    snprintf(list + len, sizeof(list) - len,
				     "%s%s 1 in %llu", len ? ", " : "", b->name,
				     (unsigned long long)b->lat_every);
			if (n < 0)
				break;
			len += (size_t)n;
		}
		say(&o, 2,
		    "latency: one op about every %.0f us of the loop timed "
		    "(%s): %s; ops/s from the whole loop",
		    (double)r->lat_spacing_ns / 1000, r->lat_timer,
		    list[0] ? list : "no backend ran");
	} else if (r->lat_every) {
		say(&o, 2,
		    "latency: one op in %llu timed (%s); ops/s from the "
		    "whole loop",
		    (unsigned long long)r->lat_every, r->lat_timer);
	} else {
		say(&o, 2, "latency: not sampled (--lat-every 0)");
	}
	if (!o.wide)
		say(&o, 2,
		    "columns: latency p50/p99; minor/major page faults; "
		    "pg/flt: pages per fault; cached: the file's share in "
		    "the page cache before the run (--wide: all columns)");
	fputc('\n', o.f);
	header_row(&o);
	for (unsigned i = 0; i < r->nbackends; i++) {
		const struct mmb_backend_result *b = &r->b[i];
		if (b->status == MMB_ESKIP) {
			say(&o, 2, "%-*s skipped: %s", o.name_w, b->name,
			    b->message);
			continue;
		}
		if (b->status != 0) {
			say(&o, 2, "%-*s FAILED: %s", o.name_w, b->name,
			    b->message);
			continue;
		}
		backend_row(&o, b);
		details(&o, b);
	}
	print_checksums(&o, r);
	if (r->noisy) {
		fputc('\n', o.f);
		say(&o, 2,
		    "noisy: numbers marked NOISY above are disturbed; rerun "
		    "on a quieter machine or with more --reps");
	}
	char text[MMB_VERDICT_TEXT];
	fputc('\n', o.f);
	say(&o, 2, "verdict: %s",
	    mmb_verdict_text(&r->verdict, text, sizeof(text)));
	if (r->verdict_why[0])
		say(&o, 2, "%s", r->verdict_why);
}
