/* SPDX-License-Identifier: MIT */
/* mmbench/workload.h - workload generators, the test file and the timed runner.
 *
 * A workload chooses the ops (offset, length, read or write); a backend
 * performs them. The ops are one sequence from a fixed seed that the
 * threads split into contiguous slices, so every backend runs exactly the
 * same ops in the same per-thread order; the runner makes each slice in
 * bounded chunks (struct mmb_gen) outside the timed time.
 *
 * One file per generator in workloads/, each ending in one const struct
 * mmb_workload that carries its own parameter table (struct mmb_param);
 * workloads/registry.c lists them. No code outside the workload's file
 * special-cases a workload or one of its parameters: the CLI, --help, the
 * results context and sweep read the tables.
 */
#ifndef MMB_WORKLOAD_H
#define MMB_WORKLOAD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "result.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One op. 16 bytes, so 262144 ops are 4 MiB. */
struct mmb_op {
	uint64_t off;
	uint32_t len;
	uint32_t is_write;
};

/* ---- parameters, declared as data ---------------------------------------
 *
 * A workload declares its own knobs (zipf's theta, rw-mix's read share) as
 * a table of struct mmb_param in its file; mmbench run's options are one
 * such table too (cli/options.c). From the tables come the command-line
 * options, --help, validation, the results context, the parameters
 * mmbench sweep can vary and the option list of docs/results.md. */

enum mmb_param_type {
	MMB_PARAM_SIZE,	   /* bytes (.u), typed with K, M, G, T suffixes */
	MMB_PARAM_COUNT,   /* a non-negative integer (.u) */
	MMB_PARAM_DOUBLE,  /* a finite number (.d) */
	MMB_PARAM_PERCENT, /* a number within 0..100 (.d) */
	MMB_PARAM_ENUM,	   /* one of enum_name(0), enum_name(1)... (.i) */
	MMB_PARAM_STRING,  /* text (.s), e.g. a path */
	MMB_PARAM_FLAG,	   /* no value: given or not (.b) */
};

union mmb_value {
	uint64_t u;
	double d;
	int i;
	const char *s;
	bool b;
};

enum mmb_param_flags {
	MMB_PARAM_MIN_EXCL = 1u << 0, /* the value must be > min, not >= */
	MMB_PARAM_SWEEP = 1u << 1,    /* mmbench sweep --param may vary it
					 (SIZE, COUNT; ENUM by name) */
	MMB_PARAM_SUFFIX = 1u << 2,   /* a COUNT typed with K, M, G, T too */
};

struct mmb_param {
	const char *name; /* as the long option, without "--": "read-pct" */
	/* Its key in the results context; NULL: the name with '-' as '_'
	 * ("read_pct"), mmb_param_key(). */
	const char *key;
	enum mmb_param_type type;
	unsigned flags; /* enum mmb_param_flags */
	union mmb_value def;
	/* Range of .u or .d: min..max, max 0 meaning no upper bound.
	 * PERCENT is always within 0..100. */
	double min, max;
	/* ENUM: the name of value i, NULL past the last. */
	const char *(*enum_name)(int i);
	const char *arg;  /* placeholder in --help ("SIZE"); NULL: by type */
	const char *help; /* one line, without the default and the range */
};

/* The context key of p into buf ("read_pct"); returns buf. */
const char *mmb_param_key(const struct mmb_param *p, char *buf, size_t n);
/* Check v against p's range (and an ENUM's names). Returns 0, or
 * MMB_EINVAL with a one-line reason recorded (mmb_errmsg) that calls the
 * parameter `as`, or when as is NULL its key in words: "theta 0 must be
 * > 0", "read pct 101 is outside 0..100" (never a command-line flag: the
 * CLI passes its own, "--theta"). */
int mmb_param_check(const struct mmb_param *p, union mmb_value v,
		    const char *as);
/* v as text into buf: sizes with a suffix when whole ("64K", "1G"),
 * numbers as "%g", an ENUM's name; returns buf. */
const char *mmb_param_format(const struct mmb_param *p, union mmb_value v,
			     char *buf, size_t n);
/* v as a results context entry under p's key: SIZE and COUNT as
 * MMB_CTX_UINT, DOUBLE and PERCENT as MMB_CTX_DOUBLE, ENUM (its name) and
 * STRING as MMB_CTX_STRING, FLAG as MMB_CTX_BOOL. */
void mmb_param_ctx(const struct mmb_param *p, union mmb_value v,
		   struct mmb_ctx_value *out);
/* The index of name among an ENUM's names; -1 when it is not one. */
int mmb_param_enum_parse(const struct mmb_param *p, const char *name);

/* ---- workloads ----------------------------------------------------------- */

/* Most parameters a workload may declare. */
#define MMB_WL_MAX_PARAMS 8

struct mmb_workload_opts {
	uint64_t file_size;  /* bytes; ops stay inside [0, file_size) */
	uint64_t block_size; /* bytes per op; 0 = the workload's default */
	uint64_t ops;	     /* total over all threads; 0 = default */
	uint64_t seed;
	unsigned threads; /* >= 1 */
	/* The workload's own parameters, in the order of w->params: set
	 * them with mmb_workload_set; mmb_workload_resolve gives the
	 * others their defaults. Bit i of param_set: param[i] was set. */
	union mmb_value param[MMB_WL_MAX_PARAMS];
	unsigned param_set;
	/* Set by mmb_workload_resolve from the workload's input (w->prepare;
	 * 0 for the generators): flags it adds to w->flags (a trace that
	 * writes: MMB_WL_WRITES; replayed at its recorded pace:
	 * MMB_WL_PACED), read through mmb_workload_flags, and what it learnt
	 * for its own generator (a trace's op count, format, ...). */
	unsigned input_flags;
	uint64_t input[8];
};

enum mmb_workload_flags {
	MMB_WL_WRITES = 1u << 0, /* issues writes */
	MMB_WL_PASS = 1u << 1,	 /* default op count = one pass over the file */
	MMB_WL_ONCE = 1u << 2,	 /* each block at most once: ops <= blocks */
	MMB_WL_FIXED_BS = 1u << 3, /* the name states the block size: it may
				      not be changed */
	/* Its ops are read from a file one of its parameters names (a
	 * trace): it does not resolve without one, and each op has its own
	 * length (block_size is the longest). */
	MMB_WL_INPUT = 1u << 4,
	/* Each op is due at a time (struct mmb_gen.at_ns) the timed loop
	 * waits for: an input flag (mmb_workload_opts.input_flags). */
	MMB_WL_PACED = 1u << 5,
};

struct mmb_workload;

/* Where a workload's generator is in its op sequence, so that the ops can
 * be made in bounded chunks (the runner's memory does not grow with the
 * op count). Zeroed: before the first op. Copy with mmb_gen_copy (the
 * scratch is owned), free with mmb_gen_free. */
struct mmb_gen {
	uint64_t next;	   /* index of the next op */
	uint64_t s[4];	   /* the workload's own state (its RNG) */
	uint64_t *scratch; /* scan-once's block order; owned, may be NULL */
	uint64_t nscratch; /* its length */
	/* MMB_WL_PACED: when each op of the last fill is due, in ns after
	 * the sequence's first op (an op due earlier than the one before it
	 * goes at once); owned, nat entries, never copied by mmb_gen_copy
	 * (it is not part of the position). */
	uint64_t *at_ns;
	uint64_t nat;
};

/* dst = a copy of src (dst's old scratch is not freed: pass a zeroed or
 * freed dst; dst gets no at_ns). Returns 0 or MMB_ENOMEM. */
int mmb_gen_copy(struct mmb_gen *dst, const struct mmb_gen *src);
void mmb_gen_free(struct mmb_gen *g); /* and zero it */
/* The next n ops after g into ops (w->generate, checked). */
int mmb_gen_fill(const struct mmb_workload *w,
		 const struct mmb_workload_opts *o, struct mmb_gen *g,
		 struct mmb_op *ops, uint64_t n);

struct mmb_workload {
	const char *name;    /* as typed: "random-4k" */
	const char *help;    /* one line for `mmbench list` */
	uint64_t block_size; /* default block size */
	unsigned flags;	     /* enum mmb_workload_flags */
	/* Its own parameters, ending with an entry whose name is NULL; NULL
	 * when it has none. Their values are o->param[index in this
	 * table]. A name two workloads both declare must have the same
	 * type in both (it is one command-line option). */
	const struct mmb_param *params;
	/* Fill ops[0..n) with the next n ops of the sequence for the
	 * resolved options o, from where g is (g->next == 0: the first op,
	 * seeding g from o->seed), and advance g by n. Deterministic in
	 * o->seed: any chunking of the calls gives the same ops. Returns 0
	 * or MMB_ENOMEM (scratch space). */
	int (*generate)(const struct mmb_workload *w,
			const struct mmb_workload_opts *o, struct mmb_gen *g,
			struct mmb_op *ops, uint64_t n);
	/* Ops in one pass over the file (the default op count of
	 * MMB_WL_PASS, the most of MMB_WL_ONCE) for the resolved o; NULL:
	 * one op per block, file_size / block_size. */
	uint64_t (*pass_ops)(const struct mmb_workload_opts *o);
	/* MMB_WL_INPUT: read and check the input once, after the
	 * parameters are resolved and before anything is timed: fill
	 * o->input, o->input_flags and o->block_size. Returns 0 or MMB_E*
	 * with one line recorded ("trace.csv:3: ...") and *which set to the
	 * parameter it is about. NULL: nothing to read. */
	int (*prepare)(const struct mmb_workload *w,
		       struct mmb_workload_opts *o, const char **which);
	/* Context entries of its own for the results, after its parameters
	 * (a trace's op count), into out[0..max); returns how many. NULL:
	 * none. */
	unsigned (*context)(const struct mmb_workload_opts *o,
			    struct mmb_ctx_value *out, unsigned max);
};

/* w's flags for the resolved o: its own and those its input adds. */
static inline unsigned mmb_workload_flags(const struct mmb_workload *w,
					  const struct mmb_workload_opts *o)
{
	return w->flags | o->input_flags;
}

/* Default op count of the workloads that do not make one pass. */
#define MMB_DEFAULT_OPS 262144u

/* The registry, NULL-terminated, in `mmbench list` order. */
extern const struct mmb_workload *const mmb_workloads[];
/* Find a workload by name; NULL when unknown. */
const struct mmb_workload *mmb_workload_find(const char *name);

/* Index of w's parameter called name in w->params, -1 when it has none. */
int mmb_workload_param(const struct mmb_workload *w, const char *name);
/* Set w's parameter name in o (checked when o is resolved). Returns 0, or
 * MMB_EINVAL when w has no such parameter. */
int mmb_workload_set(const struct mmb_workload *w, struct mmb_workload_opts *o,
		     const char *name, union mmb_value v);

/* Fill in the defaults of o for w (block size, op count, the parameters
 * not set) and validate: block size within the file, every parameter
 * within its range, threads >= 1, ops >= threads, ops <= one pass for
 * MMB_WL_ONCE. Returns 0 or MMB_EINVAL with a one-line reason recorded
 * (mmb_errmsg) that names the parameter in words ("block size 2 MiB is
 * larger than the 1 MiB file"), and *which (when which is not NULL) set
 * to the parameter's context key: "file_size", "block_size", "ops",
 * "threads", or the key of one of w->params ("theta"). Callers map it to
 * their own spelling (mmbench run: --bs). */
int mmb_workload_resolve_which(const struct mmb_workload *w,
			       struct mmb_workload_opts *o, const char **which);
static inline int mmb_workload_resolve(const struct mmb_workload *w,
				       struct mmb_workload_opts *o)
{
	return mmb_workload_resolve_which(w, o, NULL);
}

/* Generate all o->ops ops of a resolved o into a new array (*out, free()
 * it). Returns 0 or MMB_ENOMEM. */
int mmb_workload_generate(const struct mmb_workload *w,
			  const struct mmb_workload_opts *o,
			  struct mmb_op **out);

/* Thread t of `threads` runs ops [*begin, *end) of n: contiguous slices
 * that differ in length by at most one and cover all n. */
static inline void mmb_thread_slice(uint64_t n, unsigned threads, unsigned t,
				    uint64_t *begin, uint64_t *end)
{
	*begin = n * t / threads;
	*end = n * (t + 1) / threads;
}

/* In a workload that writes (MMB_WL_WRITES), with o->threads > 1: move
 * thread t's ops ops[0..n) (of its slice) into its own part of the file,
 * the t-th of o->threads equal runs of whole blocks, so that no thread
 * touches bytes another writes (the runner does it to every chunk it
 * makes; docs/results.md "Threads"). Read workloads: nothing changes. */
void mmb_thread_region(const struct mmb_workload *w,
		       const struct mmb_workload_opts *o, unsigned t,
		       struct mmb_op *ops, uint64_t n);

/* Distinct pages (of page_size bytes) that ops[0..n) touch; 0 when the
 * bitmap cannot be allocated. */
uint64_t mmb_ops_pages_touched(const struct mmb_op *ops, uint64_t n,
			       uint64_t file_size, uint64_t page_size);

/* ---- the test file ------------------------------------------------------
 *
 * Filled with a deterministic, nowhere-zero pattern: in every 4 KiB page,
 * the first 8 bytes are a word unique to the page number, the rest a fixed
 * byte pattern. Writes store this same pattern, so the content never
 * changes and reads after writes give the same checksums. */

/* The pattern bytes of [off, off+len) into buf. */
void mmb_pattern_fill(void *buf, uint64_t off, size_t len);
/* The 8-byte word at the start of the 4 KiB page holding off. */
uint64_t mmb_pattern_page_word(uint64_t off);

/* Default test file path for size: $MMBENCH_DATA_DIR or
 * /var/tmp/mmbench-<uid>, then "mmbench-<size>.dat" (size as 1G, 16M, 4K
 * or bytes). Returns 0 or MMB_ENAMETOOLONG. */
int mmb_testfile_path(char *buf, size_t n, uint64_t size);
/* Make sure path is a test file of exactly size bytes holding the pattern,
 * and say which file that is:
 * - its directory is created if needed (0700) and refused (MMB_EPERM)
 *   when it, or one above it, is owned by another user or writable by
 *   others without the sticky bit, or is another user's symlink;
 * - temp files "<name>.<pid>.XXXXXX" left by a killed run are removed;
 * - an existing file is reused when it is a regular file of this user or
 *   root, of the size, with no holes, holding the pattern: sampled (pages
 *   in proportion to the size) while its stamp says it is unmodified
 *   since it was last checked, compared in full otherwise. A symlink or
 *   a non-regular file there is refused (MMB_EPERM), never followed;
 * - otherwise it is (re)created through an exclusive temp file and a
 *   rename, after checking the file system has size bytes free
 *   (MMB_ENOSPC, with both numbers). stop (NULL = never) is polled
 *   between 1 MiB writes: when it returns non-zero the temp file is
 *   removed and MMB_EINTR returned.
 * *created tells which; *id (may be NULL) gets the file's identity, for
 * mmb_backend_opts.file_id. Returns 0 or MMB_E* with the call (and the
 * directory) recorded. */
int mmb_testfile_prepare(const char *path, uint64_t size, int (*stop)(void),
			 bool *created, struct mmb_file_id *id);

/* ---- the runner ---------------------------------------------------------- */

struct mmb_pressure;

enum mmb_cache {
	MMB_CACHE_WARM, /* read the whole file before each repetition */
	MMB_CACHE_COLD, /* drop the file from the page cache and verify */
};

/* Default latency sampling (lat_every 0): each backend times one op in N,
 * N chosen from its warm-up repetition so that a timed op comes about
 * every MMB_LAT_SPACING_NS of a thread's loop. A timed op costs its
 * loop ~0.3-1.4 us on the reference VM (its fences end the overlap of
 * neighbouring ops), which one op in 128 made 2-2.3 % of mmap's and
 * mmap-populate's 4 KiB ops/s (README.md, mmb_overhead --sampling);
 * spaced by 200 us it is under 1 % for any op. Without a warm-up there
 * is nothing to choose from: one op in MMB_LAT_EVERY_NOWARMUP. */
#define MMB_LAT_SPACING_NS     200000u
#define MMB_LAT_EVERY_NOWARMUP 512u

struct mmb_run_opts {
	const struct mmb_workload *workload;
	struct mmb_workload_opts wl; /* resolved (mmb_workload_resolve) */
	const char *path;	     /* the file, at least wl.file_size */
	const struct mmb_backend *const *backends;
	unsigned nbackends;
	/* advice, window_size, sync, hugetlb_dir; the runner sets
	 * block_size, writable and threads from the workload. */
	struct mmb_backend_opts bopts;
	double duration_s; /* > 0: loop over the ops until this much time
			      has passed, instead of running them once */
	enum mmb_cache cache;
	unsigned reps; /* measured repetitions, >= 1 */
	bool warmup;   /* one discarded run before the measured ones */
	const char *command_line; /* recorded in the result; may be NULL */
	/* Called before every run of a backend (rep -1 = warm-up, rep ==
	 * reps: the evidence repetition, mmbench/kevents.h); may be NULL. */
	void (*progress)(void *ctx, const char *backend, int rep,
			 unsigned reps);
	void *progress_ctx;
	/* Memory cgroup and time series (mmbench/pressure.h); NULL: neither. */
	const struct mmb_pressure *pressure;
	/* Non-zero once a stop is asked for (the CLI's Ctrl-C flag): the
	 * workers stop within 1024 ops, the repetition under way is kept
	 * (marked interrupted), nothing more runs and the result is
	 * partial. NULL: never. */
	const volatile sig_atomic_t *stop;
	/* Latency sampling (docs/results.md "latency_sampling"): one op in
	 * lat_every, at a random place in each run of that many, is timed
	 * for the histogram; nothing else in the loop reads a clock. 0:
	 * per backend from its warm-up (MMB_LAT_SPACING_NS). no_latency: no
	 * op is timed (no percentiles). */
	uint64_t lat_every;
	bool no_latency;
	/* The ops' buffers start this many bytes past a page boundary (0:
	 * page-aligned). Where the copy's destination sits against the
	 * source's 4 KiB offset decides its speed (4 KiB aliasing:
	 * README.md). A backend with MMB_CAP_DIRECT fails (MMB_EALIGN) when
	 * it is not a multiple of the page size. */
	uint64_t buf_offset;
	/* Resolved options recorded in the result's context as given (the
	 * CLI's run options, from its table); the runner adds w's own
	 * parameters. May be NULL. */
	const struct mmb_ctx_value *context;
	unsigned ncontext;
};

/* Run every backend of o on the same ops and return the measurements in
 * *out (free with mmb_run_result_free). A backend that cannot run here or
 * fails has its status and message set; the others still run. Returns 0,
 * or a negative MMB_E* (with the call recorded) when nothing could be
 * measured: ops cannot be generated, the file cannot be opened. Not
 * reentrant across threads (uses process-wide fault counters). */
int mmb_run(const struct mmb_run_opts *o, struct mmb_run_result **out);

/* Fill env from this machine and the file at path (file system type). */
void mmb_env_capture(struct mmb_env *env, const char *path);

#ifdef __cplusplus
}
#endif
#endif
