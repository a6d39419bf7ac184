/* SPDX-License-Identifier: MIT */
/* test_window.c - sliding windows, shared memory, file locks, error text
 * (public API only; portable). */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "mmb/map.h"
#include "test.h"
#include "util.h"

/* Window = 4 granules so the test means the same on POSIX (4 KiB) and
 * Windows (64 KiB). */
TEST_IMPL(window_remap_counts)
{
	const char *p = tpath(0, "win.dat");
	uint64_t ws = 4 * mmb_alloc_granularity();
	struct mmb_window *w;
	unsigned char b[64];

	ASSERT_OK(tfile_write(p, (size_t)(10 * ws + 100), 11));
	/* a size that is not a granule multiple is rounded up */
	ASSERT_OK(mmb_window_open(&w, p, MMB_ACCESS_READ, ws - 1, 0));
	ASSERT_EQ(mmb_window_size(w), ws);
	ASSERT_EQ(mmb_window_file_size(w), 10 * ws + 100);
	ASSERT(mmb_window_map(w) == NULL);
	ASSERT_EQ(mmb_window_remaps(w), 0);

	ASSERT_EQ(mmb_window_pread(w, b, 10, 0), 10); /* map window 0 */
	ASSERT_EQ(mmb_window_remaps(w), 1);
	ASSERT_EQ(mmb_window_pread(w, b, 10, ws - 10), 10); /* same */
	ASSERT_EQ(mmb_window_remaps(w), 1);
	ASSERT_EQ(mmb_window_pread(w, b, 10, 3 * ws + 5), 10); /* -> 3 */
	ASSERT_EQ(mmb_window_remaps(w), 2);
	/* spanning 1|2 from window 3: maps 1, then 2 */
	ASSERT_EQ(mmb_window_pread(w, b, 64, 2 * ws - 32), 64);
	ASSERT_EQ(mmb_window_remaps(w), 4);
	for (int i = 0; i < 64; i++)
		ASSERT_EQ(b[i], tpattern((size_t)(2 * ws - 32 + i), 11));
	ASSERT_EQ(mmb_map_offset(mmb_window_map(w)), 2 * ws);
	ASSERT_EQ(mmb_window_pread(w, b, 10, 2 * ws + 1), 10); /* same */
	ASSERT_EQ(mmb_window_remaps(w), 4);
	/* the short last window: truncated at end of file */
	ASSERT_EQ(mmb_window_pread(w, b, 64, 10 * ws + 90), 10);
	ASSERT_EQ(mmb_window_remaps(w), 5);
	ASSERT_EQ(mmb_map_size(mmb_window_map(w)), 100);
	ASSERT_EQ(mmb_window_pread(w, b, 64, 10 * ws + 100), 0);
	ASSERT_EQ(mmb_window_pread(w, b, 64, 20 * ws), 0);
	ASSERT_EQ(mmb_window_remaps(w), 5);

	/* sequential read of everything: one map per window entered */
	ASSERT_EQ(mmb_window_seek(w, 0, 0), 0);
	long n, total = 0;
	unsigned char big[1000];
	while ((n = mmb_window_read(w, big, sizeof(big))) > 0) {
		for (long i = 0; i < n; i++)
			ASSERT_EQ(big[i], tpattern((size_t)(total + i), 11));
		total += n;
	}
	ASSERT_EQ(n, 0);
	ASSERT_EQ(total, 10 * ws + 100);
	ASSERT_EQ(mmb_window_remaps(w), 5 + 11);
	ASSERT_OK(mmb_window_close(w));
	return 0;
}

/* Random reads and writes across boundaries equal the file's bytes. */
TEST_IMPL(window_bytes_across_boundaries)
{
	const char *p = tpath(0, "winrw.dat");
	uint64_t ws = mmb_alloc_granularity();
	uint64_t size = 37 * ws + 321;
	struct mmb_window *w;
	unsigned char *buf = malloc(3 * ws), *back = malloc(3 * ws);
	unsigned seed = 12345;

	ASSERT(buf && back);
	ASSERT_OK(tfile_write(p, (size_t)size, 21));
	ASSERT_OK(mmb_window_open(&w, p, MMB_ACCESS_RDWR, ws, 0));
	for (int k = 0; k < 200; k++) {
		seed = seed * 1103515245u + 12345u;
		uint64_t off = seed % size;
		seed = seed * 1103515245u + 12345u;
		size_t len = seed % (3 * ws);
		size_t want = off + len > size ? (size_t)(size - off) : len;

		ASSERT_EQ(mmb_window_pread(w, buf, len, off), want);
		for (size_t i = 0; i < want; i++)
			ASSERT_EQ(buf[i], tpattern((size_t)(off + i), 21));
	}
	/* a write spanning four windows (4..7) reaches the file */
	for (size_t i = 0; i < 2 * ws + 10; i++)
		buf[i] = (unsigned char)(i * 7);
	uint64_t remaps = mmb_window_remaps(w);
	ASSERT_OK(mmb_window_set_sync(w, MMB_SYNC_LAZY, 0));
	ASSERT_EQ(mmb_window_seek(w, 5 * ws - 5, 0), 5 * ws - 5);
	ASSERT_EQ(mmb_window_write(w, buf, 2 * ws + 10), 2 * ws + 10);
	ASSERT_EQ(mmb_window_seek(w, 0, 1), 7 * ws + 5);
	ASSERT(mmb_window_remaps(w) >= remaps + 3);
	/* lazy: windows 4, 5 and 6 were flushed as they were left; 7 is
	 * flushed by the close */
	ASSERT_EQ(mmb_window_flushes(w), 3);
	ASSERT_OK(mmb_window_close(w));
	ASSERT_EQ(tfile_read(p, 5 * ws - 5, back, 2 * ws + 10), 2 * ws + 10);
	ASSERT(memcmp(buf, back, 2 * ws + 10) == 0);
	ASSERT_EQ(tfile_read(p, 5 * ws - 6, back, 1), 1);
	ASSERT_EQ(back[0], tpattern(5 * ws - 6, 21));
	free(buf);
	free(back);
	return 0;
}

TEST_IMPL(window_errors)
{
	const char *p = tpath(0, "winerr.dat"), *e = tpath(1, "wempty.dat");
	struct mmb_window *w;
	char b[4];

	ASSERT_OK(tfile_write(p, 4096, 1));
	ASSERT_OK(tfile_write(e, 0, 1));
	ASSERT_EQ(mmb_window_open(&w, e, MMB_ACCESS_READ, 0, 0), MMB_EBADOFF);
	ASSERT_EQ(mmb_window_open(&w, tpath(2, "nope"), MMB_ACCESS_READ, 0, 0),
		  MMB_ENOENT);
	ASSERT_EQ(mmb_window_open(&w, p, MMB_ACCESS_RDWR, 0, MMB_MAP_CREATE),
		  MMB_EINVAL);
	/* a size that would wrap to 0 when rounded up is refused */
	ASSERT_EQ(mmb_window_open(&w, p, MMB_ACCESS_READ, UINT64_MAX, 0),
		  MMB_EINVAL);
	ASSERT(strstr(mmb_last_error()->call, "window(size=") != NULL);
	ASSERT_OK(mmb_window_open(&w, p, MMB_ACCESS_READ, 0, 0));
	ASSERT_EQ(mmb_window_size(w), 1ull << 30); /* the default */
	ASSERT_EQ(mmb_window_pwrite(w, "x", 1, 0), MMB_EREADONLY);
	ASSERT_EQ(mmb_window_write(w, "x", 1), MMB_EREADONLY);
	ASSERT_EQ(mmb_window_seek(w, 99999, 0), 4096);
	ASSERT_EQ(mmb_window_read(w, b, 4), 0);
	ASSERT_EQ(mmb_window_seek(w, 1, 5), MMB_EINVAL);
	ASSERT_EQ(mmb_window_pread(NULL, b, 1, 0), MMB_EINVAL);
	ASSERT_OK(mmb_window_close(w));
	ASSERT_OK(mmb_window_close(NULL));
	return 0;
}

TEST_IMPL(shm_roundtrip)
{
	char name[64];
	struct mmb_map *a, *b;
	unsigned char buf[32];

	snprintf(name, sizeof(name), "/mmb-test-%ld", (long)getpid());
	mmb_shm_remove(name); /* leftover of a crashed run */
	ASSERT_OK(mmb_shm_create(&a, name, 1 << 16));
	ASSERT_EQ(mmb_map_size(a), 1 << 16);
	ASSERT_EQ(mmb_map_access(a), MMB_ACCESS_RDWR);
	ASSERT_EQ(mmb_shm_create(&b, name, 4096), MMB_EEXIST);
	ASSERT_OK(mmb_map_write(a, 1000, "shared bytes", 12));
	ASSERT_OK(mmb_shm_sync(a));
	ASSERT_OK(mmb_shm_open(&b, name));
	ASSERT_EQ(mmb_map_size(b), 1 << 16);
	ASSERT_OK(mmb_map_read(b, 1000, buf, 12));
	ASSERT(memcmp(buf, "shared bytes", 12) == 0);
	/* stores through one are seen by the other */
	((char *)mmb_map_data(b))[5] = 'Q';
	ASSERT_EQ(((char *)mmb_map_data(a))[5], 'Q');
	ASSERT_EQ(mmb_map_remap(a, 0, 0), MMB_ENOTSUP);
	ASSERT_OK(mmb_shm_remove(name));
	ASSERT_OK(mmb_map_close(a));
	/* the name is gone, the other mapping is not */
	ASSERT_EQ(mmb_shm_open(&a, name), MMB_ENOENT);
	ASSERT_EQ(mmb_shm_remove(name), MMB_ENOENT);
	ASSERT_OK(mmb_map_read(b, 1000, buf, 12));
	ASSERT(memcmp(buf, "shared bytes", 12) == 0);
	ASSERT_OK(mmb_map_close(b));
	return 0;
}

TEST_IMPL(file_lock_busy)
{
	const char *p = tpath(0, "lock.dat");
	int fd1, fd2;
	char e[256];

	ASSERT_OK(tfile_write(p, 10, 0));
	/* flock locks belong to the open file description: two open()s. */
	fd1 = open(p, O_RDWR);
	fd2 = open(p, O_RDWR);
	ASSERT(fd1 >= 0 && fd2 >= 0);
	ASSERT_OK(mmb_file_lock(fd1, true, false));
	ASSERT_EQ(mmb_file_lock(fd2, true, false), MMB_EAGAIN);
	ASSERT(strstr(mmb_errmsg(e, sizeof(e)), "flock("));
	ASSERT_EQ(mmb_file_lock(fd2, false, false), MMB_EAGAIN);
	ASSERT_OK(mmb_file_unlock(fd1));
	ASSERT_OK(mmb_file_lock(fd2, false, true));
	ASSERT_OK(mmb_file_lock(fd1, false, false)); /* shared + shared */
	ASSERT_EQ(mmb_file_lock(fd1, true, false), MMB_EAGAIN);
	ASSERT_OK(mmb_file_unlock(fd2));
	ASSERT_OK(mmb_file_unlock(fd1));
	close(fd1);
	close(fd2);
	ASSERT_EQ(mmb_file_lock(fd1, true, false), MMB_EBADF);
	return 0;
}

TEST_IMPL(error_text)
{
	char e[256];

	ASSERT(strcmp(mmb_strerror(MMB_EBADOFF),
		      "offset or length outside the file") == 0);
	ASSERT(strcmp(mmb_errname(MMB_ESIGBUS), "MMB_ESIGBUS") == 0);
	/* every errno the library can pass through has a name */
	ASSERT(strcmp(mmb_errname(-ENFILE), "MMB_ENFILE") == 0);
	ASSERT(strcmp(mmb_errname(-ENXIO), "MMB_ENXIO") == 0);
	ASSERT(strcmp(mmb_errname(-ESPIPE), "MMB_ESPIPE") == 0);
	ASSERT(strcmp(mmb_errname(-ETXTBSY), "MMB_ETXTBSY") == 0);
	ASSERT_EQ(MMB_ENOENT, -ENOENT);
	mmb_clearerr();
	ASSERT_EQ(
	    mmb_map_open(&(struct mmb_map *){NULL}, tpath(0, "none"), NULL),
	    MMB_ENOENT);
	ASSERT_EQ(mmb_last_error()->code, MMB_ENOENT);
	ASSERT_EQ(mmb_last_error()->os_error, ENOENT);
	mmb_errmsg(e, sizeof(e));
	/* "open(<dir>/none, O_RDONLY): no such file or directory" */
	ASSERT(strncmp(e, "open(", 5) == 0);
	ASSERT(strstr(e, "/none, O_RDONLY): no such file or directory"));
	return 0;
}

/* A copy-on-write window keeps its private writes when it slides away and
 * back (it used to remap and lose them); the file never sees them. */
TEST_IMPL(window_cow_keeps_writes)
{
	const char *p = tpath(0, "wincow.dat");
	uint64_t ws = mmb_alloc_granularity();
	struct mmb_window *w;
	unsigned char b[8];

	ASSERT_OK(tfile_write(p, (size_t)(4 * ws), 13));
	ASSERT_OK(mmb_window_open(&w, p, MMB_ACCESS_COW, ws, 0));
	ASSERT_EQ(mmb_window_pwrite(w, "private!", 8, 0), 8);
	ASSERT_EQ(mmb_window_pwrite(w, "second..", 8, ws + 10), 8);
	ASSERT_EQ(mmb_window_pread(w, b, 8, 3 * ws), 8);
	ASSERT_EQ(b[0], tpattern((size_t)(3 * ws), 13));
	ASSERT_EQ(mmb_window_pread(w, b, 8, 0), 8);
	ASSERT(memcmp(b, "private!", 8) == 0);
	ASSERT_EQ(mmb_window_pread(w, b, 8, ws + 10), 8);
	ASSERT(memcmp(b, "second..", 8) == 0);
	/* a read spanning a written and an unwritten window */
	ASSERT_EQ(mmb_window_pread(w, b, 8, ws - 4), 8);
	ASSERT_EQ(b[0], tpattern((size_t)(ws - 4), 13));
	ASSERT_EQ(b[4], tpattern((size_t)ws, 13));
	/* three windows mapped (0, 1, 3); coming back maps nothing */
	ASSERT_EQ(mmb_window_remaps(w), 3);
	ASSERT_OK(mmb_window_close(w));
	ASSERT_EQ(tfile_read(p, 0, b, 8), 8);
	for (int i = 0; i < 8; i++)
		ASSERT_EQ(b[i], tpattern((size_t)i, 13));
	return 0;
}

/* A window sees the file grow (its size used to be fixed at open). */
TEST_IMPL(window_sees_growth)
{
	const char *p = tpath(0, "wingrow.dat");
	uint64_t ws = mmb_alloc_granularity();
	struct mmb_window *w;
	unsigned char b[16];

	ASSERT_OK(tfile_write(p, 100, 17));
	ASSERT_OK(mmb_window_open(&w, p, MMB_ACCESS_READ, ws, 0));
	ASSERT_EQ(mmb_window_pread(w, b, 16, 90), 10);
	ASSERT_EQ(mmb_window_pread(w, b, 16, 200), 0);
	ASSERT_OK(tfile_write(p, (size_t)(3 * ws), 17));
	/* inside the (formerly short) first window, then a new one */
	ASSERT_EQ(mmb_window_pread(w, b, 16, 200), 16);
	ASSERT_EQ(b[0], tpattern(200, 17));
	ASSERT_EQ(mmb_window_pread(w, b, 16, 2 * ws + 5), 16);
	ASSERT_EQ(b[15], tpattern((size_t)(2 * ws + 20), 17));
	ASSERT_EQ(mmb_window_file_size(w), 3 * ws);
	ASSERT_EQ(mmb_window_seek(w, 0, 2), 3 * ws);
	ASSERT_OK(tfile_write(p, (size_t)(3 * ws + 50), 17));
	ASSERT_EQ(mmb_window_seek(w, 0, 2), 3 * ws + 50);
	ASSERT_EQ(mmb_window_read(w, b, 16), 0);
	ASSERT_EQ(mmb_window_seek(w, -16, 2), 3 * ws + 34);
	ASSERT_EQ(mmb_window_read(w, b, 16), 16);
	ASSERT_EQ(b[15], tpattern((size_t)(3 * ws + 49), 17));
	ASSERT_OK(mmb_window_close(w));
	return 0;
}

/* Shared memory options: exact size (Windows used to report it rounded up
 * to pages), read-only opens, exclusive creation, and the file-backed
 * variant. */
TEST_IMPL(shm_options)
{
	char name[64];
	const char *path = tpath(0, "shm-file.dat");
	struct mmb_shm_opts o = {.flags = MMB_SHM_CREATE, .size = 1000};
	struct mmb_map *a, *b;
	unsigned char buf[16];

	snprintf(name, sizeof(name), "/mmb-opts-%ld", (long)getpid());
	mmb_shm_remove(name);
	ASSERT_OK(mmb_shm_map(&a, name, &o));
	ASSERT_EQ(mmb_map_size(a), 1000);
	ASSERT_EQ(((uintptr_t)mmb_map_data(a)) % mmb_page_size(), 0);
	ASSERT_OK(mmb_map_write(a, 990, "last bytes", 10));
	ASSERT_EQ(mmb_map_write(a, 991, "last bytes", 10), MMB_EBADOFF);
	ASSERT_OK(mmb_shm_open(&b, name));
	ASSERT_EQ(mmb_map_size(b), 1000);
	ASSERT_OK(mmb_map_close(b));
	o.flags = MMB_SHM_READONLY;
	ASSERT_OK(mmb_shm_map(&b, name, &o));
	ASSERT_EQ(mmb_map_size(b), 1000);
	ASSERT_EQ(mmb_map_access(b), MMB_ACCESS_READ);
	ASSERT_OK(mmb_map_read(b, 990, buf, 10));
	ASSERT(memcmp(buf, "last bytes", 10) == 0);
	ASSERT_EQ(mmb_map_write(b, 0, "x", 1), MMB_EREADONLY);
	ASSERT_OK(mmb_map_close(b));
	/* refused options */
	o = (struct mmb_shm_opts){.flags = MMB_SHM_CREATE};
	ASSERT_EQ(mmb_shm_map(&b, name, &o), MMB_EINVAL);
	o = (struct mmb_shm_opts){.flags = MMB_SHM_CREATE | MMB_SHM_READONLY,
				  .size = 10};
	ASSERT_EQ(mmb_shm_map(&b, name, &o), MMB_EINVAL);
	o = (struct mmb_shm_opts){.flags = 1u << 9};
	ASSERT_EQ(mmb_shm_map(&b, name, &o), MMB_EINVAL);
	o = (struct mmb_shm_opts){.flags = MMB_SHM_CREATE, .size = 10};
	ASSERT_EQ(mmb_shm_map(&b, name, &o), MMB_EEXIST);
	/* (removed while mapped: on Windows the name dies with its last
	 * view) */
	ASSERT_OK(mmb_shm_remove(name));
	ASSERT_OK(mmb_map_close(a));

	/* a file as shared memory */
	o = (struct mmb_shm_opts){.flags = MMB_SHM_FILE | MMB_SHM_CREATE,
				  .size = 5000};
	ASSERT_OK(mmb_shm_map(&a, path, &o));
	ASSERT_EQ(mmb_shm_map(&b, path, &o), MMB_EEXIST);
	ASSERT_EQ(tfile_size(path), 5000);
	o.flags = MMB_SHM_FILE;
	ASSERT_OK(mmb_shm_map(&b, path, &o));
	ASSERT_EQ(mmb_map_size(b), 5000);
	ASSERT_OK(mmb_map_write(a, 4000, "via the file", 12));
	ASSERT_OK(mmb_map_read(b, 4000, buf, 12));
	ASSERT(memcmp(buf, "via the file", 12) == 0);
	ASSERT_OK(mmb_shm_sync(a));
	ASSERT_EQ(tfile_read(path, 4000, buf, 12), 12);
	ASSERT(memcmp(buf, "via the file", 12) == 0);
	ASSERT_OK(mmb_map_close(b));
	o.flags = MMB_SHM_FILE | MMB_SHM_READONLY;
	ASSERT_OK(mmb_shm_map(&b, path, &o));
	ASSERT_EQ(mmb_map_write(b, 0, "x", 1), MMB_EREADONLY);
	ASSERT_OK(mmb_map_close(b));
	ASSERT_OK(mmb_map_close(a));
	o.flags = MMB_SHM_FILE;
	ASSERT_EQ(mmb_shm_map(&b, tpath(1, "no-such"), &o), MMB_ENOENT);
	return 0;
}
