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

/* The folio holding pfn: its first PFN and its length in pages. */
static int folio_of(int kfd, uint64_t pfn, uint64_t *head, uint64_t *len)
{
	uint64_t fl[SPAN];
	uint64_t lo = pfn >= SPAN - 1 ? pfn - (SPAN - 1) : 0;
	ssize_t r;

	/* back to the head: the last HEAD page at or before pfn */
	r = pread(kfd, fl, (pfn - lo + 1) * 8, (off_t)(lo * 8));
	if (r < 8)
		return -1;
	uint64_t n = (uint64_t)r / 8, h = lo + n - 1;
	if (!(fl[n - 1] & (KPF_HEAD | KPF_TAIL))) {
		*head = pfn;
		*len = 1;
		return 0;
	}
	while (h > lo && !(fl[h - lo] & KPF_HEAD))
		h--;
	if (!(fl[h - lo] & KPF_HEAD)) {
		*head = pfn; /* larger than SPAN: counted in the last order */
		*len = SPAN;
		return 0;
	}
	/* forward over its tail pages */
	r = pread(kfd, fl, SPAN * 8, (off_t)((h + 1) * 8));
	uint64_t t = 0;
	while (r >= 8 && t < (uint64_t)r / 8 && (fl[t] & KPF_TAIL) &&
	       !(fl[t] & KPF_HEAD))
		t++;
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
