/* SPDX-License-Identifier: MIT */
/* util.c - the subcommands' number parsing and formatting: the shared
 * parser and formatter of mmbench/units.h (reports/units.c) under the
 * names the subcommands use. */
#include "commands.h"
#include "mmbench/units.h"

int mmb_cli_u64(const char *s, bool suffix, uint64_t *out)
{
	return mmb_parse_u64(s, suffix, out);
}

int mmb_cli_double(const char *s, double *out)
{
	return mmb_parse_double(s, false, out);
}

const char *mmb_cli_bytes(uint64_t v, char *buf, size_t n)
{
	return mmb_fmt_bytes((double)v, MMB_FMT_EXACT, buf, n);
}
