/* output.c - mmbench run's results files, JSON and CSV, through the
 * results writers (reports/: mmb_reports on Linux, mmb_writers on
 * Windows), the same on every platform. What else a platform can write or
 * measure is in posix/output.c and win/output.c. */
#include <stdio.h>

#include "commands.h"
#include "mmb/error.h"
#include "mmbench/result.h"

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
