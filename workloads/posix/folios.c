/* SPDX-License-Identifier: MIT */
/* posix/folios.c - folio orders of a mapping's pages (folios.h): the
 * present pages from /proc/self/pagemap, their folios from
 * /proc/kpageflags. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../folios.h"
#include "mmb/error.h"
#include "mmb/map.h"

#define PM_PRESENT (1ull << 63)
#define PM_PFN	   ((1ull << 55) - 1)
#define KPF_HEAD   (1ull << 15)
#define KPF_TAIL   (1ull << 16)
#define CHUNK	   512u				  /* pagemap entries per read */
#define SPAN	   (1u << (MMB_FOLIO_ORDERS - 1)) /* largest folio looked at */

/* The folio holding pfn: its first PFN and its length in pages. The
 * kernel computes each kpageflags entry on read, so reads start with the
 * page itself and grow from 16 entries: most pages of a warm file are in
 * small folios, and reading SPAN entries both ways for each of them made
 * the histogram of a 256 MiB mapping cost seconds. */
static int folio_of(int kfd, uint64_t pfn, uint64_t *head, uint64_t *len)
{
	uint64_t fl[SPAN], f;
	uint64_t h = pfn, want = 16;
	ssize_t r;

	if (pread(kfd, &f, 8, (off_t)(pfn * 8)) != 8)
		return -1;
	if (!(f & (KPF_HEAD | KPF_TAIL))) {
		*head = pfn;
		*len = 1;
		return 0;
	}
	/* back to the head: the last HEAD page at or before pfn */
	while (!(f & KPF_HEAD)) {
		uint64_t got = pfn - h; /* entries looked at below pfn */
		if (got >= SPAN - 1 || h == 0) {
			*head = pfn; /* larger than SPAN: the last order */
			*len = SPAN;
			return 0;
		}
		uint64_t k = want < SPAN - 1 - got ? want : SPAN - 1 - got;
		k = k < h ? k : h;
		r = pread(kfd, fl, k * 8, (off_t)((h - k) * 8));
		if (r != (ssize_t)(k * 8))
			return -1;
		for (uint64_t t = k; t-- > 0;) {
			h--;
			f = fl[t];
			if (f & KPF_HEAD)
				break;
		}
		want *= 2;
	}
	/* forward over its tail pages */
	uint64_t t = 0;
	for (want = 16; t < SPAN - 1; want *= 2) {
		uint64_t k = want < SPAN - 1 - t ? want : SPAN - 1 - t;
		r = pread(kfd, fl, k * 8, (off_t)((h + 1 + t) * 8));
		if (r < 8)
			break;
		uint64_t m = 0;
		while (m < (uint64_t)r / 8 && (fl[m] & KPF_TAIL) &&
		       !(fl[m] & KPF_HEAD))
			m++;
		t += m;
		if (m < k)
			break;
	}
	*head = h;
	*len = t + 1;
	return 0;
}

static unsigned order_of(uint64_t len)
{
	unsigned k = 0;
	while (k + 1 < MMB_FOLIO_ORDERS && (2ull << k) <= len)
		k++;
	return k;
}

int mmb__folio_orders(const void *addr, size_t len,
		      uint64_t pages[MMB_FOLIO_ORDERS], char *why, size_t n)
{
	uint64_t page = (uint64_t)mmb_page_size(), pm[CHUNK];
	uint64_t first = (uint64_t)(uintptr_t)addr / page;
	uint64_t count = (len + page - 1) / page, cur_head = 0, cur_len = 0;
	uint64_t present = 0, with_pfn = 0;
	int pfd, kfd, rc = 0;

	memset(pages, 0, MMB_FOLIO_ORDERS * sizeof(*pages));
	pfd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (pfd < 0) {
		snprintf(why, n, "/proc/self/pagemap: %s", strerror(errno));
		return -errno;
	}
	kfd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	if (kfd < 0) {
		int e = errno;
		snprintf(why, n, "/proc/kpageflags: %s%s", strerror(e),
			 e == EACCES || e == EPERM ? " (needs root)" : "");
		close(pfd);
		return -e;
	}
	for (uint64_t i = 0; i < count && rc == 0; i += CHUNK) {
		uint64_t k = count - i < CHUNK ? count - i : CHUNK;
		ssize_t r = pread(pfd, pm, k * 8, (off_t)((first + i) * 8));
		if (r != (ssize_t)(k * 8)) {
			snprintf(why, n, "/proc/self/pagemap: short read");
			rc = MMB_EIO;
			break;
		}
		for (uint64_t j = 0; j < k; j++) {
			if (!(pm[j] & PM_PRESENT))
				continue;
			present++;
			uint64_t pfn = pm[j] & PM_PFN;
			if (!pfn)
				continue; /* hidden: not CAP_SYS_ADMIN */
			with_pfn++;
			if (!(pfn >= cur_head && pfn < cur_head + cur_len) &&
			    folio_of(kfd, pfn, &cur_head, &cur_len) < 0) {
				snprintf(why, n, "/proc/kpageflags: %s",
					 strerror(errno));
				rc = MMB_EIO;
				break;
			}
			pages[order_of(cur_len)]++;
		}
	}
	close(kfd);
	close(pfd);
	if (rc == 0 && present && !with_pfn) {
		snprintf(why, n,
			 "needs root: /proc/self/pagemap hides the PFNs");
		rc = MMB_EPERM;
	}
	return rc;
}
