/* SPDX-License-Identifier: MIT */
/* options.c - mmbench run's options as one table (commands.h), and what
 * walks it together with the workloads' parameter tables: the getopt
 * options of run and sweep, validation, --help, the results context, the
 * parameters sweep can vary and the Markdown option list of
 * docs/results.md.
 *
 * A new run option is one row here plus the line in run.c that hands its
 * value to the runner; a new workload parameter is a row in the
 * workload's own file and nothing here. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "mmb/error.h"
#include "mmb/map.h"
#include "mmbench/backend.h"
#include "mmbench/kevents.h"

/* ---- the names of the ENUM rows ---------------------------------------- */

static const char *workload_name(int i)
{
	for (int k = 0; mmb_workloads[k]; k++)
		if (k == i)
			return mmb_workloads[k]->name;
	return NULL;
}

/* "none" (do not advise, -1 for the backends), then the core's names. */
static const char *advice_name(int i)
{
	if (i == 0)
		return "none";
	return i > 0 && i <= MMB_ADV__COUNT
		   ? mmb_advice_name((enum mmb_advice)(i - 1))
		   : NULL;
}

static const char *sync_name(int i)
{
	return i >= 0 ? mmb_wsync_name((enum mmb_wsync)i) : NULL;
}

static const char *access_name(int i)
{
	return i >= 0 ? mmb_access_mode_name((enum mmb_access_mode)i) : NULL;
}

/* In the order of enum mmb_cache. */
static const char *cache_name(int i)
{
	static const char *const names[] = {"warm", "cold"};
	return i >= 0 && i < 2 ? names[i] : NULL;
}

#define MiB (1024.0 * 1024.0)

const struct mmb_cli_opt mmb_cli_run_opts[MMB_OPT__COUNT] = {
    [MMB_OPT_WORKLOAD] =
	{
	    .p = {.name = "workload",
		  .type = MMB_PARAM_ENUM,
		  .enum_name = workload_name,
		  .arg = "NAME",
		  .help = "the access pattern (mmbench list describes them)"},
	    .short_name = 'w',
	    .section = "workload",
	    .flags = MMB_CLI_FIELD,
	},
    [MMB_OPT_BS] =
	{
	    .p = {.name = "bs",
		  .key = "block_size",
		  .type = MMB_PARAM_SIZE,
		  .flags = MMB_PARAM_SWEEP,
		  .min = 1,
		  .help = "bytes per op"},
	    .def_text = "the workload's; those named for their block size "
			"keep it",
	    .flags = MMB_CLI_FIELD,
	},
    [MMB_OPT_OPS] =
	{
	    .p = {.name = "ops",
		  .type = MMB_PARAM_COUNT,
		  .flags = MMB_PARAM_SUFFIX,
		  .min = 1,
		  .help = "ops per repetition, all threads together"},
	    .def_text = "262144, or one pass over the file (trace: over the "
			"trace)",
	    .flags = MMB_CLI_FIELD,
	},
    [MMB_OPT_DURATION] =
	{
	    .p = {.name = "duration",
		  .key = "duration_s",
		  .type = MMB_PARAM_DOUBLE,
		  .flags = MMB_PARAM_MIN_EXCL,
		  .min = 0,
		  .max = 1e6, /* 11.6 days; as ns it fits in 64 bits */
		  .arg = "SEC",
		  .help = "instead of --ops: repeat the ops for SEC seconds"},
	    .def_text = "",
	    .flags = MMB_CLI_FIELD,
	},
    [MMB_OPT_SEED] =
	{
	    .p = {.name = "seed",
		  .type = MMB_PARAM_COUNT,
		  .def.u = 1,
		  .help = "seed of the offsets"},
	    .flags = MMB_CLI_FIELD,
	},
    [MMB_OPT_THREADS] =
	{
	    .p = {.name = "threads",
		  .type = MMB_PARAM_COUNT,
		  .flags = MMB_PARAM_SWEEP,
		  .def.u = 1,
		  .min = 1,
		  .max = 1024,
		  .help = "threads, each with its own slice of the ops"},
	    .flags = MMB_CLI_FIELD,
	},
    [MMB_OPT_SIZE] =
	{
	    .p = {.name = "size",
		  .key = "file_size",
		  .type = MMB_PARAM_SIZE,
		  .flags = MMB_PARAM_SWEEP,
		  .def.u = 1ull << 30,
		  .min = 1,
		  .max = (double)(1ull << 52), /* 4 PiB */
		  .help =
		      "test file size; the file is created in "
		      "$MMBENCH_DATA_DIR or /var/tmp/mmbench-UID and reused"},
	    .section = "file",
	    .flags = MMB_CLI_FIELD,
	},
    [MMB_OPT_FILE] =
	{
	    .p = {.name = "file",
		  .type = MMB_PARAM_STRING,
		  .arg = "PATH",
		  .help = "an existing file instead (read workloads only)"},
	    .def_text = "",
	    .flags = MMB_CLI_FIELD,
	},
    [MMB_OPT_BACKENDS] =
	{
	    .p = {.name = "backends",
		  .type = MMB_PARAM_STRING,
		  .arg = "LIST",
		  .help = "comma-separated, or 'all' (mmbench list describes "
			  "them)"},
	    .short_name = 'b',
	    .section = "backends",
	    .def_text = "pread,mmap; readfile,winview on Windows",
	    .flags = MMB_CLI_NO_CTX, /* each benchmark's "backend" */
	},
    [MMB_OPT_ADVICE] =
	{
	    .p = {.name = "advice",
		  .type = MMB_PARAM_ENUM,
		  .enum_name = advice_name,
		  .arg = "NAME",
		  .help = "madvise/fadvise advice the backends give"},
	},
    [MMB_OPT_WINDOW] =
	{
	    .p = {.name = "window",
		  .type = MMB_PARAM_SIZE,
		  .flags = MMB_PARAM_SWEEP,
		  .def.u = 1ull << 30,
		  .min = 1,
		  .help = "mmap-window: bytes per view"},
	},
    [MMB_OPT_SYNC] =
	{
	    .p = {.name = "sync",
		  .type = MMB_PARAM_ENUM,
		  .enum_name = sync_name,
		  .arg = "NAME",
		  .help = "how writes are made durable (mmbench list)"},
	},
    [MMB_OPT_ACCESS] =
	{
	    .p = {.name = "access",
		  .type = MMB_PARAM_ENUM,
		  .flags = MMB_PARAM_SWEEP,
		  .enum_name = access_name,
		  .arg = "MODE",
		  .help = "read workloads: what each op does with its bytes: "
			  "copy them into a buffer; consume every byte "
			  "inplace (on the mapping, through a view); touch "
			  "one 8-byte word at the op's offset"},
	},
    [MMB_OPT_CACHE] =
	{
	    .p = {.name = "cache",
		  .type = MMB_PARAM_ENUM,
		  .enum_name = cache_name,
		  .arg = "MODE",
		  .help = "warm: the file is read once before each run; cold: "
			  "dropped from the page cache, verified with "
			  "mincore"},
	    .section = "measurement",
	    .flags = MMB_CLI_FIELD,
	},
    [MMB_OPT_REPS] =
	{
	    .p = {.name = "reps",
		  .type = MMB_PARAM_COUNT,
		  .def.u = 3,
		  .min = 1,
		  .max = 10000,
		  .help = "measured repetitions, after one warm-up"},
	    .flags = MMB_CLI_FIELD,
	},
    [MMB_OPT_NO_WARMUP] =
	{
	    .p = {.name = "no-warmup",
		  .type = MMB_PARAM_FLAG,
		  .help = "skip the discarded warm-up run"},
	},
    [MMB_OPT_NO_KEVENTS] =
	{
	    .p = {.name = "no-kernel-events",
		  .type = MMB_PARAM_FLAG,
		  .help = "do not count kernel events (tracepoints, JSON "
			  "\"kernel_events\"; counted by default, in an "
			  "evidence repetition: --kernel-events)"},
	},
    [MMB_OPT_PROFILE] =
	{
	    .p = {.name = "profile",
		  .type = MMB_PARAM_FLAG,
		  .help = "sample where the time goes (cpu-clock with call "
			  "chains; JSON \"profile\"; with --json FILE also "
			  "the folded stacks and a flame graph per backend "
			  "beside it)"},
	},
    [MMB_OPT_LAT_EVERY] =
	{
	    .p = {.name = "lat-every",
		  .type = MMB_PARAM_COUNT,
		  .arg = "N",
		  .help = "time one op in N (at a random place in each run of "
			  "N) for the latency percentiles; 0: none. The ops/s "
			  "come from the whole loop, never from these"},
	    .def_text = "per backend, one op about every 200 us of its "
			"warm-up's loop (512 with --no-warmup)",
	    /* the context's latency_sampling says it, and each entry's
	     * lat_every */
	    .flags = MMB_CLI_NO_CTX,
	},
    [MMB_OPT_BUF_OFFSET] =
	{
	    .p = {.name = "buf-offset",
		  .type = MMB_PARAM_SIZE,
		  .flags = MMB_PARAM_SWEEP,
		  .max = 1 << 20,
		  .arg = "BYTES",
		  .help = "put the ops' buffers BYTES past a page boundary "
			  "(0: page-aligned); O_DIRECT backends refuse what "
			  "breaks their alignment"},
	},
    [MMB_OPT_MEMORY_LIMIT] =
	{
	    .p = {.name = "memory-limit",
		  .type = MMB_PARAM_SIZE,
		  .flags = MMB_PARAM_SWEEP,
		  .min = 16 * MiB,
		  .max = (double)(1ull << 50), /* 1 PiB: 3x it is a file size */
		  .help = "run each repetition inside a memory cgroup of SIZE, "
			  "page cache included"},
	    .section = "memory pressure (needs root and a cgroup memory "
		       "controller)",
	    .def_text = "none",
	    .flags = MMB_CLI_FIELD, /* only when given */
	},
    [MMB_OPT_INTERVAL] =
	{
	    .p = {.name = "interval",
		  .key = "interval_ms",
		  .type = MMB_PARAM_COUNT,
		  .min = 10,
		  .max = 3600000,
		  .arg = "MS",
		  .help = "record ops/s, faults, resident pages and TLB "
			  "shootdowns every MS ms (JSON \"timeseries\")"},
	    .def_text = "none",
	    .flags = MMB_CLI_FIELD, /* only when given */
	},
    [MMB_OPT_JSON] =
	{
	    .p = {.name = "json",
		  .type = MMB_PARAM_STRING,
		  .arg = "FILE",
		  .help = "results as JSON (docs/results.md)"},
	    .section = "output",
	    .def_text = "",
	    .flags = MMB_CLI_NO_CTX,
	},
    [MMB_OPT_CSV] =
	{
	    .p = {.name = "csv",
		  .type = MMB_PARAM_STRING,
		  .arg = "FILE",
		  .help = "one row per backend per repetition"},
	    .def_text = "",
	    .flags = MMB_CLI_NO_CTX,
	},
    [MMB_OPT_REPORT] =
	{
	    .p = {.name = "report",
		  .type = MMB_PARAM_STRING,
		  .arg = "DIR",
		  .help = "also an HTML report with plots (as mmbench report)"},
	    .def_text = "",
	    .flags = MMB_CLI_NO_CTX,
	},
    [MMB_OPT_WIDE] =
	{
	    .p = {.name = "wide",
		  .type = MMB_PARAM_FLAG,
		  .help = "the console table with every column, however wide "
			  "the terminal (default: when it has 106 columns)"},
	    .flags = MMB_CLI_NO_CTX,
	},
    [MMB_OPT_POOL_SIZE] =
	{
	    .p = {.name = "pool-size",
		  .type = MMB_PARAM_SIZE,
		  .flags = MMB_PARAM_SWEEP,
		  .min = 4096,
		  .help = "bufferpool: bytes of frames (4 KiB each, or --bs "
			  "when a power of two up to 2 MiB); counts against "
			  "--memory-limit"},
	    .section = "buffer pool",
	    .def_text = "a quarter of the file",
	},
    [MMB_OPT_KEVENTS] =
	{
	    .p = {.name = "kernel-events",
		  .key = "kernel_events_mode",
		  .type = MMB_PARAM_ENUM,
		  .enum_name = mmb_kevents_mode_name,
		  .arg = "MODE",
		  .help = "where the kernel events and --profile are counted: "
			  "separate: in one more repetition after the "
			  "measured ones, never in the statistics; inline: "
			  "in every measured repetition, at their cost; off: "
			  "not at all (as --no-kernel-events)"},
	    .section = "instrumentation",
	},
};

/* ---- errors ------------------------------------------------------------- */

int mmb_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mmbench %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see mmbench %s --help)\n", cmd);
	return MMB_EXIT_USAGE;
}

/* ---- the workloads' parameters, by name --------------------------------- */

/* The j-th distinct parameter name over the registry, in registry order;
 * NULL past the last. *owners: the workloads declaring it, ", "-joined. */
static const struct mmb_param *wl_param(unsigned j, char *owners, size_t n)
{
	unsigned seen = 0;

	for (size_t i = 0; mmb_workloads[i]; i++) {
		const struct mmb_param *p = mmb_workloads[i]->params;
		for (; p && p->name; p++) {
			bool first = true;
			for (size_t k = 0; k < i && first; k++)
				first = mmb_workload_param(mmb_workloads[k],
							   p->name) < 0;
			if (!first || seen++ != j)
				continue;
			if (owners) {
				size_t len = 0;
				owners[0] = 0;
				for (size_t k = i; mmb_workloads[k]; k++)
					if (mmb_workload_param(mmb_workloads[k],
							       p->name) >= 0 &&
					    len < n)
						len += (size_t)snprintf(
						    owners + len, n - len,
						    "%s%s", len ? ", " : "",
						    mmb_workloads[k]->name);
			}
			return p;
		}
	}
	return NULL;
}

/* ---- parsing ------------------------------------------------------------ */

static const char *type_word(const struct mmb_param *p)
{
	switch (p->type) {
	case MMB_PARAM_SIZE:
		return "size";
	case MMB_PARAM_COUNT:
		return "integer";
	default:
		return "number";
	}
}

/* "a, b, c" of an ENUM into buf. */
static const char *enum_list(const struct mmb_param *p, char *buf, size_t n)
{
	size_t len = 0;
	const char *e;

	buf[0] = 0;
	for (int i = 0; (e = p->enum_name(i)) != NULL && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s",
					i ? ", " : "", e);
	return buf;
}

/* Parse arg as p's value into *v and check its range. */
static int parse_value(const char *cmd, const struct mmb_param *p,
		       const char *arg, union mmb_value *v)
{
	char flag[64], names[512];
	bool suffix =
	    p->type == MMB_PARAM_SIZE || (p->flags & MMB_PARAM_SUFFIX);

	snprintf(flag, sizeof(flag), "--%s", p->name);
	switch (p->type) {
	case MMB_PARAM_SIZE:
	case MMB_PARAM_COUNT:
		if (mmb_cli_u64(arg, suffix, &v->u) < 0)
			return mmb_cli_usage_error(
			    cmd, "%s: '%s' is not a non-negative %s", flag, arg,
			    type_word(p));
		break;
	case MMB_PARAM_DOUBLE:
	case MMB_PARAM_PERCENT:
		if (mmb_cli_double(arg, &v->d) < 0)
			return mmb_cli_usage_error(
			    cmd, "%s: '%s' is not a number", flag, arg);
		break;
	case MMB_PARAM_ENUM:
		v->i = mmb_param_enum_parse(p, arg);
		if (v->i < 0)
			return mmb_cli_usage_error(
			    cmd, "%s: unknown %s '%s' (one of %s)", flag,
			    p->name, arg, enum_list(p, names, sizeof(names)));
		return 0;
	case MMB_PARAM_STRING:
		if (!*arg)
			return mmb_cli_usage_error(cmd, "%s is empty", flag);
		v->s = arg;
		return 0;
	case MMB_PARAM_FLAG:
		v->b = true;
		return 0;
	}
	if (mmb_param_check(p, *v, flag) < 0)
		return mmb_cli_usage_error(cmd, "%s", mmb_last_error()->call);
	return 0;
}

int mmb_cli_parse_opt(const char *cmd, enum mmb_cli_run_opt id, const char *arg,
		      union mmb_value *v)
{
	return parse_value(cmd, &mmb_cli_run_opts[id].p, arg, v);
}

int mmb_cli_parse(const char *cmd, int argc, char **argv,
		  const struct mmb_cli_opt *extra, unsigned nextra,
		  struct mmb_cli_args *a,
		  int (*seen)(void *ctx, int id, int first, int end), void *ctx)
{
	struct option
	    lo[MMB_OPT__COUNT + MMB_CLI_MAX_EXTRA + MMB_CLI_MAX_WL_PARAMS + 2];
	const struct mmb_param *wp[MMB_CLI_MAX_WL_PARAMS];
	unsigned nlo = 0, nwp = 0;
	char shorts[16] = "+:h";
	int c, rc = 0;

	memset(a, 0, sizeof(*a));
	for (unsigned i = 0; i < MMB_OPT__COUNT; i++) {
		const struct mmb_cli_opt *o = &mmb_cli_run_opts[i];
		a->v[i] = o->p.def;
		lo[nlo++] = (struct option){o->p.name,
					    o->p.type == MMB_PARAM_FLAG
						? no_argument
						: required_argument,
					    NULL, (int)i + 256};
		if (o->short_name) {
			size_t len = strlen(shorts);
			shorts[len] = o->short_name;
			shorts[len + 1] = ':';
			shorts[len + 2] = 0;
		}
	}
	for (unsigned k = 0; k < nextra && k < MMB_CLI_MAX_EXTRA; k++) {
		a->extra[k] = extra[k].p.def;
		lo[nlo++] = (struct option){extra[k].p.name,
					    extra[k].p.type == MMB_PARAM_FLAG
						? no_argument
						: required_argument,
					    NULL, MMB_CLI_ID_EXTRA + (int)k};
	}
	for (const struct mmb_param *p;
	     nwp < MMB_CLI_MAX_WL_PARAMS && (p = wl_param(nwp, NULL, 0));
	     nwp++) {
		wp[nwp] = p;
		lo[nlo++] = (struct option){p->name, required_argument, NULL,
					    MMB_CLI_ID_WL + (int)nwp};
	}
	lo[nlo++] = (struct option){"help", no_argument, NULL, 'h'};
	lo[nlo] = (struct option){NULL, 0, NULL, 0};

	opterr = 0;
	optind = 1;
	for (;;) {
		int first = optind, id;
		c = getopt_long(argc, argv, shorts, lo, NULL);
		if (c == -1)
			break;
		if (c == 'h')
			return MMB_CLI_HELP;
		if (c == ':')
			return mmb_cli_usage_error(
			    cmd, "option '%s' needs a value", argv[optind - 1]);
		if (c == '?')
			return mmb_cli_usage_error(cmd, "unknown option '%s'",
						   argv[optind - 1]);
		id = c;
		for (unsigned i = 0; i < MMB_OPT__COUNT; i++)
			if (c == mmb_cli_run_opts[i].short_name)
				id = (int)i + 256;
		if (id >= MMB_CLI_ID_WL) {
			unsigned j = (unsigned)(id - MMB_CLI_ID_WL), k;
			union mmb_value v;
			rc = parse_value(cmd, wp[j], optarg, &v);
			for (k = 0; k < a->nwl && a->wl[k].p != wp[j]; k++)
				;
			a->wl[k].p = wp[j];
			a->wl[k].v = v;
			a->nwl += k == a->nwl;
		} else if (id >= MMB_CLI_ID_EXTRA) {
			unsigned k = (unsigned)(id - MMB_CLI_ID_EXTRA);
			rc = parse_value(cmd, &extra[k].p, optarg ? optarg : "",
					 &a->extra[k]);
			a->extra_given[k] = true;
		} else {
			id -= 256;
			rc = parse_value(cmd, &mmb_cli_run_opts[id].p,
					 optarg ? optarg : "", &a->v[id]);
			a->given[id] = true;
		}
		if (!rc && seen)
			rc = seen(ctx, id, first, optind);
		if (rc)
			return rc;
	}
	if (optind < argc)
		return mmb_cli_usage_error(cmd, "unexpected argument '%s'",
					   argv[optind]);
	return 0;
}

int mmb_cli_workload_params(const char *cmd, const struct mmb_cli_args *a,
			    const struct mmb_workload *w,
			    struct mmb_workload_opts *o)
{
	char flag[64];

	for (unsigned k = 0; k < a->nwl; k++) {
		int i = mmb_workload_param(w, a->wl[k].p->name);
		/* Given for another workload: checked by its declaration
		 * and left unused, as before parameters were data. */
		if (i < 0)
			continue;
		snprintf(flag, sizeof(flag), "--%s", a->wl[k].p->name);
		if (mmb_param_check(&w->params[i], a->wl[k].v, flag) < 0)
			return mmb_cli_usage_error(cmd, "%s",
						   mmb_last_error()->call);
		mmb_workload_set(w, o, a->wl[k].p->name, a->wl[k].v);
	}
	return 0;
}

const char *mmb_cli_flag_of(const struct mmb_workload *w, const char *which)
{
	char key[40];

	if (!which)
		return NULL;
	if (w && mmb_workload_param(w, which) >= 0)
		return which;
	for (unsigned i = 0; i < MMB_OPT__COUNT; i++)
		if (strcmp(
			mmb_param_key(&mmb_cli_run_opts[i].p, key, sizeof(key)),
			which) == 0)
			return mmb_cli_run_opts[i].p.name;
	return NULL;
}

unsigned mmb_cli_context(const struct mmb_cli_args *a,
			 struct mmb_ctx_value *out, unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < MMB_OPT__COUNT && n < max; i++) {
		const struct mmb_cli_opt *o = &mmb_cli_run_opts[i];
		if (o->flags & (MMB_CLI_FIELD | MMB_CLI_NO_CTX))
			continue;
		mmb_param_ctx(&o->p, a->v[i], &out[n++]);
	}
	return n;
}

/* ---- sweep -------------------------------------------------------------- */

const struct mmb_param *mmb_cli_sweep_param(const char *name, int *id)
{
	const struct mmb_param *p;

	for (unsigned i = 0; i < MMB_OPT__COUNT; i++) {
		p = &mmb_cli_run_opts[i].p;
		if ((p->flags & MMB_PARAM_SWEEP) &&
		    strcmp(p->name, name) == 0) {
			*id = (int)i;
			return p;
		}
	}
	for (unsigned j = 0; (p = wl_param(j, NULL, 0)) != NULL; j++)
		if ((p->flags & MMB_PARAM_SWEEP) &&
		    strcmp(p->name, name) == 0) {
			*id = MMB_CLI_ID_WL + (int)j;
			return p;
		}
	return NULL;
}

const char *mmb_cli_sweep_names(char *buf, size_t n)
{
	const struct mmb_param *p;
	size_t len = 0;

	buf[0] = 0;
	for (unsigned i = 0; i < MMB_OPT__COUNT; i++) {
		p = &mmb_cli_run_opts[i].p;
		if ((p->flags & MMB_PARAM_SWEEP) && len < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%s",
						len ? ", " : "", p->name);
	}
	for (unsigned j = 0; (p = wl_param(j, NULL, 0)) != NULL; j++)
		if ((p->flags & MMB_PARAM_SWEEP) && len < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%s",
						len ? ", " : "", p->name);
	return buf;
}

/* ---- --help and docs ---------------------------------------------------- */

/* The range of p in words, "" when it has none. */
static const char *range_text(const struct mmb_param *p, char *buf, size_t n)
{
	union mmb_value lo, hi;
	char a[32], b[32];
	bool integer = p->type == MMB_PARAM_SIZE || p->type == MMB_PARAM_COUNT;

	buf[0] = 0;
	if (p->type == MMB_PARAM_PERCENT) {
		snprintf(buf, n, "0..100");
		return buf;
	}
	if (p->type == MMB_PARAM_ENUM) {
		return enum_list(p, buf, n);
	}
	if (!integer && p->type != MMB_PARAM_DOUBLE)
		return buf;
	if (integer) {
		lo.u = (uint64_t)p->min;
		hi.u = (uint64_t)p->max;
	} else {
		lo.d = p->min;
		hi.d = p->max;
	}
	mmb_param_format(p, lo, a, sizeof(a));
	mmb_param_format(p, hi, b, sizeof(b));
	if (p->max != 0 && (p->flags & MMB_PARAM_MIN_EXCL))
		snprintf(buf, n, "> %s, <= %s", a, b);
	else if (p->max != 0)
		snprintf(buf, n, "%s..%s", a, b);
	else if (p->flags & MMB_PARAM_MIN_EXCL)
		snprintf(buf, n, "> %s", a);
	else if (p->min > 1) /* ">= 1" goes without saying */
		snprintf(buf, n, ">= %s", a);
	return buf;
}

/* The default in words, "" when none. */
static const char *default_text(const struct mmb_param *p, const char *def_text,
				char *buf, size_t n)
{
	buf[0] = 0;
	if (def_text)
		snprintf(buf, n, "%s", def_text);
	else if (p->type != MMB_PARAM_FLAG && p->type != MMB_PARAM_STRING)
		mmb_param_format(p, p->def, buf, n);
	return buf;
}

static const char *placeholder(const struct mmb_param *p)
{
	if (p->arg)
		return p->arg;
	switch (p->type) {
	case MMB_PARAM_SIZE:
		return "SIZE";
	case MMB_PARAM_COUNT:
		return "N";
	case MMB_PARAM_DOUBLE:
	case MMB_PARAM_PERCENT:
		return "X";
	case MMB_PARAM_ENUM:
		return "NAME";
	case MMB_PARAM_STRING:
		return "TEXT";
	case MMB_PARAM_FLAG:
		break;
	}
	return "";
}

/* One option of --help: the flags in a column of 24, the text wrapped at
 * 78 columns. */
static void help_row(FILE *f, char short_name, const struct mmb_param *p,
		     const char *prefix, const char *def_text)
{
	char left[64], text[1024], range[512], def[256];
	const char *t;
	int col;

	snprintf(left, sizeof(left), "  %c%c%s--%s%s%s", short_name ? '-' : ' ',
		 short_name ? short_name : ' ', short_name ? ", " : "  ",
		 p->name, p->type == MMB_PARAM_FLAG ? "" : " ",
		 p->type == MMB_PARAM_FLAG ? "" : placeholder(p));
	range_text(p, range, sizeof(range));
	default_text(p, def_text, def, sizeof(def));
	snprintf(text, sizeof(text), "%s%s%s%s%s%s%s", prefix, p->help,
		 range[0] || def[0] ? " (" : "", range,
		 range[0] && def[0] ? "; " : "", def[0] ? "default " : "", def);
	if (range[0] || def[0])
		strncat(text, ")", sizeof(text) - strlen(text) - 1);
	fputs(left, f);
	col = (int)strlen(left);
	if (col > 22) {
		fputs("\n", f);
		col = 0;
	}
	fprintf(f, "%*s", 24 - col, "");
	col = 24;
	t = text;
	while (*t) {
		size_t w = strcspn(t, " ");
		if (col > 24 && col + 1 + (int)w > 78) {
			fprintf(f, "\n%24s", "");
			col = 24;
		} else if (col > 24) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)w, t);
		col += (int)w;
		t += w;
		while (*t == ' ')
			t++;
	}
	fputc('\n', f);
}

void mmb_cli_print_options(FILE *f)
{
	char owners[256], prefix[300];
	const struct mmb_param *p;

	for (unsigned i = 0; i < MMB_OPT__COUNT; i++) {
		const struct mmb_cli_opt *o = &mmb_cli_run_opts[i];
		if (o->section && i == MMB_OPT_SIZE) {
			/* The workload's own knobs, after the workload's
			 * common options. */
			fprintf(f, "workload parameters (each for the "
				   "workloads named):\n");
			for (unsigned j = 0;
			     (p = wl_param(j, owners, sizeof(owners))) != NULL;
			     j++) {
				snprintf(prefix, sizeof(prefix),
					 "%s: ", owners);
				help_row(f, 0, p, prefix, NULL);
			}
		}
		if (o->section)
			fprintf(f, "%s:\n", o->section);
		help_row(f, o->short_name, &o->p, "", o->def_text);
	}
	fprintf(f, "  -h, --help            this text\n");
}

static const char *type_doc(const struct mmb_param *p)
{
	switch (p->type) {
	case MMB_PARAM_SIZE:
		return "size";
	case MMB_PARAM_COUNT:
		return "count";
	case MMB_PARAM_DOUBLE:
		return "number";
	case MMB_PARAM_PERCENT:
		return "percent";
	case MMB_PARAM_ENUM:
		return "name";
	case MMB_PARAM_STRING:
		return "text";
	case MMB_PARAM_FLAG:
		return "flag";
	}
	return "";
}

/* The context key column of a row. */
static const char *key_doc(const struct mmb_param *p, unsigned flags, char *buf,
			   size_t n)
{
	char key[40];

	if (flags & MMB_CLI_NO_CTX)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "`%s`", mmb_param_key(p, key, sizeof(key)));
	return buf;
}

static void md_row(FILE *f, const char *first, const struct mmb_param *p,
		   const char *def_text, unsigned flags)
{
	char range[512], def[256], key[48];

	fprintf(f, "| %s | %s | %s | %s | %s | %s | %s |\n", first, type_doc(p),
		default_text(p, def_text, def, sizeof(def)),
		range_text(p, range, sizeof(range)),
		key_doc(p, flags, key, sizeof(key)),
		(p->flags & MMB_PARAM_SWEEP) ? "yes" : "", p->help);
}

void mmb_cli_print_markdown(FILE *f)
{
	char first[300], owners[256];
	const struct mmb_param *p;

	fprintf(f, "| option | type | default | range | context key | sweep "
		   "| meaning |\n|---|---|---|---|---|---|---|\n");
	for (unsigned i = 0; i < MMB_OPT__COUNT; i++) {
		const struct mmb_cli_opt *o = &mmb_cli_run_opts[i];
		if (o->short_name)
			snprintf(first, sizeof(first), "`-%c`, `--%s`",
				 o->short_name, o->p.name);
		else
			snprintf(first, sizeof(first), "`--%s`", o->p.name);
		md_row(f, first, &o->p, o->def_text, o->flags);
	}
	fprintf(f, "\nWorkload parameters (in the context only for the "
		   "workloads that have them):\n\n");
	fprintf(f, "| option | type | default | range | context key | sweep "
		   "| meaning |\n|---|---|---|---|---|---|---|\n");
	for (unsigned j = 0; (p = wl_param(j, owners, sizeof(owners))) != NULL;
	     j++) {
		char help[512];
		struct mmb_param q = *p;
		snprintf(first, sizeof(first), "`--%s`", p->name);
		snprintf(help, sizeof(help), "%s: %s", owners, p->help);
		q.help = help;
		md_row(f, first, &q, NULL, 0);
	}
}
