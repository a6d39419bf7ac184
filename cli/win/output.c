/* win/output.c - what mmbench run writes and measures on Windows beyond
 * the JSON and CSV of output.c. The HTML report is rendered from results
 * JSON read back by the results reader (reports/results_load.c), which
 * is not yet built for Windows, and plotted with gnuplot; so --report is
 * refused, as are the Linux-only measurements, before anything runs, in one
 * line with exit code 2. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct {
	const char *opt, *why;
} unavailable[] = {
    {"report", "not available in this Windows build (reports read results "
	       "with a reader not built here yet; --json and --csv work)"},
    {"memory-limit", "not available on Windows (memory cgroups)"},
    {"interval", "not available on Windows (mincore, /proc/interrupts)"},
    {"cache cold", "not available on Windows (no call drops one file "
		   "from the standby cache)"},
};

const char *mmb_cli_default_backends(void)
{
	return "readfile,winview";
}

const char *mmb_cli_unavailable(const char *opt)
{
	for (size_t i = 0; i < sizeof(unavailable) / sizeof(unavailable[0]);
	     i++)
		if (strcmp(unavailable[i].opt, opt) == 0)
			return unavailable[i].why;
	return NULL;
}

/* --report never gets past mmb_cli_unavailable here; this says so again
 * for a caller that did not ask. */
int mmb_cli_save_report(const struct mmb_run_result *r, const char *json,
			const char *dir)
{
	(void)r, (void)json;
	fprintf(stderr, "mmbench run: --report %s: %s\n", dir,
		mmb_cli_unavailable("report"));
	return -1;
}
