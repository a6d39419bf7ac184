/* backends/names.c - lookups over the platform's backend table
 * (registry.c, or win/registry.c on Windows) and the names of the
 * write-sync policies. */
#include <string.h>

#include "internal.h"

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
