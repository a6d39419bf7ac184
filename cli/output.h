/* SPDX-License-Identifier: MIT */
/* output.h - what mmbench prints for a person rather than for a file: the
 * results table and progress of mmbench run (output.c, run.c), the width
 * of the terminal (posix/output.c, win/output.c), and the help pages
 * generated from the command and option tables: `mmbench help CMD`, the
 * man page and the shell completion scripts (manpage.c, completion.c). */
#ifndef MMB_CLI_OUTPUT_H
#define MMB_CLI_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "commands.h"

struct mmb_run_result;

/* ---- the terminal ---- */

/* The table's narrow layout fits this many columns. */
#define MMB_CLI_NARROW 80

/* Columns of the terminal stdout writes to: the terminal's own width
 * (TIOCGWINSZ, the console buffer on Windows), else $COLUMNS when it is a
 * number, else MMB_CLI_NARROW (a pipe or a file). */
unsigned mmb_cli_term_width(void);

/* Seconds on a monotonic clock, for progress's estimate of the time
 * left. */
double mmb_cli_now(void);

/* mmbench run's console output: the header lines, the results table (the
 * narrow layout, or the wide one with every column when wide or when the
 * terminal is wide enough for it), each backend's detail lines (each
 * labelled with the backend), the checksum notes and the verdict, wrapped
 * at the terminal's width. am: the --access mode, -1 for write
 * workloads. */
void mmb_cli_print_results(const struct mmb_run_result *r, bool warmup, int am,
			   bool wide);

/* ---- help pages ---- */

/* The subcommands (cli/main.c), *n of them. */
const struct mmb_cmd *mmb_cli_commands(size_t *n);
/* What cmd's --help prints, in a new NUL-terminated buffer (the caller
 * frees it); NULL with the reason on stderr when stdout could not be
 * captured (posix/output.c, win/output.c). */
char *mmb_cli_help_text(const struct mmb_cmd *cmd);
/* The manual page, mmbench(1), in roff, from the commands' help
 * (manpage.c). 0, or 1 with the reason printed. */
int mmb_cli_print_man(FILE *f, const char *version);
/* `mmbench completion bash|zsh` (completion.c). */
int cmd_completion(int argc, char **argv);

#endif
