/* atomic.c - whole-file writes that never leave a half-written file: a
 * temp file in the destination's directory (same file system, so the
 * rename is atomic), flushed to disk, renamed over the destination; any
 * failure removes the temp file. The platform calls are in atomic_os.h. */
#include <errno.h>
#include <stdio.h>

#include "atomic_os.h"
#include "mmb/error.h"
#include "mmb/result.h"

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
