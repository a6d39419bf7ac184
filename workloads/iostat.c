/* iostat.c - I/O amplification from the storage counters the OS layer
 * took around the timed region (posix/iostat.c on Linux; win/iostat.c has
 * none), and the verdict's words about it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "iostat.h"
#include "mmbench/backend.h"
#include "mmb/error.h"
#include "mmb/map.h"

static double delta(uint64_t a, uint64_t b)
{
	return b >= a ? (double)(b - a) : NAN;
}

void mmb__io_metrics(const struct mmb__io *io, double *m)
{
	double dr = NAN, dw = NAN;

	if (io->proc_ok) {
		dr = delta(io->p0.read_bytes, io->p1.read_bytes);
		dw = delta(io->p0.write_bytes, io->p1.write_bytes);
		/* Dirty pages truncated before writeback were counted in
		 * write_bytes but never written. */
		double cw = delta(io->p0.cancelled_write_bytes,
				  io->p1.cancelled_write_bytes);
		if (!isnan(dw) && !isnan(cw))
			dw = dw > cw ? dw - cw : 0;
	}
	m[MMB_M_DEV_READ_BYTES] = dr;
	m[MMB_M_DEV_WRITE_BYTES] = dw;
	m[MMB_M_READ_AMP] =
	    m[MMB_M_BYTES_READ] > 0 ? dr / m[MMB_M_BYTES_READ] : NAN;
	m[MMB_M_WRITE_AMP] =
	    m[MMB_M_BYTES_WRITTEN] > 0 ? dw / m[MMB_M_BYTES_WRITTEN] : NAN;
	m[MMB_M_DISK_READ_BYTES] =
	    io->disk_ok ? delta(io->d0r, io->d1r) * 512 : NAN;
	m[MMB_M_DISK_WRITE_BYTES] =
	    io->disk_ok ? delta(io->d0w, io->d1w) * 512 : NAN;
}

/* ---- verdict ------------------------------------------------------------- */

#define APPEND(...)                                                          \
	do {                                                                 \
		if (len < n)                                                 \
			len +=                                               \
			    (size_t)snprintf(v + len, n - len, __VA_ARGS__); \
	} while (0)

/* Ratios as people say them: "13x", "2.4x", "0.96x". */
static void ratio(double x, char *buf, size_t n)
{
	snprintf(buf, n, x >= 10 ? "%.0fx" : x >= 1 ? "%.1fx" : "%.2fx", x);
}

/* F moved much more through the device than R per requested byte. */
static bool amplified(double f, double r)
{
	return isfinite(f) && isfinite(r) && f >= 1.5 && f >= 2 * r;
}

size_t mmb__io_verdict_amp(const struct mmb_run_result *r,
			   const struct mmb_backend_result *F,
			   const struct mmb_backend_result *R, bool faster,
			   char *v, size_t n, size_t len)
{
	const double *fm = F->median.m, *rm = R->median.m;
	bool rd = amplified(fm[MMB_M_READ_AMP], rm[MMB_M_READ_AMP]);
	bool wr = amplified(fm[MMB_M_WRITE_AMP], rm[MMB_M_WRITE_AMP]);
	bool mapped = (F->caps & MMB_CAP_MAPPED) != 0;
	char a[16], b[16];

	if (rd) {
		ratio(fm[MMB_M_READ_AMP], a, sizeof(a));
		ratio(rm[MMB_M_READ_AMP], b, sizeof(b));
		if (faster)
			APPEND(", but it read");
		else
			APPEND("; %s read", F->name);
		APPEND(" %s the requested bytes from the device (%s: %s; %s)",
		       a, R->name, b,
		       mapped ? "readahead and fault-around" : "readahead");
	}
	if (wr) {
		ratio(fm[MMB_M_WRITE_AMP], a, sizeof(a));
		ratio(rm[MMB_M_WRITE_AMP], b, sizeof(b));
		if (rd)
			APPEND(" and wrote");
		else if (faster)
			APPEND(", but it wrote");
		else
			APPEND("; %s wrote", F->name);
		APPEND(" %s the requested bytes to the device (%s: %s; %s)", a,
		       R->name, b,
		       mapped ? "a store dirties a whole page or folio"
			      : "partial pages written back whole");
	}
	/* A write-only run has no read ratio, but a mapping must read a
	 * page in before a store can change part of it. */
	double fr = fm[MMB_M_DEV_READ_BYTES], rr = rm[MMB_M_DEV_READ_BYTES];
	double fw = fm[MMB_M_BYTES_WRITTEN];
	bool rbw = !rd && fm[MMB_M_BYTES_READ] == 0 && fw > 0 && isfinite(fr) &&
		   isfinite(rr) && fr >= 0.5 * fw && fr >= 2 * rr;
	if (rbw) {
		if (faster)
			APPEND(", but it made the device read");
		else
			APPEND("; %s made the device read", F->name);
		APPEND(" %.1f MiB to write %.1f MiB (%s: %.1f MiB; pages read "
		       "in before being partly overwritten%s)",
		       fr / 1048576, fw / 1048576, R->name, rr / 1048576,
		       mapped ? ", with readahead" : "");
	}
	/* Random advice turns readahead and fault-around off; say so only
	 * when it was not already asked for. */
	if ((rd || (rbw && mapped)) && r->advice != MMB_ADV_RANDOM)
		APPEND("; try --advice random");
	return len;
}

/* A run started from another cache state than the one asked for. */
static bool cache_off(const struct mmb_run_result *r, double resident)
{
	if (!isfinite(resident))
		return false;
	if (strcmp(r->cache, "cold") == 0)
		return resident > 0.01;
	if (strcmp(r->cache, "warm") == 0)
		return resident < 0.99;
	return false;
}

size_t mmb__io_verdict_cache(const struct mmb_run_result *r,
			     const struct mmb_backend_result *F,
			     const struct mmb_backend_result *R, char *v,
			     size_t n, size_t len)
{
	const struct mmb_backend_result *two[2] = {F, R};

	for (int i = 0; i < 2; i++) {
		/* The worst repetition tells whether any started off. */
		bool cold = strcmp(r->cache, "cold") == 0;
		double res = cold ? two[i]->max.m[MMB_M_RESIDENT_BEFORE]
				  : two[i]->min.m[MMB_M_RESIDENT_BEFORE];
		if (!cache_off(r, res))
			continue;
		APPEND("; the page cache was not %s for %s: %.1f%% of the "
		       "file was cached before a run, so the comparison is "
		       "not the one asked for",
		       r->cache, two[i]->name, res * 100);
	}
	return len;
}
