/* mmbench/workload.h - workload generators, the test file and the timed runner.
 *
 * A workload chooses the ops (offset, length, read or write); a backend
 * performs them. The ops are generated before the timed region, from a
 * fixed seed, into one array that the threads split into contiguous slices,
 * so every backend runs exactly the same ops in the same per-thread order.
 *
 * One file per generator in workloads/, each ending in one const struct
 * mmb_workload; workloads/registry.c lists them.
 */
#ifndef MMB_WORKLOAD_H
#define MMB_WORKLOAD_H

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

struct mmb_workload_opts {
	uint64_t file_size;  /* bytes; ops stay inside [0, file_size) */
	uint64_t block_size; /* bytes per op; 0 = the workload's default */
	uint64_t ops;	     /* total over all threads; 0 = default */
	uint64_t seed;
	unsigned threads; /* >= 1 */
	double read_pct;  /* rw-mix: percent of ops that read, 0..100 */
	double theta;	  /* zipf: skew, > 0 */
	uint64_t stride;  /* strided: bytes between op starts; 0 = default */
};

enum mmb_workload_flags {
	MMB_WL_WRITES = 1u << 0, /* issues writes */
	MMB_WL_PASS = 1u << 1,	 /* default op count = one pass over the file */
	MMB_WL_ONCE = 1u << 2,	 /* each block at most once: ops <= blocks */
	MMB_WL_FIXED_BS = 1u << 3, /* the name states the block size: --bs may
				      not change it */
};

struct mmb_workload {
	const char *name;    /* as typed: "random-4k" */
	const char *help;    /* one line for `mmbench list` */
	uint64_t block_size; /* default block size */
	unsigned flags;	     /* enum mmb_workload_flags */
	/* Fill ops[0..n) for the resolved options o. Deterministic in
	 * o->seed. Returns 0 or MMB_ENOMEM (scratch space). */
	int (*generate)(const struct mmb_workload *w,
			const struct mmb_workload_opts *o, struct mmb_op *ops,
			uint64_t n);
};

/* Defaults of every workload. */
#define MMB_DEFAULT_OPS	     262144u
#define MMB_DEFAULT_READ_PCT 50.0
#define MMB_DEFAULT_THETA    0.99
#define MMB_DEFAULT_STRIDE   65536u

/* The registry, NULL-terminated, in `mmbench list` order. */
extern const struct mmb_workload *const mmb_workloads[];
/* Find a workload by name; NULL when unknown. */
const struct mmb_workload *mmb_workload_find(const char *name);

/* Fill in the defaults of o for w (block size, stride, op count; read_pct
 * and theta must be set by the caller, e.g. to the MMB_DEFAULT_* values)
 * and validate: block size within the file, read_pct in 0..100, theta > 0,
 * threads >= 1, ops >= threads, ops <= blocks for MMB_WL_ONCE. Returns 0 or
 * MMB_EINVAL with a one-line reason recorded (mmb_errmsg). */
int mmb_workload_resolve(const struct mmb_workload *w,
			 struct mmb_workload_opts *o);

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
	/* Called before every run of a backend (rep -1 = warm-up); may be
	 * NULL. */
	void (*progress)(void *ctx, const char *backend, int rep,
			 unsigned reps);
	void *progress_ctx;
	/* Memory cgroup and time series (mmbench/pressure.h); NULL: neither. */
	const struct mmb_pressure *pressure;
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
