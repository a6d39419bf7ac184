/* SPDX-License-Identifier: MIT */
/* workflow.c - the C workflow through libmmb: create a 4 KiB file (mode
 * 0600), map it, close the descriptor, write, flush, read it back.
 *
 *   workflow FILE        prints "read back: hello, mapped file"
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <mmb/map.h>

#ifndef O_BINARY
#define O_BINARY 0
#endif

int main(int argc, char **argv)
{
	static const char msg[] = "hello, mapped file";
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR,
				 .flags = MMB_MAP_CREATE,
				 .size = 4096,
				 .mode = 0600};
	struct mmb_map *m;
	char back[sizeof(msg)] = {0}, e[256];
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	/* open + ftruncate + mmap; the mapping keeps its own descriptor, so
	 * nothing is left to close here */
	if (mmb_map_open(&m, argv[1], &o) ||
	    mmb_map_write(m, 0, msg, sizeof(msg)) ||
	    mmb_map_flush(m, 0, 0, false) || mmb_map_close(m)) {
		fprintf(stderr, "workflow: %s\n", mmb_errmsg(e, sizeof(e)));
		return 1;
	}
	/* read it back the ordinary way */
	fd = open(argv[1], O_RDONLY | O_BINARY);
	if (fd < 0 || read(fd, back, sizeof(back)) != (long)sizeof(back)) {
		perror("workflow: read back");
		return 1;
	}
	close(fd);
	if (strcmp(back, msg) != 0) {
		fprintf(stderr, "workflow: read back '%s'\n", back);
		return 1;
	}
	printf("read back: %s\n", back);
	return 0;
}
