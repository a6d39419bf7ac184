/* win/linux_only.c - the subcommands this Windows build does not have:
 * report, compare and baseline read and write results files through the
 * reports library (its results reader is not yet built for Windows);
 * sweep and experiment run mmbench run children with --json. Each says so in
 * one line and exits 2, so scripts tell "not here" from a failed run. */
#include <stdio.h>

#include "commands.h"

static int linux_only(const char *cmd)
{
	fprintf(stderr,
		"mmbench %s: not available on Windows (the results reader "
		"is not built there yet); mmbench run and mmbench list "
		"are available\n",
		cmd);
	return MMB_EXIT_USAGE;
}

int cmd_report(int argc, char **argv)
{
	(void)argc, (void)argv;
	return linux_only("report");
}

int cmd_compare(int argc, char **argv)
{
	(void)argc, (void)argv;
	return linux_only("compare");
}

int cmd_baseline(int argc, char **argv)
{
	(void)argc, (void)argv;
	return linux_only("baseline");
}

int cmd_sweep(int argc, char **argv)
{
	(void)argc, (void)argv;
	return linux_only("sweep");
}

int cmd_experiment(int argc, char **argv)
{
	(void)argc, (void)argv;
	return linux_only("experiment");
}

int cmd_ab(int argc, char **argv)
{
	(void)argc, (void)argv;
	return linux_only("ab");
}
