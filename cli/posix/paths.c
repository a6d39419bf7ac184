/* SPDX-License-Identifier: MIT */
/* posix/paths.c - what a path names, for the checks of output paths
 * (commands.h): the file's device and inode when it exists, and its
 * resolved absolute path (realpath of the parent + the last component
 * when it does not exist yet). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"

void mmb_cli_path_id(const char *path, struct mmb_cli_path_id *id)
{
	char parent[PATH_MAX], real[PATH_MAX], name[NAME_MAX + 1];
	struct stat st;
	size_t n = strlen(path);
	const char *slash;

	memset(id, 0, sizeof(*id));
	if (stat(path, &st) == 0) {
		id->exists = true;
		id->dev = (uint64_t)st.st_dev;
		id->ino = (uint64_t)st.st_ino;
		if (realpath(path, real))
			snprintf(id->full, sizeof(id->full), "%s", real);
		else
			snprintf(id->full, sizeof(id->full), "%s", path);
		return;
	}
	/* Not there yet: where it will be. "d/x/" is "d/x". */
	while (n > 1 && path[n - 1] == '/')
		n--;
	snprintf(parent, sizeof(parent), "%.*s", (int)n, path);
	slash = strrchr(parent, '/');
	if (snprintf(name, sizeof(name), "%s", slash ? slash + 1 : parent) >=
	    (int)sizeof(name))
		name[0] = 0; /* too long to be created anyway */
	if (!slash)
		snprintf(parent, sizeof(parent), ".");
	else if (slash == parent)
		parent[1] = 0; /* "/x" */
	else
		parent[slash - parent] = 0;
	if (!realpath(parent, real) ||
	    snprintf(id->full, sizeof(id->full), "%s%s%s", real,
		     strcmp(real, "/") == 0 ? "" : "/",
		     name) >= (int)sizeof(id->full))
		snprintf(id->full, sizeof(id->full), "%.*s", (int)n, path);
}
