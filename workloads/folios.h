/* SPDX-License-Identifier: MIT */
/* workloads/folios.h - which page-cache folio sizes back a mapping; not
 * public.
 *
 * "Pages per fault" is explained by the folios the page cache holds: a
 * fault maps the whole folio (and fault-around its neighbours), so the
 * size of those folios is the evidence. Linux, as root: the mapping's
 * present pages from /proc/self/pagemap (their PFNs need CAP_SYS_ADMIN),
 * each PFN's flags from /proc/kpageflags (compound head and tail pages
 * make up a large folio). Elsewhere "unknown" with the reason. */
#ifndef MMB_WORKLOADS_FOLIOS_H
#define MMB_WORKLOADS_FOLIOS_H

#include <stddef.h>
#include <stdint.h>

#include "mmbench/result.h"

/* pages[k] = the mapped pages of [addr, addr+len) that sit in a folio of
 * order k (2^k pages; orders above the last share it). 0, or a negative
 * MMB_E* with a one-line reason in why ("needs root: /proc/self/pagemap
 * hides PFNs"). */
int mmb__folio_orders(const void *addr, size_t len,
		      uint64_t pages[MMB_FOLIO_ORDERS], char *why, size_t n);

#endif
