/* SPDX-License-Identifier: MIT */
/* units.c - the size/number parser and the byte/time formatter of
 * mmbench/units.h. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/units.h"

static const char *const unit_names[] = {"B", "KiB", "MiB", "GiB", "TiB"};
#define NUNITS (sizeof(unit_names) / sizeof(unit_names[0]))

/* The power of 1024 of a suffix at s ("", "K", "m", "GiB", "tb"), or -1. */
static int suffix_shift(const char *s)
{
	static const char letters[] = "KMGT";
	const char *u;
	char c = (char)toupper((unsigned char)*s);

	if (!*s)
		return 0;
	if (!c || !(u = strchr(letters, c)))
		return -1;
	s++;
	if (*s && !(toupper((unsigned char)s[0]) == 'B' && !s[1]) &&
	    !(toupper((unsigned char)s[0]) == 'I' &&
	      toupper((unsigned char)s[1]) == 'B' && !s[2]))
		return -1;
	return 10 * (int)(u - letters + 1);
}

int mmb_parse_u64(const char *s, bool suffix, uint64_t *out)
{
	unsigned long long v;
	char *end;
	int shift;

	/* strtoull accepts "-1" and leading blanks; we do not. */
	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	shift = suffix ? suffix_shift(end) : (*end ? -1 : 0);
	if (shift < 0 || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

int mmb_parse_double(const char *s, bool suffix, double *out)
{
	char *end;
	double v;
	int shift;

	if (!s || !*s || isspace((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s)
		return -1;
	shift = suffix ? suffix_shift(end) : (*end ? -1 : 0);
	if (shift < 0)
		return -1;
	v = ldexp(v, shift);
	if (!isfinite(v))
		return -1;
	*out = v;
	return 0;
}

const char *mmb_fmt_bytes(double v, unsigned flags, char *buf, size_t n)
{
	size_t u = 0;

	if (flags & MMB_FMT_EXACT) {
		while (u + 1 < NUNITS && fabs(v) >= 1024 &&
		       fmod(v, 1024) == 0) {
			v /= 1024;
			u++;
		}
		snprintf(buf, n, "%.0f %s", v, unit_names[u]);
		return buf;
	}
	while (u + 1 < NUNITS && fabs(v) >= 1024) {
		v /= 1024;
		u++;
	}
	if (u == 0 || v == floor(v))
		snprintf(buf, n, "%.0f %s", v, unit_names[u]);
	else
		snprintf(buf, n, "%.3g %s", v, unit_names[u]);
	return buf;
}

const char *mmb_fmt_scaled(double v, const struct mmb_fmt_unit *unit, size_t nu,
			   const char *nan, char *buf, size_t n)
{
	size_t i = 0;

	if (isnan(v) && nan) {
		snprintf(buf, n, "%s", nan);
		return buf;
	}
	while (i + 1 < nu && !(v < unit[i].below))
		i++;
	snprintf(buf, n, unit[i].fmt, v / unit[i].div);
	return buf;
}

const char *mmb_fmt_ns(double v, char *buf, size_t n)
{
	static const struct mmb_fmt_unit ns[] = {
	    {1e3, 1, "%.3g ns"},
	    {1e6, 1e3, "%.3g us"},
	    {1e9, 1e6, "%.3g ms"},
	    {INFINITY, 1e9, "%.3g s"},
	};

	return mmb_fmt_scaled(v, ns, sizeof(ns) / sizeof(ns[0]), "-", buf, n);
}
