/* backends/win/common.c - the `why` helpers of backends/internal.h for the
 * Windows build (backends/common.c is POSIX: open flags, posix_fadvise). */
#include <stdarg.h>
#include <stdio.h>

#include "win.h"

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
