/* SPDX-License-Identifier: MIT */
/* safety.h - what the safety suite's files share: a scratch directory
 * that is also the data directory, and mmbench run in it. */
#ifndef MMB_TESTS_SAFETY_H
#define MMB_TESTS_SAFETY_H

#include <stdbool.h>

extern char sf_dir[256];

/* A fresh scratch directory, MMBENCH_DATA_DIR set to it; 0 or -1. */
int sf_setup(void);
void sf_cleanup(void);
/* sf_dir/name in one of th_path's rotating buffers. */
char *sf_in(const char *name);
/* The mmbench to test: $MMBENCH_TEST_EXE (e.g. another build's, to check
 * that a test fails there), else this build's. */
const char *sf_exe(void);
/* mmbench with the NULL-terminated args, stdout/stderr into sf_dir/out and
 * sf_dir/err; the exit status. */
int sf_run(const char *arg, ...);
/* The first line of sf_dir/err, for messages. */
const char *sf_err(void);
/* A Google Benchmark results file of 100,000 benchmarks (8 MB) at path,
 * every time t + i % 7 ns; 0 or -1 (test_names.c). */
int sf_write_many(const char *path, double t);

#endif
