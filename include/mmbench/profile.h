/* SPDX-License-Identifier: MIT */
/* mmbench/profile.h - where a backend's time went (mmbench run --profile).
 *
 * The runner (workloads/posix/profile.c) samples the timed region with
 * cpu-clock (perf_event, kernel and user call chains), symbolises each
 * frame (/proc/kallsyms; the ELF symbol tables of the binary and its
 * libraries, or their detached debug files by build id) and attributes
 * every sample to one category through the one table that maps function
 * names to categories (workloads/profile_map.c). The time the threads
 * spent off the CPU (wall time x threads minus the on-CPU samples) is the
 * io_wait category. The writers only read struct mmb_profile.
 */
#ifndef MMB_PROFILE_H
#define MMB_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* X(ENUM, json_key, description) */
#define MMB_PROF_CATEGORIES(X)                                         \
	X(USER_COPY, user_copy,                                        \
	  "user copy / consumer (memcpy from a "                       \
	  "mapping, other user code)")                                 \
	X(HARNESS, harness, "mmbench's own loop and backend calls")    \
	X(SYSCALL, syscall, "syscall entry/exit and VFS dispatch")     \
	X(KERNEL_COPY, kernel_copy, "kernel copy to/from user")        \
	X(PAGE_CACHE, page_cache, "page-cache lookup")                 \
	X(PAGE_FAULT, page_fault, "page-fault handling")               \
	X(READAHEAD_IO, readahead_io, "readahead / I/O submission")    \
	X(IO_WAIT, io_wait, "off the CPU: waiting for I/O, preempted") \
	X(OTHER_KERNEL, other_kernel, "other kernel")

enum mmb_prof_category {
#define MMB__PROF_ENUM(e, key, desc) MMB_PROF_##e,
	MMB_PROF_CATEGORIES(MMB__PROF_ENUM)
#undef MMB__PROF_ENUM
	    MMB_PROF__COUNT
};

static inline const char *mmb_prof_category_key(enum mmb_prof_category c)
{
	static const char *const keys[] = {
#define MMB__PROF_KEY(e, key, desc) #key,
	    MMB_PROF_CATEGORIES(MMB__PROF_KEY)
#undef MMB__PROF_KEY
	};
	return (unsigned)c < MMB_PROF__COUNT ? keys[c] : (const char *)0;
}

#define MMB_PROF_TOP 10

struct mmb_prof_func {
	char name[96];	  /* "_copy_to_iter", "[unknown]" */
	bool kernel;	  /* a kernel function */
	double share;	  /* of the on-CPU samples, as the leaf frame */
	uint64_t samples; /* as the leaf frame */
};

/* A backend's profile, over the repetitions it sampled: the evidence
 * repetition (mmbench/kevents.h), or every measured one (inline). */
struct mmb_profile {
	uint64_t samples; /* on-CPU samples read */
	uint64_t lost;	  /* samples the ring buffers could not hold */
	double period_ns; /* cpu-clock sample period */
	double oncpu_ns;  /* samples x period */
	double offcpu_ns; /* wall x threads - oncpu_ns, >= 0 */
	uint64_t cat_samples[MMB_PROF__COUNT];
	/* Fractions of oncpu_ns + offcpu_ns per category, summing to 1. */
	double frac[MMB_PROF__COUNT];
	/* Fractions of the on-CPU samples (io_wait 0), summing to 1: what
	 * the CPU did, whatever the machine's other load took from us. */
	double frac_oncpu[MMB_PROF__COUNT];
	unsigned ntop;
	struct mmb_prof_func top[MMB_PROF_TOP];
	bool user_only; /* kernel frames could not be had (not root) */
	char note[256]; /* e.g. why kernel frames are missing */
	char *folded;	/* "root;...;leaf COUNT\n" lines; owned */
	size_t folded_len;
	void *acc; /* the runner's accumulator until finished; owned */
};

/* --profile on or off (the default) for the runs that follow in this
 * process. Returns 0, or MMB_ENOTSUP with the reason recorded when this
 * platform cannot profile (Windows). Not thread-safe. */
int mmb_profile_enable(bool on);

/* Write folded stacks (struct mmb_profile's folded) as a flame graph: one
 * self-contained SVG at path, written atomically (reports/flamegraph.c).
 * Returns 0 or a negative MMB_E* with the failing call recorded. */
int mmb_report_flamegraph(const char *folded, const char *title,
			  const char *path);

/* Free a profile and everything it owns; NULL ok. */
void mmb_profile_free(struct mmb_profile *p);

#endif
