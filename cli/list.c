/* SPDX-License-Identifier: MIT */
/* list.c - `mmbench list`: the registered backends and workloads, one line
 * of help each, in registry order; `--params`: the option tables as the
 * Markdown of docs/results.md. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "mmbench/backend.h"
#include "mmb/map.h"
#include "mmbench/workload.h"

int cmd_list(int argc, char **argv)
{
	if (argc > 1) {
		if (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0) {
			printf("usage: mmbench list [--params]\n\nLists the "
			       "backends (--backends), workloads (--workload), "
			       "advice (--advice)\nand sync policies (--sync) "
			       "of mmbench run.\n\n  --params  instead, the "
			       "options of mmbench run and the workloads'\n"
			       "            parameters as Markdown (as in "
			       "docs/results.md)\n");
			return MMB_EXIT_OK;
		}
		if (strcmp(argv[1], "--params") == 0 && argc == 2) {
			mmb_cli_print_markdown(stdout);
			return MMB_EXIT_OK;
		}
		fprintf(stderr, "mmbench list: unexpected argument '%s'\n",
			argv[1]);
		return MMB_EXIT_USAGE;
	}
	printf("backends:\n");
	for (size_t i = 0; mmb_backends[i]; i++)
		printf("  %-16s %s\n", mmb_backends[i]->name,
		       mmb_backends[i]->help);
	printf("\nworkloads:\n");
	for (size_t i = 0; mmb_workloads[i]; i++)
		printf("  %-16s %s\n", mmb_workloads[i]->name,
		       mmb_workloads[i]->help);
	printf("\nadvice:");
	for (int a = 0; a < MMB_ADV__COUNT; a++)
		printf(" %s", mmb_advice_name((enum mmb_advice)a));
	printf("\nsync:");
	for (int s = MMB_WSYNC_NONE; s <= MMB_WSYNC_FSYNC; s++)
		printf(" %s", mmb_wsync_name((enum mmb_wsync)s));
	printf("\n");
	return MMB_EXIT_OK;
}
