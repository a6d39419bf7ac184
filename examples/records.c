/* SPDX-License-Identifier: MIT */
/* records.c - a file of fixed-size records, edited in place through the
 * direct pointer and appended to through the cursor (the C++ handle's
 * example: direct pointer, clamped thread-safe cursor, the file kept
 * alive by the mapping).
 *
 *   records FILE   prints the records and "total balance: 3150"
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <mmb/map.h>

struct account {
	uint32_t id;
	int32_t balance;
	char name[24];
};

#define NREC 4

static int fail(const char *what)
{
	char e[256];

	fprintf(stderr, "records: %s: %s\n", what, mmb_errmsg(e, sizeof(e)));
	return 1;
}

int main(int argc, char **argv)
{
	static const char *const names[NREC] = {"ada", "brian", "carol",
						"dennis"};
	struct mmb_map_opts o = {.access = MMB_ACCESS_RDWR,
				 .flags = MMB_MAP_CREATE,
				 .size = NREC * sizeof(struct account)};
	struct mmb_map *m;
	struct mmb_cursor *c;
	struct account a, *all;
	long total = 0, n;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	if (mmb_map_open(&m, argv[1], &o))
		return fail("map");
	/* write the records one after the other through the cursor */
	if (mmb_cursor_new(&c, m))
		return fail("cursor");
	for (uint32_t i = 0; i < NREC; i++) {
		memset(&a, 0, sizeof(a));
		a.id = i + 1;
		a.balance = 100 * (int32_t)(i + 1);
		snprintf(a.name, sizeof(a.name), "%s", names[i]);
		if (mmb_cursor_write(c, &a, sizeof(a)) != (long)sizeof(a))
			return fail("cursor write");
	}
	/* the cursor is clamped at the end of the mapping: no more room */
	if (mmb_cursor_write(c, &a, sizeof(a)) != 0)
		return fail("write past the end");
	/* edit in place through the direct pointer: an array of structs */
	all = mmb_map_data(m);
	all[1].balance += 2000;
	all[3].balance += 150;
	/* read back through the cursor from the start */
	mmb_cursor_seek(c, 0, 0);
	while ((n = mmb_cursor_read(c, &a, sizeof(a))) == (long)sizeof(a)) {
		printf("%u %-8s %6d\n", a.id, a.name, a.balance);
		total += a.balance;
	}
	if (n < 0)
		return fail("cursor read");
	mmb_cursor_free(c);
	if (mmb_map_flush(m, 0, 0, false) || mmb_map_close(m))
		return fail("flush/close");
	printf("total balance: %ld\n", total);
	return total == 3150 ? 0 : 1;
}
