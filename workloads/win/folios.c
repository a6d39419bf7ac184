/* SPDX-License-Identifier: MIT */
/* win/folios.c - folio orders (folios.h): Windows has no pagemap. */
#include <stdio.h>
#include <string.h>

#include "../folios.h"
#include "mmb/error.h"

int mmb__folio_orders(const void *addr, size_t len,
		      uint64_t pages[MMB_FOLIO_ORDERS], char *why, size_t n)
{
	(void)addr;
	(void)len;
	memset(pages, 0, MMB_FOLIO_ORDERS * sizeof(*pages));
	snprintf(why, n, "no /proc/self/pagemap on Windows");
	return MMB_ENOSYS;
}
