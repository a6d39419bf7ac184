/* SPDX-License-Identifier: MIT */
/* atomic.c - whole-file writes that never leave a half-written file: a
 * temp file in the destination's directory (same file system, so the
 * rename is atomic), flushed to disk, renamed over the destination; any
 * failure removes the temp file. The platform calls are in atomic_os.h.
 * Also the one whole-file read every reader shares, in portable C. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "atomic_os.h"
#include "mmb/error.h"
#include "mmbench/result.h"

int mmb_write_file_atomic(const char *path, const void *data, size_t len)
{
	struct mmb__tmpfile t;
	int rc;

	if (!path || !*path)
		return mmb_seterr(MMB_EINVAL, 0, "empty output path");
	rc = mmb__tmp_create(&t, path);
	if (rc < 0)
		return rc;
	rc = mmb__tmp_write(&t, data, len);
	if (rc < 0)
		goto err_discard;
	return mmb__tmp_commit(&t, path);

err_discard:
	mmb__tmp_discard(&t);
	return rc;
}

int mmb_check_writable(const char *path)
{
	struct mmb__tmpfile t;
	int rc;

	if (!path || !*path)
		return mmb_seterr(MMB_EINVAL, 0, "empty output path");
	if (mmb__path_is_dir(path))
		return mmb_seterr(MMB_EISDIR, EISDIR, "%s", path);
	rc = mmb__tmp_create(&t, path);
	if (rc < 0)
		return rc;
	mmb__tmp_discard(&t);
	return 0;
}

int mmb_read_file(const char *path, char **buf, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *p;
	FILE *f;
	int e;

	if (!path || !*path)
		return mmb_seterr(MMB_EINVAL, 0, "empty input path");
	f = fopen(path, "rb");
	if (!f) {
		e = errno ? errno : EIO;
		return mmb_seterr(-e, e, "open(%s)", path);
	}
	p = malloc(cap);
	if (!p)
		goto err_close;
	errno = 0; /* what ferror() below reports, when the C library sets it */
	for (;;) {
		/* keep one byte for the NUL */
		if (n + 1 >= cap) {
			char *q = realloc(p, cap * 2);
			if (!q)
				goto err_free;
			p = q;
			cap *= 2;
		}
		size_t got = fread(p + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		e = errno ? errno : EIO;
		free(p);
		fclose(f);
		return mmb_seterr(-e, e, "read(%s)", path);
	}
	fclose(f);
	p[n] = '\0';
	*buf = p;
	*len = n;
	return 0;

err_free:
	free(p);
err_close:
	fclose(f);
	return mmb_seterr(MMB_ENOMEM, ENOMEM, "read(%s)", path);
}
