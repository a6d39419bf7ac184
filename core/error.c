/* SPDX-License-Identifier: MIT */
/* error.c - MMB_E* messages and the per-thread last-error context. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mmb/error.h"

static _Thread_local struct mmb_errctx last;

#define MMB__ROW(name, value, msg) \
	case MMB_##name:           \
		return msg;
const char *mmb_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
		MMB_OS_ERRORS(MMB__ROW)
		MMB_CUSTOM_ERRORS(MMB__ROW)
	}
	/* An errno outside our list: let the C library name it. */
	if (err < 0 && -err < MMB__ECUSTOM)
		return strerror(-err);
	return "unknown error";
}
#undef MMB__ROW

#define MMB__ROW(name, value, msg) \
	case MMB_##name:           \
		return "MMB_" #name;
const char *mmb_errname(int err)
{
	switch (err) {
	case 0:
		return "MMB_OK";
		MMB_OS_ERRORS(MMB__ROW)
		MMB_CUSTOM_ERRORS(MMB__ROW)
	}
	return "MMB_E?";
}
#undef MMB__ROW

const struct mmb_errctx *mmb_last_error(void)
{
	return &last;
}

int mmb_seterr(int code, long os_error, const char *fmt, ...)
{
	va_list ap;

	last.code = code;
	last.os_error = os_error;
	va_start(ap, fmt);
	vsnprintf(last.call, sizeof(last.call), fmt, ap);
	va_end(ap);
	return code;
}

void mmb_clearerr(void)
{
	memset(&last, 0, sizeof(last));
}

const char *mmb_errmsg(char *buf, unsigned long n)
{
	if (last.call[0])
		snprintf(buf, n, "%s: %s", last.call, mmb_strerror(last.code));
	else
		snprintf(buf, n, "%s", mmb_strerror(last.code));
	return buf;
}
