/* posix/output.c - what mmbench run writes and measures on Linux beyond
 * the JSON and CSV of output.c: the HTML report, and every option. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "commands.h"
#include "mmb/error.h"
#include "mmbench/pressure.h"
#include "mmbench/report.h"
#include "mmbench/result.h"

const char *mmb_cli_default_backends(void)
{
	return "pread,mmap";
}

const char *mmb_cli_unavailable(const char *opt)
{
	(void)opt;
	return NULL;
}

/* --report DIR: the report is rendered from a results file, --json's or
 * a temporary one removed afterwards. */
int mmb_cli_save_report(const struct mmb_run_result *res, const char *json,
			const char *dir)
{
	char tmp[] = "/tmp/mmbench-run-XXXXXX.json", err[1024], msg[512];
	const char *file = json;
	int rc;

	if (!json) {
		int fd = mkstemps(tmp, 5);
		if (fd < 0) {
			fprintf(stderr,
				"mmbench run: --report: mkstemps(%s): "
				"%s\n",
				tmp, mmb_strerror(-errno));
			return -1;
		}
		close(fd);
		mmb_interrupt_tempfile(tmp);
		file = tmp;
		if (mmb_report_json(res, tmp) < 0) {
			fprintf(stderr, "mmbench run: --report: %s\n",
				mmb_errmsg(msg, sizeof(msg)));
			unlink(tmp);
			mmb_interrupt_tempfile_done(tmp);
			return -1;
		}
	}
	rc = mmb_report_write(&file, 1, dir, err, sizeof(err));
	if (!json) {
		unlink(tmp);
		mmb_interrupt_tempfile_done(tmp);
	}
	if (rc < 0) {
		fprintf(stderr, "mmbench run: --report %s: %s\n", dir, err);
		return -1;
	}
	return 0;
}
