/* SPDX-License-Identifier: MIT */
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

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mmbench/workload.h"

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
int cmd_ab(int argc, char **argv);

/* ---- shared by the subcommands (cli/util.c) ---- */

/* Parse a non-negative integer, with an optional binary suffix K, M, G, T
 * (also KiB, MiB...) when `suffix`. Rejects signs, junk and overflow.
 * Returns 0 or -1. */
int mmb_cli_u64(const char *s, bool suffix, uint64_t *out);
/* Parse a finite decimal number. Returns 0 or -1. */
int mmb_cli_double(const char *s, double *out);
/* "1 GiB", "64 KiB", "1000 B". */
const char *mmb_cli_bytes(uint64_t v, char *buf, size_t n);

/* ---- mmbench run's options, as data (cli/options.c) ----
 *
 * One row per option, in --help order. The getopt options of run and
 * sweep, --help, validation (one line naming the flag, exit 2), the
 * results context (struct mmb_ctx_value), sweep's parameters and the option
 * list of docs/results.md (mmbench list --params) all walk this table and
 * the workloads' own parameter tables (struct mmb_workload.params). */

enum mmb_cli_run_opt {
	MMB_OPT_WORKLOAD,
	MMB_OPT_BS,
	MMB_OPT_OPS,
	MMB_OPT_DURATION,
	MMB_OPT_SEED,
	MMB_OPT_THREADS,
	MMB_OPT_SIZE,
	MMB_OPT_FILE,
	MMB_OPT_BACKENDS,
	MMB_OPT_ADVICE,
	MMB_OPT_WINDOW,
	MMB_OPT_SYNC,
	MMB_OPT_ACCESS,
	MMB_OPT_CACHE,
	MMB_OPT_REPS,
	MMB_OPT_NO_WARMUP,
	MMB_OPT_NO_KEVENTS,
	MMB_OPT_PROFILE,
	MMB_OPT_LAT_EVERY,
	MMB_OPT_BUF_OFFSET,
	MMB_OPT_MEMORY_LIMIT,
	MMB_OPT_INTERVAL,
	MMB_OPT_JSON,
	MMB_OPT_CSV,
	MMB_OPT_REPORT,
	MMB_OPT_WIDE,
	MMB_OPT_POOL_SIZE,
	MMB_OPT_KEVENTS,
	MMB_OPT__COUNT
};

enum mmb_cli_opt_flags {
	/* Recorded in a field of struct mmb_run_result of its own (file_size,
	 * threads...), which the writers write under the row's key. */
	MMB_CLI_FIELD = 1u << 0,
	MMB_CLI_NO_CTX = 1u << 1, /* not recorded: where the output goes */
};

struct mmb_cli_opt {
	struct mmb_param p;
	char short_name;      /* 'w', or 0 */
	const char *section;  /* --help heading, on a section's first row */
	const char *def_text; /* the default in words when p.def does not
				 say it; "" when there is none */
	unsigned flags;	      /* enum mmb_cli_opt_flags */
};

extern const struct mmb_cli_opt mmb_cli_run_opts[MMB_OPT__COUNT];

/* Distinct workload parameter names over the registry, at most. */
#define MMB_CLI_MAX_WL_PARAMS 32
#define MMB_CLI_MAX_EXTRA     4
/* mmb_cli_parse: -h or --help was given (nothing printed). */
#define MMB_CLI_HELP (-1)

struct mmb_cli_args {
	union mmb_value
	    v[MMB_OPT__COUNT]; /* the row's default when not given */
	bool given[MMB_OPT__COUNT];
	/* Workload parameters given, by name: p is the first declaration in
	 * the registry, which checked v. */
	unsigned nwl;
	struct {
		const struct mmb_param *p;
		union mmb_value v;
	} wl[MMB_CLI_MAX_WL_PARAMS];
	/* The caller's extra options (mmb_cli_parse's extra). */
	union mmb_value extra[MMB_CLI_MAX_EXTRA];
	bool extra_given[MMB_CLI_MAX_EXTRA];
};

/* Option ids passed to mmb_cli_parse's seen(): an enum mmb_cli_run_opt,
 * MMB_CLI_ID_EXTRA + k for extra[k], MMB_CLI_ID_WL + j for a->wl[j]. */
#define MMB_CLI_ID_EXTRA 1000
#define MMB_CLI_ID_WL	 2000

/* Parse argv (argv[0] is the subcommand, cmd its name for messages) with
 * mmbench run's options, the workloads' parameters and nextra extra rows
 * (e.g. sweep's --param). Every value is parsed by its type and checked
 * against its range. When seen is not NULL it is called for every option
 * in order with its id and the argv elements it took, [first, end); a
 * non-zero return stops the parse and is returned. Returns 0,
 * MMB_CLI_HELP, or MMB_EXIT_USAGE with one line printed. */
int mmb_cli_parse(const char *cmd, int argc, char **argv,
		  const struct mmb_cli_opt *extra, unsigned nextra,
		  struct mmb_cli_args *a,
		  int (*seen)(void *ctx, int id, int first, int end),
		  void *ctx);
/* Parse arg as the value of run option id, by its row's type and range
 * (for a subcommand that takes some of run's options by hand, as
 * experiment does). Returns 0, or MMB_EXIT_USAGE with one line printed
 * ("mmbench CMD: --interval 99999999 is outside 10..3600000"). */
int mmb_cli_parse_opt(const char *cmd, enum mmb_cli_run_opt id, const char *arg,
		      union mmb_value *v);
/* Put the workload parameters of a that w declares into o (checked again
 * against w's own declaration). Returns 0 or MMB_EXIT_USAGE, printed. */
int mmb_cli_workload_params(const char *cmd, const struct mmb_cli_args *a,
			    const struct mmb_workload *w,
			    struct mmb_workload_opts *o);
/* The long option (without "--") of a parameter the workloads library
 * named (mmb_workload_resolve_which's *which); NULL when none. */
const char *mmb_cli_flag_of(const struct mmb_workload *w, const char *which);
/* The results context entries of a's options that have no field of their
 * own (advice, window, sync, no_warmup...) into out[0..max); returns how
 * many. */
unsigned mmb_cli_context(const struct mmb_cli_args *a,
			 struct mmb_ctx_value *out, unsigned max);
/* Print the option rows for --help, by section, the workload parameters
 * after the workload section. */
void mmb_cli_print_options(FILE *f);
/* Print the option list of docs/results.md as Markdown (mmbench list
 * --params). */
void mmb_cli_print_markdown(FILE *f);
/* The parameter mmbench sweep --param NAME varies, NULL when it cannot
 * (*id: its mmb_cli_parse id). */
const struct mmb_param *mmb_cli_sweep_param(const char *name, int *id);
/* The names sweep can vary, ", "-separated, into buf. */
const char *mmb_cli_sweep_names(char *buf, size_t n);
/* "mmbench CMD: MSG (see mmbench CMD --help)" on stderr; returns
 * MMB_EXIT_USAGE. */
int mmb_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- Ctrl-C, for every subcommand (cli/interrupt.c; the handlers in
 * cli/posix/, cli/win/) ----
 *
 * The first SIGINT or SIGTERM (Ctrl-C, Ctrl-Break or close on Windows)
 * only sets the flag: pass mmb_interrupt_flag() as mmb_run_opts.stop, and
 * the workers stop within 1024 ops, the repetition under way is kept and
 * the result is partial; the caller writes what was measured. A second
 * signal cleans up at once (leaves and removes the registered cgroup,
 * unlinks the registered temp files, passes two signals to the child) and
 * exits with 128 + signal. */
void mmb_interrupt_install(void);
/* The signal number received (SIGINT, SIGTERM), 0 when none. */
int mmb_interrupted(void);
/* The flag itself, for mmb_run_opts.stop. */
const volatile sig_atomic_t *mmb_interrupt_flag(void);
/* mmb_cgroup_create / mmb_cgroup_remove (mmbench/pressure.h), with the
 * cgroup registered for a second signal to remove in between. */
struct mmb_cgroup;
int mmb_interrupt_cgroup_create(struct mmb_cgroup *cg, uint64_t limit);
int mmb_interrupt_cgroup_remove(struct mmb_cgroup *cg);
/* Register a temp file (or directory, removed after the files) to unlink
 * on a second signal (at most 72; the string must
 * outlive the registration); unregister with the same pointer. */
void mmb_interrupt_tempfile(const char *path);
void mmb_interrupt_tempfile_done(const char *path);
/* The child process a sweep or experiment is waiting for (0: none). A
 * second signal passes two signals on to it, so it cleans up after itself
 * before this process exits. POSIX only: on Windows the child shares the
 * console and gets the same events (win/child.c). */
void mmb_interrupt_child(long pid);
/* Around writing an output (JSON, CSV, a sweep's merge): a second signal
 * meanwhile waits until mmb_interrupt_release(), which then cleans up and
 * exits as the handler would have; the output is complete and in place,
 * and its temp file is gone. Not nested; keep what is held short (no
 * gnuplot). */
void mmb_interrupt_hold(void);
void mmb_interrupt_release(void);

/* Run argv as a child (execv of path; stdin and stderr kept, stdout to
 * /dev/null when quiet) and wait for it, registered with
 * mmb_interrupt_child meanwhile; a signal this process gets is passed on
 * to it, once. 0 with its wait status in *status (exit 127: exec failed,
 * said on stderr), or -1 with "WHO: fork/waitpid: reason" printed. POSIX
 * only (cli/posix/child.c). */
int mmb_cli_spawn_wait(const char *who, const char *path, char *const argv[],
		       bool quiet, int *status);

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
 * file, kept in the report as DIR/results.json). 0, or -1 with the
 * one-line reason printed. */
int mmb_cli_save_json(const struct mmb_run_result *r, const char *path);
int mmb_cli_save_csv(const struct mmb_run_result *r, const char *path);
int mmb_cli_save_report(const struct mmb_run_result *r, const char *json,
			const char *dir);

/* ---- output paths (cli/util.c; what a path names: posix|win/paths.c) ----
 *
 * An output must never replace an input or another output: `--file F
 * --json F` replaced the input, `--json X --csv X` the JSON. */

/* What a path names: the file (device and inode, or the volume and file
 * index on Windows) when it exists; always its absolute path, resolved
 * (for a file not there yet: its parent resolved, then its name). */
struct mmb_cli_path_id {
	bool exists;
	uint64_t dev, ino;
	char full[4096];
};
void mmb_cli_path_id(const char *path, struct mmb_cli_path_id *id);

enum mmb_cli_path_role {
	MMB_CLI_PATH_IN,  /* read: two inputs may be the same file */
	MMB_CLI_PATH_OUT, /* a file written */
	MMB_CLI_PATH_DIR, /* a directory written (--report): nothing may be
			     inside it either */
};
struct mmb_cli_path {
	const char *opt;  /* "--json", for the message */
	const char *path; /* NULL: not given, skipped */
	enum mmb_cli_path_role role;
};
/* Refuse when an output names the same file as an input or another
 * output, or lies inside an output directory: "mmbench CMD: --csv X and
 * --json X are the same file" on stderr and MMB_EXIT_USAGE; else 0. */
int mmb_cli_distinct_paths(const char *cmd, const struct mmb_cli_path *p,
			   unsigned n);
/* --report DIR checked before the run as --json is (mmb_report_check_dest):
 * 0, or MMB_EXIT_USAGE with the one-line reason printed. */
int mmb_cli_check_report(const char *cmd, const char *dir);

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
/* mkdtemp of "$TMPDIR/mmbench-WHAT-XXXXXX" (TMPDIR unset: /tmp; Windows:
 * GetTempPath) into dir,
 * registered for cleanup on a second Ctrl-C. Prints the error and returns
 * -1 on failure. */
int mmb_cli_tempdir(char *dir, size_t n, const char *what);
#endif
