/* test_shrink_cli.c - `mmbench run --file F -b BACKEND --duration 3` while
 * another process truncates F: the run ends with exit status 1 (not a
 * signal), one line naming the backend, the new size and the faulting
 * offset, and a results file in which that backend failed with the same
 * message. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mmbench/results.h"

#include "test.h"

static int truncate_under(const char *backend)
{
	char dir[] = "/tmp/mmb-test-shrink-XXXXXX", file[600], json[600],
	     out[600], text[8192] = "";
	if (!mkdtemp(dir))
		return 1;
	snprintf(file, sizeof(file), "%s/f.dat", dir);
	snprintf(json, sizeof(json), "%s/r.json", dir);
	snprintf(out, sizeof(out), "%s/out.txt", dir);

	/* 16 MiB of data (not sparse: every page is a real one) */
	int fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ASSERT(fd >= 0);
	char *buf = calloc(1, 1 << 20);
	ASSERT(buf);
	for (int i = 0; i < 16; i++) {
		memset(buf, 'a' + i, 1 << 20);
		ASSERT(write(fd, buf, 1 << 20) == 1 << 20);
	}
	free(buf);
	close(fd);

	pid_t pid = fork();
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(o, 1);
		dup2(o, 2);
		execl(MMBENCH_EXE, MMBENCH_EXE, "run", "--file", file, "-w",
		      "random-4k", "-b", backend, "--duration", "3", "--reps",
		      "1", "--no-warmup", "--json", json, (char *)NULL);
		_exit(126);
	}
	/* let the timed loop start, then cut the file to 64 KiB */
	struct timespec ts = {0, 700 * 1000 * 1000};
	nanosleep(&ts, NULL);
	ASSERT(truncate(file, 64 * 1024) == 0);
	int status;
	ASSERT(waitpid(pid, &status, 0) == pid);
	FILE *f = fopen(out, "r");
	if (f) {
		size_t n = fread(text, 1, sizeof(text) - 1, f);
		text[n] = 0;
		fclose(f);
	}
	fprintf(stderr, "%s", text);
	ASSERT(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 1);
	ASSERT(strstr(text, "FAILED"));
	ASSERT(strstr(text, "file shrank to 65536 bytes during the run"));
	ASSERT(strstr(text, "bus error at offset "));

	struct mmb_results *r = NULL;
	ASSERT_OK(mmb_results_load(json, &r));
	char name[64];
	snprintf(name, sizeof(name), "random-4k/%s", backend);
	const struct mmb_rbench *b = mmb_results_find(r, name);
	ASSERT(b && b->skipped && b->error);
	ASSERT(strstr(b->error, "file shrank to 65536 bytes"));
	mmb_results_free(r);

	unlink(file);
	unlink(json);
	unlink(out);
	rmdir(dir);
	return 0;
}

TEST_IMPL(truncate_mmap)
{
	return truncate_under("mmap");
}

TEST_IMPL(truncate_mmap_populate)
{
	return truncate_under("mmap-populate");
}

TEST_IMPL(truncate_mmap_4k)
{
	return truncate_under("mmap-4k");
}

TEST_IMPL(truncate_mmap_thp)
{
	return truncate_under("mmap-thp");
}
