/* SPDX-License-Identifier: MIT */
/* win/paths.c - what a path names (commands.h), on Windows: the volume
 * serial number and file index when the file exists, and its full path
 * (GetFullPathName, lower-cased: NTFS compares names without case). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <windows.h>

#include "commands.h"

void mmb_cli_path_id(const char *path, struct mmb_cli_path_id *id)
{
	BY_HANDLE_FILE_INFORMATION fi;
	HANDLE h;
	DWORD n;

	memset(id, 0, sizeof(*id));
	n = GetFullPathNameA(path, (DWORD)sizeof(id->full), id->full, NULL);
	if (n == 0 || n >= sizeof(id->full))
		snprintf(id->full, sizeof(id->full), "%s", path);
	for (char *p = id->full; *p; p++)
		*p = *p == '/' ? '\\' : (char)tolower((unsigned char)*p);
	h = CreateFileA(path, 0,
			FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
			NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
	if (h == INVALID_HANDLE_VALUE)
		return;
	if (GetFileInformationByHandle(h, &fi)) {
		id->exists = true;
		id->dev = fi.dwVolumeSerialNumber;
		id->ino =
		    ((uint64_t)fi.nFileIndexHigh << 32) | fi.nFileIndexLow;
	}
	CloseHandle(h);
}
