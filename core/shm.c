/* shm.c - named shared memory as an mmb_map, and advisory file locks. */
#include <stdlib.h>

#include "internal.h"

static int shm_map(struct mmb_map **out, const char *name, bool create,
		   uint64_t size)
{
	struct mmb_map *m;
	int rc;

	if (!out || !name)
		return mmb_seterr(MMB_EINVAL, 0, "mmb_shm(NULL)");
	if (create && size == 0)
		return mmb_seterr(MMB_EINVAL, 0, "shm_create(%s, size=0)",
				  name);
	rc = mmb__map_new(&m, -1, MMB_ACCESS_RDWR, 0);
	if (rc)
		return rc;
	rc = mmb__os_shm_map(&m->view, name, create, &size);
	if (rc) {
		free(m);
		return rc;
	}
	m->size = (size_t)size;
	*out = m;
	return 0;
}

int mmb_shm_create(struct mmb_map **out, const char *name, size_t size)
{
	return shm_map(out, name, true, size);
}

int mmb_shm_open(struct mmb_map **out, const char *name)
{
	return shm_map(out, name, false, 0);
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
