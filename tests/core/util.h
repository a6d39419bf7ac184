/* SPDX-License-Identifier: MIT */
/* util.h - temp files for the core tests (small, in a private temp dir). */
#ifndef MMB_TESTS_CORE_UTIL_H
#define MMB_TESTS_CORE_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* A fresh private directory, removed with everything in it by
 * tdir_remove(). Returns NULL (message printed) on failure. */
const char *tdir_make(void);
void tdir_remove(void);
/* "<tdir>/<name>" in a static buffer of the given slot (0..3). */
const char *tpath(int slot, const char *name);
/* Write size bytes of pattern(seed) to path (created, or overwritten and
 * then cut or grown to size); 0 or -1. */
int tfile_write(const char *path, size_t size, unsigned seed);
/* Byte i of pattern(seed). */
unsigned char tpattern(size_t i, unsigned seed);
/* Read the file's bytes [off, off+len) with read(); bytes read or -1. */
long tfile_read(const char *path, uint64_t off, void *buf, size_t len);
long long tfile_size(const char *path);
/* Sleep for ms milliseconds. */
void tsleep_ms(unsigned ms);

#endif
