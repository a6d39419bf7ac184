/* SPDX-License-Identifier: MIT */
/* workloads/os.h - what the runner and the test file need from the
 * operating system; not public.
 *
 * posix/ implements it for Linux (libpfm4 + perf_event, getrusage,
 * mincore, posix_fadvise, /proc, /sys, cgroups), win/ for Windows
 * (GetProcessMemoryInfo, GetProcessTimes, the registry, GlobalMemoryStatusEx,
 * GetVolumeInformation); CMake compiles one of them. The timed loop, the
 * generators, the metrics and the verdict are shared.
 *
 * Conventions, as in core/os.h:
 * - A function returning int returns 0 or a negative MMB_E* code and has
 *   recorded the failing call with mmb_seterr().
 * - A file is named by an int descriptor (a CRT descriptor on Windows).
 * - No POSIX or Windows types appear here.
 * - What a platform cannot measure is NAN in the metrics (JSON null), never
 *   a made-up number; what it cannot do at all fails with MMB_ENOTSUP and a
 *   message naming the platform.
 */
#ifndef MMB_WORKLOADS_OS_H
#define MMB_WORKLOADS_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- files -------------------------------------------------------------- */

struct mmb_file_id;

/* What fstat says about an open file. */
struct mmb__file_info {
	uint64_t size;
	uint64_t dev, ino; /* 0 where the OS has no inode (Windows) */
	uint64_t mtime_ns; /* last modification of the contents */
	uint64_t nlink;	   /* hard links to it */
	uint64_t uid;	   /* owner (0 on Windows) */
	bool regular;	   /* a regular file */
	bool mine;	   /* owned by this user or by root (Windows: yes) */
};

/* Open path read-only; *size gets its size and *regular whether it is a
 * regular file. MMB_ENOENT when it does not exist. */
int mmb__file_open_ro(const char *path, int *fd, uint64_t *size, bool *regular);
/* Same, but a symlink at the last component fails (ELOOP: never
 * followed), and fi gets the file's identity and owner. */
int mmb__file_open_nofollow(const char *path, int *fd,
			    struct mmb__file_info *fi);
int mmb__file_info(int fd, struct mmb__file_info *fi);
/* 0 when fd (or, with fd < 0, path itself, not following a symlink) is
 * the file of identity id; MMB_EPERM with the reason recorded when it is
 * another file, i.e. path was replaced since id was taken. */
int mmb__file_check_id(const char *path, int fd, const struct mmb_file_id *id);
void mmb__file_close(int fd);
/* Read / write up to len bytes at off (retrying EINTR); the count, or a
 * negative MMB_E* with the call recorded. */
long mmb__file_pread(int fd, void *buf, size_t len, uint64_t off);
long mmb__file_pwrite(int fd, const void *buf, size_t len, uint64_t off);
/* Create a new, empty, uniquely named file "PATH.<pid>.XXXXXX" (tmp gets
 * its name) in path's directory, for writing: exclusively (O_EXCL, so
 * never through a symlink), mode 0600. The pid lets a later run tell a
 * temp file whose creator is gone (mmb__file_sweep_temps). */
int mmb__file_temp(const char *path, char *tmp, size_t n, int *fd);
/* Remove the temp files "NAME.<pid>.XXXXXX" in dir whose creator process
 * is gone (killed before it could clean up), for NAME = base and every
 * "mmbench-*.dat". Only regular files of this user; errors are ignored
 * (a leftover is only wasted space). Returns how many were removed. */
int mmb__file_sweep_temps(const char *dir, const char *base);
/* Make tmp readable by everyone, close fd, and rename tmp to path,
 * replacing it. On failure fd is closed; tmp is left for the caller to
 * remove. */
int mmb__file_publish(int fd, const char *tmp, const char *path);
void mmb__file_remove(const char *path);
/* Create directory dir (mode 0755, or 0700 when private); one that exists
 * already is fine and keeps its mode. */
int mmb__mkdir(const char *dir, bool private_dir);
/* Refuse a data directory others could plant files in: dir and each
 * directory above it (after resolving symlinks) must be owned by this
 * user or root and not writable by group or others unless sticky, and a
 * symlink dir itself must be owned by this user or root. MMB_EPERM (or
 * the OS error) with the reason recorded. Windows: nothing to check
 * (%TEMP% is per-user; ACLs are not inspected). */
int mmb__dir_check(const char *dir);
/* Bytes an unprivileged write may still use on dir's file system. */
int mmb__dir_space(const char *dir, uint64_t *avail);
/* Where the test files go without $MMBENCH_DATA_DIR: /var/tmp/mmbench-<uid>
 * on Linux (one per user, created 0700), %TEMP%\mmbench on Windows. */
const char *mmb__data_dir(void);
/* The test file's stamp (a short string in the user.mmbench xattr):
 * MMB_ENOENT when it has none, MMB_ENOTSUP where files cannot carry one
 * (Windows, file systems without user xattrs). */
int mmb__file_stamp_get(int fd, char *buf, size_t n);
int mmb__file_stamp_set(int fd, const char *stamp);
/* The first hole (unallocated range) in [0, size): *hole = size when none
 * or where the OS cannot tell. */
int mmb__file_first_hole(int fd, uint64_t size, uint64_t *hole);

/* ---- memory ------------------------------------------------------------- */

/* len bytes aligned to align (a power of two, page size at most): the
 * O_DIRECT / FILE_FLAG_NO_BUFFERING buffers. Free with
 * mmb__aligned_free. NULL when out of memory. */
void *mmb__aligned_alloc(size_t align, size_t len);
void mmb__aligned_free(void *p);

/* ---- fault and CPU-time counters ----------------------------------------
 *
 * Linux: perf_event software counters through libpfm4 (perf::PAGE-FAULTS,
 * perf::MINOR-FAULTS, perf::MAJOR-FAULTS), opened with inherit so threads
 * created afterwards count too; getrusage(RUSAGE_SELF) deltas otherwise.
 * Windows: GetProcessMemoryInfo's PageFaultCount (whole process, soft and
 * hard faults together: no minor/major split) and GetProcessTimes. */
struct mmb__counters {
	bool perf;
	int fd[3]; /* perf_event: faults, minor, major; -1 when closed */
	/* The process totals at start: getrusage (Linux),
	 * PageFaultCount in ru_minor and GetProcessTimes (Windows). */
	uint64_t ru_minor, ru_major, ru_user_ns, ru_sys_ns;
};

struct mmb__counts {
	uint64_t faults, minor, major, user_ns, sys_ns;
	/* false: minor and major are not told apart here (Windows); the
	 * runner records them as unavailable (NAN) and faults is the total. */
	bool split;
	/* The process-wide count of the same region, whatever the source
	 * (getrusage; PageFaultCount): an independent cross-check of the
	 * perf_event numbers. */
	uint64_t ru_faults;
};

/* Decide once per process how faults are counted here. Returns
 * "perf_event", "getrusage" or "GetProcessMemoryInfo"; why (may be NULL)
 * gets the reason the preferred source (perf_event) is not used, "" when
 * it is or when there is no other. */
const char *mmb__fault_source(char *why, size_t whylen);
/* Open the counters (disabled) before the worker threads are created:
 * with perf (and perf_event usable here) the perf_event counters, else
 * getrusage alone. A task with perf_event counters pays for them at every
 * context switch (6 % of pread-direct's CPU per op on the reference VM,
 * issue 13), so the runner asks for them only in the repetitions that
 * count the kernel events. */
int mmb__counters_open(struct mmb__counters *c, bool perf);
/* Reset and start / stop and read. */
void mmb__counters_start(struct mmb__counters *c);
void mmb__counters_stop(struct mmb__counters *c, struct mmb__counts *out);
void mmb__counters_close(struct mmb__counters *c);

/* ---- page cache and mappings -------------------------------------------- */

/* Fraction (0..1) of the first size bytes of fd's file in the page cache
 * (Linux: mincore on a fresh, never-touched mapping). NAN where the OS
 * cannot tell (Windows). Negative MMB_E* on error. */
double mmb__resident(int fd, uint64_t size);
/* Drop the file from the page cache (Linux: fdatasync,
 * POSIX_FADV_DONTNEED, and when root and still >= 1% resident,
 * drop_caches). *resident gets the fraction left; when it is >= 1%, hint
 * gets why, e.g. " (not root: drop_caches unavailable)". MMB_ENOTSUP
 * where a file cannot be dropped from the cache (Windows). */
int mmb__cache_drop(int fd, uint64_t size, double *resident, char *hint,
		    size_t hintlen);
/* Huge pages backing [addr, addr+len), kB: FilePmdMapped and
 * AnonHugePages of /proc/self/smaps (Linux). Windows maps files with
 * 4 KiB pages only (large pages are for anonymous memory): both 0. */
int mmb__smaps_huge(const void *addr, size_t len, uint64_t *file_pmd_kb,
		    uint64_t *anon_huge_kb);

#endif
