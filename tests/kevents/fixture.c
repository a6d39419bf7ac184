/* SPDX-License-Identifier: MIT */
/* fixture.c - see fixture.h. */
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "fixture.h"
#include "mmbench/workload.h"

char kev_dir[64], kev_path[128];

static int rm_one(const char *p, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

void kev_cleanup(void)
{
	if (kev_dir[0])
		nftw(kev_dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	kev_dir[0] = 0;
}

int kev_setup(uint64_t size)
{
	bool created;

	snprintf(kev_dir, sizeof(kev_dir), "/var/tmp/mmb-kev-XXXXXX");
	if (!mkdtemp(kev_dir))
		return -1;
	snprintf(kev_path, sizeof(kev_path), "%s/data", kev_dir);
	return mmb_testfile_prepare(kev_path, size, NULL, &created, NULL) < 0
		   ? -1
		   : 0;
}
