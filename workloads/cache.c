/* SPDX-License-Identifier: MIT */
/* cache.c - warming the page cache with the test file: read it once, the
 * same way on every platform (posix/ and win/ only differ in how
 * residency is measured and whether a cold cache can be made). */
#include <stdlib.h>

#include "internal.h"

int mmb__cache_warm(int fd, uint64_t size)
{
	size_t chunk = 1u << 20;
	char *buf;

	/* NAN (residency unknown) compares false: read it. */
	if (mmb__resident(fd, size) >= 1.0)
		return 0;
	buf = malloc(chunk);
	if (!buf)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "malloc(%zu)", chunk);
	for (uint64_t off = 0; off < size;) {
		long n = mmb__file_pread(fd, buf, chunk, off);
		if (n <= 0) {
			free(buf);
			return n < 0 ? (int)n
				     : mmb_seterr(MMB_EIO, EIO,
						  "read(offset=%llu) to warm "
						  "the cache: end of file",
						  (unsigned long long)off);
		}
		off += (uint64_t)n;
	}
	free(buf);
	return 0;
}
