/* SPDX-License-Identifier: MIT */
/* mmbench/units.h - the one parser of sizes and numbers on the command
 * line, and the one formatter of byte counts and times, for the whole tree
 * (cli/, bench/, reports/). Portable C; both platforms build it (reports/
 * units.c, in the writers library).
 *
 * Thread-safety: pure functions of their arguments.
 */
#ifndef MMB_UNITS_H
#define MMB_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A decimal integer, digits only (no sign, no blanks); with suffix, one of
 * K, M, G, T (any case, powers of 1024) may follow, optionally with "B" or
 * "iB": "4096", "64M", "1GiB", "2k". Returns 0, or -1 for anything else
 * or a value that does not fit 64 bits (*out untouched). */
int mmb_parse_u64(const char *s, bool suffix, uint64_t *out);

/* A finite number as strtod reads it (no leading blank, nothing after
 * it); with suffix, the K/M/G/T[B|iB] multipliers above: "0.5", "1.5M".
 * Returns 0 or -1 (*out untouched). */
int mmb_parse_double(const char *s, bool suffix, double *out);

/* Bytes in binary units into buf, which it returns:
 *   flags 0:              "16 MiB", "4 KiB", "1.5 GiB" (3 digits), "512 B";
 *   MMB_FMT_EXACT:        the largest unit that divides v exactly:
 *                         "1536 KiB", "4 KiB", "100 B". */
#define MMB_FMT_EXACT 1u
const char *mmb_fmt_bytes(double v, unsigned flags, char *buf, size_t n);

/* A time in ns with 3 significant digits in the unit that fits: "850 ns",
 * "12.3 us", "4.5 ms", "1.2 s"; "-" for NaN. Returns buf. */
const char *mmb_fmt_ns(double ns, char *buf, size_t n);

/* A number in the first unit of a scale it is below. unit[0..nu) is
 * ordered by `below`; v < unit[i].below prints as unit[i].fmt (one double
 * conversion, e.g. "%.2fus") of v / unit[i].div. The last unit takes
 * everything else, NaN included unless nan is given (NaN then prints as
 * nan). For the other formatters of the tree (ops/s "1.5M", latencies
 * "1.23us", counts "812.3k"), so that each is a table. Returns buf. */
struct mmb_fmt_unit {
	double below, div;
	const char *fmt;
};
const char *mmb_fmt_scaled(double v, const struct mmb_fmt_unit *unit, size_t nu,
			   const char *nan, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
