/* SPDX-License-Identifier: MIT */
/* backends/names.c - lookups over the platform's backend table
 * (registry.c, or win/registry.c on Windows) and the names of the
 * write-sync policies. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

int mmb_backend_check(const struct mmb_backend *b, char *why, size_t whylen)
{
	const char *name = b && b->name && *b->name ? b->name : "(unnamed)";
	const char *bad = NULL;

	if (!b)
		bad = "NULL table";
	else if (!b->name || !*b->name)
		bad = "no name";
	else if (!b->help || !*b->help)
		bad = "no help line";
	else if (!b->open || !b->close)
		bad = "open and close are required";
	else if (!(b->caps & (MMB_CAP_READ | MMB_CAP_WRITE)))
		bad = "caps have neither MMB_CAP_READ nor MMB_CAP_WRITE";
	else if ((b->caps & MMB_CAP_READ) && !b->read)
		bad = "MMB_CAP_READ without a read hook";
	else if (!(b->caps & MMB_CAP_READ) && b->read)
		bad = "a read hook without MMB_CAP_READ";
	else if ((b->caps & MMB_CAP_WRITE) && !b->write)
		bad = "MMB_CAP_WRITE without a write hook";
	else if (!(b->caps & MMB_CAP_WRITE) && b->write)
		bad = "a write hook without MMB_CAP_WRITE";
	else if ((b->caps & MMB_CAP_MAPPED) && !b->mapping && !b->thread_open)
		bad = "MMB_CAP_MAPPED without a mapping hook";
	else if (!(b->caps & MMB_CAP_MAPPED) && b->mapping)
		bad = "a mapping hook without MMB_CAP_MAPPED";
	else if ((b->caps & MMB_CAP_VIEW) && !b->view)
		bad = "MMB_CAP_VIEW without a view hook";
	else if (!(b->caps & MMB_CAP_VIEW) && b->view)
		bad = "a view hook without MMB_CAP_VIEW";
	else if ((b->caps & MMB_CAP_VIEW) && !(b->caps & MMB_CAP_READ))
		bad = "MMB_CAP_VIEW without MMB_CAP_READ";
	else if (!b->thread_open != !b->thread_close)
		bad = "thread_open and thread_close come in pairs";
	if (!bad)
		return 0;
	return mmb__why(MMB_EINVAL, why, whylen,
			"backend '%s' is inconsistent: %s", name, bad);
}

/* 0 unchecked, 1 every registered backend consistent, -1 not. Written
 * once by whichever thread gets there first; the answer is the same for
 * all, so a race only repeats the check. */
static int registry_state;

static int check_registry(void)
{
	char why[256];
	int st = 1;

	for (size_t i = 0; mmb_backends[i]; i++)
		if (mmb_backend_check(mmb_backends[i], why, sizeof(why)) < 0) {
			fprintf(stderr, "mmbench: %s\n", why);
			st = -1;
		}
	__atomic_store_n(&registry_state, st, __ATOMIC_RELEASE);
	return st;
}

const struct mmb_backend *mmb_backend_find(const char *name)
{
	const struct mmb_backend *b = NULL;
	char why[256];

	if (__atomic_load_n(&registry_state, __ATOMIC_ACQUIRE) == 0)
		check_registry();
	if (!name)
		return NULL;
	for (size_t i = 0; mmb_backends[i] && !b; i++)
		if (mmb_backends[i]->name &&
		    strcmp(mmb_backends[i]->name, name) == 0)
			b = mmb_backends[i];
	/* Refuse a table that lacks a hook its caps promise. */
	if (b && mmb_backend_check(b, why, sizeof(why)) < 0)
		return NULL;
	return b;
}

static const char *const wsync_names[] = {
    [MMB_WSYNC_NONE] = "none",
    [MMB_WSYNC_MSYNC] = "msync",
    [MMB_WSYNC_MSYNC_ASYNC] = "msync-async",
    [MMB_WSYNC_FSYNC] = "fsync",
};

const char *mmb_wsync_name(enum mmb_wsync s)
{
	if ((unsigned)s >= sizeof(wsync_names) / sizeof(wsync_names[0]))
		return NULL;
	return wsync_names[s];
}

int mmb_wsync_parse(const char *name)
{
	if (!name)
		return -1;
	for (size_t i = 0; i < sizeof(wsync_names) / sizeof(wsync_names[0]);
	     i++)
		if (strcmp(wsync_names[i], name) == 0)
			return (int)i;
	return -1;
}

static const char *const access_names[] = {
    [MMB_AM_COPY] = "copy",
    [MMB_AM_INPLACE] = "inplace",
    [MMB_AM_TOUCH] = "touch",
};

const char *mmb_access_mode_name(enum mmb_access_mode a)
{
	if ((unsigned)a >= sizeof(access_names) / sizeof(access_names[0]))
		return NULL;
	return access_names[a];
}

int mmb_access_mode_parse(const char *name)
{
	if (!name)
		return -1;
	for (size_t i = 0; i < sizeof(access_names) / sizeof(access_names[0]);
	     i++)
		if (strcmp(access_names[i], name) == 0)
			return (int)i;
	return -1;
}
