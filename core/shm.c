/* SPDX-License-Identifier: MIT */
/* shm.c - shared memory as an mmb_map (named objects through the OS layer,
 * files through the ordinary mapping path), and advisory file locks. */
#include <stdlib.h>

#include "internal.h"

#define ULL(x) ((unsigned long long)(x))

static int check(const char *name, const struct mmb_shm_opts *o)
{
	if (!name)
		return mmb_seterr(MMB_EINVAL, 0, "mmb_shm_map(NULL)");
	if (o->flags &
	    ~(unsigned)(MMB_SHM_CREATE | MMB_SHM_READONLY | MMB_SHM_FILE))
		return mmb_seterr(MMB_EINVAL, 0, "shm(%s, flags=%#x): unknown",
				  name, o->flags);
	if (o->flags & MMB_SHM_CREATE && o->size == 0)
		return mmb_seterr(MMB_EINVAL, 0, "shm_create(%s, size=0)",
				  name);
	if (o->flags & MMB_SHM_CREATE && o->flags & MMB_SHM_READONLY)
		return mmb_seterr(MMB_EINVAL, 0,
				  "shm_create(%s): read-only creation makes "
				  "no sense",
				  name);
	if (o->size > SIZE_MAX)
		return mmb_seterr(MMB_EOVERFLOW, 0, "shm(%s, size=%llu)", name,
				  ULL(o->size));
	return 0;
}

/* A file as shared memory: an ordinary shared mapping of all of it. */
static int file_map(struct mmb_map **out, const char *path,
		    const struct mmb_shm_opts *o, enum mmb_access access)
{
	bool create = o->flags & MMB_SHM_CREATE;
	struct mmb_map *m = NULL;
	int fd, rc;

	rc = mmb__os_open(path, access,
			  create ? MMB__OPEN_CREATE | MMB__OPEN_EXCL : 0,
			  o->mode ? o->mode : 0600, &fd);
	if (rc)
		return rc;
	if (create) {
		rc = mmb__os_truncate(fd, o->size);
		if (rc)
			goto err_close;
	}
	rc = mmb__map_new(&m, fd, access, 0);
	if (rc)
		goto err_close;
	rc = mmb__map_view(m, 0, 0);
	if (rc) {
		free(m);
		goto err_close;
	}
	*out = m;
	return 0;

err_close:
	mmb__os_close(fd);
	return rc;
}

int mmb_shm_map(struct mmb_map **out, const char *name,
		const struct mmb_shm_opts *o)
{
	static const struct mmb_shm_opts defaults = {0};
	enum mmb_access access;
	struct mmb_map *m;
	uint64_t size;
	size_t delta = 0;
	int rc;

	if (!o)
		o = &defaults;
	if (!out)
		return mmb_seterr(MMB_EINVAL, 0, "mmb_shm_map(out=NULL)");
	rc = check(name, o);
	if (rc)
		return rc;
	access =
	    o->flags & MMB_SHM_READONLY ? MMB_ACCESS_READ : MMB_ACCESS_RDWR;
	if (o->flags & MMB_SHM_FILE)
		return file_map(out, name, o, access);
	rc = mmb__map_new(&m, -1, access, 0);
	if (rc)
		return rc;
	size = o->size;
	rc = mmb__os_shm_map(&m->view, name, o->flags & MMB_SHM_CREATE, access,
			     o->mode ? o->mode : 0600, &size, &delta);
	if (rc) {
		free(m);
		return rc;
	}
	m->delta = delta;
	m->size = (size_t)size;
	*out = m;
	return 0;
}

int mmb_shm_create(struct mmb_map **out, const char *name, size_t size)
{
	struct mmb_shm_opts o = {.flags = MMB_SHM_CREATE, .size = size};

	return mmb_shm_map(out, name, &o);
}

int mmb_shm_open(struct mmb_map **out, const char *name)
{
	return mmb_shm_map(out, name, NULL);
}

int mmb_shm_sync(struct mmb_map *m)
{
	return mmb_map_flush(m, 0, 0, false);
}

int mmb_shm_remove(const char *name)
{
	if (!name)
		return mmb_seterr(MMB_EINVAL, 0, "mmb_shm_remove(NULL)");
	return mmb__os_shm_remove(name);
}

int mmb_file_lock(int fd, bool exclusive, bool wait)
{
	return mmb__os_file_lock(fd, exclusive, wait);
}

int mmb_file_unlock(int fd)
{
	return mmb__os_file_unlock(fd);
}
