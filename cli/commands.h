/* commands.h - the subcommands of mmbench and what they share.
 *
 * A subcommand is one file cli/NAME.c defining `int cmd_NAME(int argc,
 * char **argv)` (argv[0] is the subcommand's name), declared here and
 * listed with one line in the table of cli/main.c.
 *
 * Exit codes, for every subcommand: 0 success, 1 runtime failure, 2 bad
 * usage or bad input (one line on stderr, nothing written).
 */
#ifndef MMB_CLI_COMMANDS_H
#define MMB_CLI_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MMB_EXIT_OK    0
#define MMB_EXIT_FAIL  1
#define MMB_EXIT_USAGE 2

struct mmb_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help; /* one line for `mmbench --help` */
};

int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_experiment(int argc, char **argv);

/* ---- shared by the subcommands (cli/util.c) ---- */

/* Parse a non-negative integer, with an optional binary suffix K, M, G, T
 * (also KiB, MiB...) when `suffix`. Rejects signs, junk and overflow.
 * Returns 0 or -1. */
int mmb_cli_u64(const char *s, bool suffix, uint64_t *out);
/* Parse a finite decimal number. Returns 0 or -1. */
int mmb_cli_double(const char *s, double *out);
/* "1 GiB", "64 KiB", "1000 B". */
const char *mmb_cli_bytes(uint64_t v, char *buf, size_t n);

/* ---- what this platform's build can write (cli/posix/, cli/win/) ----
 *
 * struct mmb_run_result is declared in mmbench/result.h. */
struct mmb_run_result;

/* NULL when `mmbench run --OPT` works in this build; else the one-line
 * reason ("not available on Windows"). opt: "json", "csv", "report",
 * "memory-limit", "interval", "cache cold". */
const char *mmb_cli_unavailable(const char *opt);
/* mmbench run's default --backends: the OS's read call against its
 * mapping, "pread,mmap" (Linux) or "readfile,winview" (Windows). */
const char *mmb_cli_default_backends(void);
/* Check before the run that path can be written as --opt's output; 0, or
 * MMB_EXIT_USAGE with the one-line reason printed. */
int mmb_cli_check_output(const char *opt, const char *path);
/* Write the results as JSON (docs/results.md) / CSV to path, atomically;
 * render an HTML report into dir from json (NULL: from a temporary results
 * file). 0, or -1 with the one-line reason printed. */
int mmb_cli_save_json(const struct mmb_run_result *r, const char *path);
int mmb_cli_save_csv(const struct mmb_run_result *r, const char *path);
int mmb_cli_save_report(const struct mmb_run_result *r, const char *json,
			const char *dir);

/* ---- sweep.c, shared with experiment.c ---- */

/* Parse "NAME=V1,V2,..." of mmbench sweep into name and vals[0..*n).
 * Returns 0, or -1 with a one-line reason in err. */
int mmb_cli_sweep_parse(const char *spec, char *name, size_t namelen,
			uint64_t *vals, unsigned max, unsigned *n, char *err,
			size_t errlen);
/* Run `mmbench run ARGS... --json json` as a child (args NULL-terminated);
 * a signal this process got is passed on. Returns its exit code, or
 * 128+signal. */
int mmb_cli_child_run(char *const *args, const char *json);
/* mkdtemp of "$TMPDIR/mmbench-WHAT-XXXXXX" (TMPDIR unset: /tmp) into dir,
 * registered for cleanup on a second Ctrl-C. Prints the error and returns
 * -1 on failure. */
int mmb_cli_tempdir(char *dir, size_t n, const char *what);
#endif
