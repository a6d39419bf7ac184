/* SPDX-License-Identifier: MIT */
/* backends/why.c - the `why` messages of backends/internal.h, shared by
 * every platform. */
#include <stdarg.h>
#include <stdio.h>

#include "internal.h"

int mmb__why(int code, char *why, size_t whylen, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (why && whylen)
		snprintf(why, whylen, "%s", msg);
	/* Keep mmb_errmsg() in step with `why` for callers that use it. */
	mmb_seterr(code, 0, "%s", msg);
	return code;
}

int mmb__why_err(int code, const char *backend, char *why, size_t whylen)
{
	char msg[256];

	mmb_errmsg(msg, sizeof(msg));
	if (why && whylen)
		snprintf(why, whylen, "%s: %s", backend, msg);
	return code;
}
