/* SPDX-License-Identifier: MIT */
/* main.c - the mmb_bench program: Google Benchmark's flags plus
 *   --mmb_file=PATH   read this existing file (warm it first yourself);
 *                     cold-cache benchmarks are then not registered
 *   --mmb_size=N[KMG] size of the file made otherwise (default 64M)
 *   --mmb_dir=DIR     where to make it (default $TMPDIR or /var/tmp)
 *   --mmb_ops=N       the bare loops run N ops per repetition, the shape
 *                     of `mmbench run --ops N` (default 262144, as mmbench;
 *                     pread-direct 20000)
 *   --mmb_seed=S      the bare loops' offsets seed (default 1, as mmbench)
 * The made file is removed at exit. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "mmbench/units.h"

/* Make a file of `size` bytes of a non-zero pattern, fsynced so that its
 * pages are clean and can be dropped from the page cache. */
static int make_file(const char *path, uint64_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		fprintf(stderr, "mmb_bench: open(%s): %s\n", path,
			strerror(errno));
		return -1;
	}
	static unsigned char buf[1 << 20];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	for (uint64_t done = 0; done < size;) {
		size_t n =
		    size - done < sizeof(buf) ? size - done : sizeof(buf);
		ssize_t w = write(fd, buf, n);
		if (w <= 0) {
			fprintf(stderr, "mmb_bench: write(%s): %s\n", path,
				strerror(w < 0 ? errno : EIO));
			close(fd);
			return -1;
		}
		done += (uint64_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fprintf(stderr, "mmb_bench: fsync(%s): %s\n", path,
			strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *file = NULL, *dir = getenv("TMPDIR");
	uint64_t size = 64ull << 20, ops = 0, seed = 1;
	int out = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--mmb_file=", 11) == 0) {
			file = a + 11;
		} else if (strncmp(a, "--mmb_dir=", 10) == 0) {
			dir = a + 10;
		} else if (strncmp(a, "--mmb_ops=", 10) == 0) {
			char *end;
			errno = 0;
			ops = strtoull(a + 10, &end, 10);
			if (errno || end == a + 10 || *end || ops == 0 ||
			    ops > INT64_MAX) {
				fprintf(stderr,
					"mmb_bench: --mmb_ops=%s: want a "
					"positive op count, e.g. 262144\n",
					a + 10);
				return 2;
			}
		} else if (strncmp(a, "--mmb_seed=", 11) == 0) {
			char *end;
			errno = 0;
			seed = strtoull(a + 11, &end, 0);
			if (errno || end == a + 11 || *end) {
				fprintf(stderr,
					"mmb_bench: --mmb_seed=%s: want a "
					"number\n",
					a + 11);
				return 2;
			}
		} else if (strncmp(a, "--mmb_size=", 11) == 0) {
			if (mmb_parse_u64(a + 11, true, &size) < 0 ||
			    size < (1u << 20)) {
				fprintf(stderr,
					"mmb_bench: --mmb_size=%s: want a "
					"size of at least 1M, e.g. 64M\n",
					a + 11);
				return 2;
			}
		} else {
			argv[out++] = argv[i];
		}
	}
	argc = out;
	argv[argc] = NULL;

	char tmpdir[4096] = "", path[4200];
	struct bench_env env = {.ops = ops, .seed = seed};
	if (file) {
		struct stat st;
		if (stat(file, &st) != 0 || !S_ISREG(st.st_mode) ||
		    st.st_size < (1 << 20)) {
			fprintf(stderr,
				"mmb_bench: --mmb_file=%s: want a regular "
				"file of at least 1 MiB\n",
				file);
			return 2;
		}
		env.path = file;
		env.size = (uint64_t)st.st_size;
	} else {
		snprintf(tmpdir, sizeof(tmpdir), "%s/mmb-bench-XXXXXX",
			 dir ? dir : "/var/tmp");
		if (!mkdtemp(tmpdir)) {
			fprintf(stderr, "mmb_bench: mkdtemp(%s): %s\n", tmpdir,
				strerror(errno));
			return 2;
		}
		snprintf(path, sizeof(path), "%s/data", tmpdir);
		if (make_file(path, size) < 0) {
			unlink(path);
			rmdir(tmpdir);
			return 2;
		}
		env.path = path;
		env.size = size;
		env.own_file = true;
	}

	bench_register_core(&env);
	bench_register_bare(&env);
	bench_register_backends(&env);
	bench_register_access(&env);
	int rc = mmb_bench_main(argc, argv);

	if (env.own_file) {
		unlink(path);
		rmdir(tmpdir);
	}
	return rc;
}
