/* SPDX-License-Identifier: MIT */
/* fixture.h - the kevents suites' test file: a fresh directory under
 * /var/tmp (disk-backed: cold runs need one) with one test file. */
#ifndef MMB_TEST_KEVENTS_FIXTURE_H
#define MMB_TEST_KEVENTS_FIXTURE_H

#include <stdint.h>

#define MiB (1024ull * 1024)

extern char kev_dir[64], kev_path[128];

/* Make kev_dir and a pattern test file of size bytes at kev_path. 0 or
 * -1. */
int kev_setup(uint64_t size);
/* Remove kev_dir and everything in it (nothing when not set up). */
void kev_cleanup(void);

#endif
