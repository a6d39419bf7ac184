/* backends/win/registry.c - the Windows table of backends, in `mmbench
 * list` order, and the names of the write-sync policies (the same names as
 * backends/registry.c, which is built on Linux instead of this file). */
#include <string.h>

#include "win.h"

const struct mmb_backend *const mmb_backends[] = {
    &mmb_backend_readfile,
    &mmb_backend_winview,
    NULL,
};

const struct mmb_backend *mmb_backend_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; mmb_backends[i]; i++)
		if (strcmp(mmb_backends[i]->name, name) == 0)
			return mmb_backends[i];
	return NULL;
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
