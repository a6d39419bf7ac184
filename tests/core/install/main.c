/* SPDX-License-Identifier: MIT */
/* A program outside mmbench that uses an installed libmmb: create a file
 * through a mapping, write, flush, read it back through a window. */
#include <stdio.h>
#include <string.h>

#include <mmb/map.h>

int main(int argc, char **argv)
{
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR,
				 .flags = MMB_MAP_CREATE,
				 .size = 1 << 16};
	struct mmb_map *m;
	struct mmb_window *w;
	char buf[6] = {0}, e[256];

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	if (mmb_map_open(&m, argv[1], &o) ||
	    mmb_map_write(m, 40000, "hello", 5) ||
	    mmb_map_flush(m, 0, 0, false) || mmb_map_close(m) ||
	    mmb_window_open(&w, argv[1], MMB_ACCESS_READ, 4096, 0) ||
	    mmb_window_pread(w, buf, 5, 40000) != 5 || mmb_window_close(w)) {
		fprintf(stderr, "consumer: %s\n", mmb_errmsg(e, sizeof(e)));
		return 1;
	}
	if (strcmp(buf, "hello") != 0) {
		fprintf(stderr, "consumer: read back '%s'\n", buf);
		return 1;
	}
	printf("consumer ok (page size %zu)\n", mmb_page_size());
	return 0;
}
