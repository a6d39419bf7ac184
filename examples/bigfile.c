/* SPDX-License-Identifier: MIT */
/* bigfile.c - a binary file larger than the view, processed through a
 * sliding window: write 40 MiB of 64-bit records through a 1 MiB window,
 * then sum them through another; each window is mapped once per pass.
 *
 *   bigfile FILE   prints "sum of 5242880 records: 13743892725760 (as
 *                  expected), 40 windows mapped per pass"
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <mmb/map.h>

#define FILE_SIZE (40ull << 20)
#define WINDOW	  (1ull << 20)
#define BLOCK	  8192 /* records per read/write call: 64 KiB */

static int fail(const char *what)
{
	char e[256];

	fprintf(stderr, "bigfile: %s: %s\n", what, mmb_errmsg(e, sizeof(e)));
	return 1;
}

int main(int argc, char **argv)
{
	static uint64_t block[BLOCK];
	const uint64_t n = FILE_SIZE / 8;
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR,
				 .flags = MMB_MAP_CREATE,
				 .size = FILE_SIZE};
	struct mmb_map *m;
	struct mmb_window *w;
	uint64_t sum = 0, wmaps;
	long got;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	/* make the file its full size (sparse), nothing else */
	if (mmb_map_open(&m, argv[1], &o) || mmb_map_close(m))
		return fail("create");
	/* pass 1: record i holds the value i */
	if (mmb_window_open(&w, argv[1], MMB_ACCESS_RDWR, WINDOW, 0) ||
	    mmb_window_set_sync(w, MMB_SYNC_LAZY, 0))
		return fail("window (write)");
	for (uint64_t i = 0; i < n; i += BLOCK) {
		for (uint64_t k = 0; k < BLOCK; k++)
			block[k] = i + k;
		if (mmb_window_write(w, block, sizeof(block)) !=
		    (long)sizeof(block))
			return fail("window write");
	}
	wmaps = mmb_window_remaps(w);
	if (mmb_window_close(w))
		return fail("window close");
	/* pass 2: sum them */
	if (mmb_window_open(&w, argv[1], MMB_ACCESS_READ, WINDOW, 0))
		return fail("window (read)");
	while ((got = mmb_window_read(w, block, sizeof(block))) > 0)
		for (long k = 0; k < got / 8; k++)
			sum += block[k];
	if (got < 0)
		return fail("window read");
	printf("sum of %" PRIu64 " records: %" PRIu64 " (%s), %" PRIu64
	       " windows mapped per pass\n",
	       n, sum, sum == n * (n - 1) / 2 ? "as expected" : "WRONG",
	       mmb_window_remaps(w));
	if (sum != n * (n - 1) / 2 || mmb_window_remaps(w) != wmaps ||
	    wmaps != FILE_SIZE / WINDOW)
		return 1;
	mmb_window_close(w);
	remove(argv[1]);
	return 0;
}
