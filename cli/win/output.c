/* win/output.c - mmbench run's output files on Windows: none. The results
 * writers (JSON, CSV) and the HTML report live in the reports library,
 * which needs libcjson, and there is no mingw build of it here; so this
 * build prints the console table and the verdict only, and refuses the
 * output options (and the Linux-only measurements) before anything runs,
 * in one line with exit code 2. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct {
	const char *opt, *why;
} unavailable[] = {
    {"json", "not available in this Windows build (no libcjson)"},
    {"csv", "not available in this Windows build (the results writers "
	    "need libcjson)"},
    {"report", "not available in this Windows build (no libcjson)"},
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

/* The output options never get past mmb_cli_unavailable here; these say
 * so again for a caller that did not ask. */
static int refuse(const char *opt, const char *path)
{
	fprintf(stderr, "mmbench run: --%s %s: %s\n", opt, path,
		mmb_cli_unavailable(opt));
	return -1;
}

int mmb_cli_check_output(const char *opt, const char *path)
{
	refuse(opt, path);
	return MMB_EXIT_USAGE;
}

int mmb_cli_save_json(const struct mmb_run_result *r, const char *path)
{
	(void)r;
	return refuse("json", path);
}

int mmb_cli_save_csv(const struct mmb_run_result *r, const char *path)
{
	(void)r;
	return refuse("csv", path);
}

int mmb_cli_save_report(const struct mmb_run_result *r, const char *json,
			const char *dir)
{
	(void)r, (void)json;
	return refuse("report", dir);
}
