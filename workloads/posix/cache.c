/* SPDX-License-Identifier: MIT */
/* posix/cache.c - page-cache state of the test file on Linux (mincore
 * residency, cold) and huge-page use of a backend's mapping
 * (/proc/self/smaps). Warming is portable (workloads/cache.c). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

double mmb__resident(int fd, uint64_t size)
{
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	size_t pages = (size_t)((size + ps - 1) / ps);
	unsigned char *vec;
	void *p;
	uint64_t in = 0;

	if (size == 0)
		return 0;
	/* A fresh mapping that is never touched: mincore then reports the
	 * page cache, not this process' page tables. */
	p = mmap(NULL, (size_t)size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return mmb_seterr(-errno, errno, "mmap(len=%llu) for mincore",
				  (unsigned long long)size);
	vec = malloc(pages);
	if (!vec) {
		munmap(p, (size_t)size);
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "malloc(%zu)", pages);
	}
	if (mincore(p, (size_t)size, vec) < 0) {
		int e = errno;
		free(vec);
		munmap(p, (size_t)size);
		return mmb_seterr(-e, e, "mincore(len=%llu)",
				  (unsigned long long)size);
	}
	for (size_t i = 0; i < pages; i++)
		in += vec[i] & 1;
	free(vec);
	munmap(p, (size_t)size);
	return (double)in / (double)pages;
}

static int drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return mmb_seterr(-errno, errno,
				  "open(/proc/sys/vm/drop_caches)");
	/* 1 = page cache only; dentries and inodes stay. */
	if (write(fd, "1", 1) != 1) {
		int e = errno;
		close(fd);
		return mmb_seterr(-e, e, "write(/proc/sys/vm/drop_caches)");
	}
	close(fd);
	return 0;
}

int mmb__cache_drop(int fd, uint64_t size, double *resident, char *hint,
		    size_t hintlen)
{
	double res;
	int rc;

	/* Dirty pages survive DONTNEED: write them back first. */
	if (fdatasync(fd) < 0)
		return mmb_seterr(-errno, errno, "fdatasync");
	rc = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	if (rc != 0)
		return mmb_seterr(-rc, rc, "posix_fadvise(DONTNEED)");
	res = mmb__resident(fd, size);
	if (res < 0)
		return (int)res;
	if (res >= 0.01 && geteuid() == 0) {
		sync();
		rc = drop_caches();
		if (rc < 0)
			return rc;
		res = mmb__resident(fd, size);
		if (res < 0)
			return (int)res;
	}
	*resident = res;
	if (res >= 0.01 && hint && hintlen)
		snprintf(hint, hintlen, "%s",
			 geteuid() == 0
			     ? " (mapped or locked by the backend?)"
			     : " (not root: drop_caches unavailable)");
	return 0;
}

int mmb__smaps_huge(const void *addr, size_t len, uint64_t *file_pmd_kb,
		    uint64_t *anon_huge_kb)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[512];
	uintptr_t lo = (uintptr_t)addr, hi = lo + len;
	bool in = false;

	*file_pmd_kb = *anon_huge_kb = 0;
	if (!f)
		return mmb_seterr(-errno, errno, "fopen(/proc/self/smaps)");
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s, e, kb;
		char sp;
		/* A VMA header is "start-end perms ..."; field lines are
		 * "Name:   N kB". */
		if (sscanf(line, "%llx-%llx%c", &s, &e, &sp) == 3 &&
		    sp == ' ') {
			in = s < hi && e > lo;
			continue;
		}
		if (!in)
			continue;
		if (sscanf(line, "FilePmdMapped: %llu kB", &kb) == 1)
			*file_pmd_kb += kb;
		else if (sscanf(line, "AnonHugePages: %llu kB", &kb) == 1)
			*anon_huge_kb += kb;
	}
	fclose(f);
	return 0;
}
