/* SPDX-License-Identifier: MIT */
/* util.c - temp files for the core tests. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* The same helpers build with mingw for the Windows core: files are
 * binary there only when asked, and there is no mkdtemp. */
#ifndef O_BINARY
#define O_BINARY 0
#endif
#ifdef _WIN32
#include <windows.h>
void tsleep_ms(unsigned ms)
{
	Sleep(ms);
}
static char *mkdtemp(char *tmpl)
{
	if (!_mktemp(tmpl) || mkdir(tmpl) != 0)
		return NULL;
	return tmpl;
}
#endif

#ifndef _WIN32
#include <time.h>
void tsleep_ms(unsigned ms)
{
	struct timespec ts = {(time_t)(ms / 1000),
			      (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0)
		;
}
#endif

static char dir[256];
static char paths[4][512];

static void cleanup(void)
{
	tdir_remove();
}

const char *tdir_make(void)
{
	const char *base = getenv("TMPDIR");

	if (dir[0])
		return dir;
	snprintf(dir, sizeof(dir), "%s/mmb-core-XXXXXX", base ? base : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		dir[0] = 0;
		return NULL;
	}
	atexit(cleanup);
	return dir;
}

void tdir_remove(void)
{
	DIR *d;
	struct dirent *e;
	char p[600];

	if (!dir[0])
		return;
	d = opendir(dir);
	if (d) {
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			if (unlink(p) < 0)
				rmdir(p); /* a mount point left empty */
		}
		closedir(d);
	}
	rmdir(dir);
	dir[0] = 0;
}

const char *tpath(int slot, const char *name)
{
	if (!tdir_make())
		return NULL;
	snprintf(paths[slot], sizeof(paths[slot]), "%s/%s", dir, name);
	return paths[slot];
}

unsigned char tpattern(size_t i, unsigned seed)
{
	uint64_t x = (uint64_t)i * 0x9E3779B97F4A7C15ull + seed;

	x ^= x >> 29;
	x *= 0xBF58476D1CE4E5B9ull;
	return (unsigned char)(x >> 32);
}

int tfile_write(const char *path, size_t size, unsigned seed)
{
	unsigned char buf[65536];
	/* No O_TRUNC: Windows refuses to truncate a file that has a view
	 * (map_remap_grown_file rewrites a mapped file); the size is set
	 * once the bytes are written. */
	int fd = open(path, O_WRONLY | O_CREAT | O_BINARY, 0644);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < size) {
		size_t n =
		    size - done < sizeof(buf) ? size - done : sizeof(buf);

		for (size_t i = 0; i < n; i++)
			buf[i] = tpattern(done + i, seed);
		if (write(fd, buf, n) != (ssize_t)n) {
			close(fd);
			return -1;
		}
		done += n;
	}
	if (ftruncate(fd, (off_t)size) != 0) {
		close(fd);
		return -1;
	}
	return close(fd);
}

long tfile_read(const char *path, uint64_t off, void *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_BINARY);
	ssize_t n;
	size_t done = 0;

	if (fd < 0)
		return -1;
	if (lseek(fd, (off_t)off, SEEK_SET) < 0)
		goto err_close;
	while (done < len) {
		n = read(fd, (char *)buf + done, len - done);
		if (n < 0)
			goto err_close;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	return (long)done;

err_close:
	close(fd);
	return -1;
}

long long tfile_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}
