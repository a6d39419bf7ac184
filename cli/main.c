/* main.c - `mmbench COMMAND [options]`: a Git-style table of subcommands.
 * Adding one = a cli/NAME.c, a declaration in commands.h, a line here. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct mmb_cmd commands[] = {
    {"run", cmd_run, "run a workload through several backends, compare them"},
    {"list", cmd_list, "list the backends and workloads"},
    {"report", cmd_report, "render results files as an HTML report with plots"},
    {"compare", cmd_compare, "compare two results files (regression gate)"},
    {"baseline", cmd_baseline, "save a baseline, or check a run against it"},
    {"sweep", cmd_sweep, "run one option over a list of values, one file"},
    {"experiment", cmd_experiment,
     "presets, e.g. cidr22: mmap under memory pressure"},
    {"ab", cmd_ab, "interleaved A/B of two builds: is the new one slower?"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: mmbench COMMAND [options]\n\n"
		   "For this file, this access pattern and this machine: is "
		   "mmap or read/write\nfaster, by how much, and why?\n\n"
		   "commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n`mmbench COMMAND --help` describes a command's "
		   "options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "mmbench: no command given (see mmbench "
				"--help)\n");
		return MMB_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
	    strcmp(name, "help") == 0) {
		usage(stdout);
		return MMB_EXIT_OK;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "mmbench: unknown command '%s' (see mmbench --help)\n",
		name);
	return MMB_EXIT_USAGE;
}
