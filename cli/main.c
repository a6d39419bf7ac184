/* SPDX-License-Identifier: MIT */
/* main.c - `mmbench COMMAND [options]`: a Git-style table of subcommands.
 * Adding one = a cli/NAME.c, a declaration in commands.h, a line here;
 * `mmbench help NAME`, the man page and the shell completion follow from
 * the line and the command's --help. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "mmbench/version.h"
#include "output.h"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

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
    {"help", cmd_help, "describe mmbench or one command (help COMMAND)"},
    {"version", cmd_version, "print mmbench's version"},
    {"completion", cmd_completion,
     "print the bash or zsh completion script (completion bash|zsh)"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const struct mmb_cmd *mmb_cli_commands(size_t *n)
{
	*n = NCOMMANDS;
	return commands;
}

static const struct mmb_cmd *find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: mmbench COMMAND [options]\n"
		   "       mmbench --version | help COMMAND\n\n"
		   "For this file, this access pattern and this machine: is "
		   "mmap or read/write\nfaster, by how much, and why?\n\n"
		   "commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n`mmbench help COMMAND` (or `mmbench COMMAND --help`) "
		   "describes a command's\noptions; `man mmbench` all of "
		   "them (`mmbench help --man` prints that page).\n");
}

static bool is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

/* `mmbench help [COMMAND]`: COMMAND's own --help; `help --man`: the
 * manual page in roff (what the build installs as mmbench.1). */
static int cmd_help(int argc, char **argv)
{
	if (argc < 2 || is_help(argv[1])) {
		usage(stdout);
		return MMB_EXIT_OK;
	}
	if (strcmp(argv[1], "--man") == 0 && argc == 2)
		return mmb_cli_print_man(stdout, MMB_VERSION_STRING);
	if (argc > 2) {
		fprintf(stderr, "mmbench help: one command at a time (see "
				"mmbench --help)\n");
		return MMB_EXIT_USAGE;
	}
	const struct mmb_cmd *c = find(argv[1]);
	if (!c) {
		fprintf(stderr,
			"mmbench help: unknown command '%s' (see mmbench "
			"--help)\n",
			argv[1]);
		return MMB_EXIT_USAGE;
	}
	if (c->fn == cmd_help) {
		usage(stdout);
		return MMB_EXIT_OK;
	}
	char *args[] = {(char *)c->name, "--help", NULL};
	return c->fn(2, args);
}

static int cmd_version(int argc, char **argv)
{
	if (argc > 1 && is_help(argv[1])) {
		printf("usage: mmbench version (or mmbench --version)\n\n"
		       "Prints \"mmbench VERSION\", the version the results "
		       "files record as\ncontext.mmbench_version.\n");
		return MMB_EXIT_OK;
	}
	if (argc > 1) {
		fprintf(stderr, "mmbench version: unexpected argument '%s'\n",
			argv[1]);
		return MMB_EXIT_USAGE;
	}
	printf("mmbench %s\n", MMB_VERSION_STRING);
	return MMB_EXIT_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "mmbench: no command given (see mmbench "
				"--help)\n");
		return MMB_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (is_help(name)) {
		usage(stdout);
		return MMB_EXIT_OK;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
		return cmd_version(argc - 1, argv + 1);
	const struct mmb_cmd *c = find(name);
	if (c)
		return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "mmbench: unknown command '%s' (see mmbench --help)\n",
		name);
	return MMB_EXIT_USAGE;
}
