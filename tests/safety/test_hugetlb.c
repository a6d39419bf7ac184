/* SPDX-License-Identifier: MIT */
/* test_hugetlb.c - mmap-hugetlb under a shrinking file (issue 14, issue
 * 20 item 2): its timed loop runs in the guard scope like the other mapped
 * backends, so a bus error in its mapping ends that backend with the
 * one-line "file shrank" error and exit 1, never a signal, and the backend
 * before it keeps its results. Its mapping is a copy of the file in
 * hugetlbfs: cutting the source file short does not reach it (the run
 * goes on, exit 0); cutting the copy short (root, through
 * /proc/PID/map_files) does. Skips (77) without root or huge pages. */
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mmb/map.h"
#include "mmbench/results.h"
#include "safety.h"
#include "test.h"
#include "testutil.h"

#define NR_HUGE	 "/proc/sys/vm/nr_hugepages"
#define FILE_MIB 16

/* The range of pid's hugetlb copy in /proc/PID/maps ("start-end"), into
 * buf; false while there is none. */
static bool hugetlb_range(pid_t pid, char *buf, size_t n)
{
	char maps[64], line[1024];
	bool found = false;

	snprintf(maps, sizeof(maps), "/proc/%d/maps", (int)pid);
	FILE *f = fopen(maps, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (strstr(line, "mmb-hugetlb")) {
			snprintf(buf, n, "%.*s", (int)strcspn(line, " "), line);
			found = true;
		}
	fclose(f);
	return found;
}

/* pread, then mmap-hugetlb for 2 s; once the copy is mapped (seen 5
 * times in a row, 20 ms apart: after the untimed copy into it), cut the
 * copy (copy true) or the source file to one huge page. The exit status. */
static int run_and_cut(const char *file, const char *json, bool copy)
{
	const char *argv[] = {
	    sf_exe(),	   "run",	"--file", file,
	    "-w",	   "random-4k", "-b",	  "pread,mmap-hugetlb",
	    "--duration",  "2",		"--reps", "1",
	    "--no-warmup", "--json",	json,	  NULL};
	struct timespec tick = {0, 20 * 1000 * 1000};
	char range[64] = "", path[128];
	pid_t pid = th_spawn(argv, sf_in("out"), sf_in("err"), NULL, NULL);
	size_t hps = mmb_huge_page_size();

	if (pid < 0)
		return -1;
	for (int i = 0, seen = 0; i < 1500 && seen < 5; i++) {
		seen = hugetlb_range(pid, range, sizeof(range)) ? seen + 1 : 0;
		nanosleep(&tick, NULL);
	}
	if (!range[0]) {
		fprintf(stderr, "the hugetlb copy never appeared\n");
		kill(pid, SIGKILL);
		th_wait(pid);
		return -1;
	}
	if (copy) {
		/* hugetlbfs sizes are whole huge pages */
		snprintf(path, sizeof(path), "/proc/%d/map_files/%s", (int)pid,
			 range);
		int fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0 || ftruncate(fd, (off_t)hps) < 0) {
			perror(path);
			kill(pid, SIGKILL);
			th_wait(pid);
			return -1;
		}
		close(fd);
	} else if (truncate(file, (off_t)hps) < 0) {
		perror("truncate");
	}
	return th_wait(pid);
}

static int body(const char *file, const char *json)
{
	char out[16384];
	struct mmb_results *r = NULL;

	/* The copy cut short: exit 1, the one-line error, pread's results. */
	ASSERT_EQ(run_and_cut(file, json, true), 1);
	th_slurp_into(sf_in("out"), out, sizeof(out));
	const char *line = strstr(out, "mmap-hugetlb ");
	while (line && !strstr(line, "FAILED"))
		line = strstr(line + 1, "mmap-hugetlb ");
	ASSERT(line);
	const char *eol = strchr(line, '\n');
	const char *sh = strstr(line, "file shrank");
	const char *bus = strstr(line, "bus error at offset ");
	if (eol)
		fprintf(stderr, "%.*s\n", (int)(eol - line), line);
	if (!sh || !bus || !eol || sh > eol || bus > eol)
		fprintf(stderr, "output:\n%s\nerr: %s\n", out, sf_err());
	ASSERT(sh && bus && eol && sh < eol && bus < eol);
	ASSERT_OK(mmb_results_load(json, &r));
	const struct mmb_rbench *h =
	    mmb_results_find(r, "random-4k/mmap-hugetlb");
	const struct mmb_rbench *p = mmb_results_find(r, "random-4k/pread");
	ASSERT(h && h->skipped && h->error &&
	       strstr(h->error, "bus error at offset "));
	ASSERT(p && !p->skipped && p->nreps == 1);
	mmb_results_free(r);
	unlink(json);

	/* The source cut short: the copy holds the bytes, the run goes on. */
	ASSERT_EQ(run_and_cut(file, json, false), 0);
	ASSERT_OK(mmb_results_load(json, &r));
	h = mmb_results_find(r, "random-4k/mmap-hugetlb");
	ASSERT(h && !h->skipped && h->nreps == 1);
	mmb_results_free(r);
	return 0;
}

TEST_IMPL(hugetlb_copy_cut_short)
{
	size_t hps = mmb_huge_page_size();
	long need = (long)((FILE_MIB << 20) / (hps ? hps : 1)), nr, got;
	char file[300], json[300];
	int rc;

	if (hps == 0)
		SKIP("no huge pages on this kernel");
	nr = th_read_long(NR_HUGE);
	if (geteuid() != 0 || nr < 0)
		SKIP("not root: cannot reserve %ld huge pages", need);
	ASSERT_OK(sf_setup());
	snprintf(file, sizeof(file), "%s", sf_in("f.dat"));
	snprintf(json, sizeof(json), "%s", sf_in("r.json"));
	char *buf = malloc(1 << 20);
	ASSERT(buf);
	int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ASSERT(fd >= 0);
	for (int i = 0; i < FILE_MIB; i++) {
		for (int k = 0; k < 1 << 20; k++)
			buf[k] = (char)('a' + (i * 7 + k) % 23);
		ASSERT_EQ(write(fd, buf, 1 << 20), 1 << 20);
	}
	close(fd);
	free(buf);
	/* What the run needs on top of what is there, given back however
	 * the test ends. */
	if (th_write_long(NR_HUGE, nr + need) < 0)
		SKIP("cannot write %s", NR_HUGE);
	got = th_read_long(NR_HUGE);
	if (got < nr + need) {
		th_write_long(NR_HUGE, nr);
		SKIP("kernel granted %ld of %ld huge pages (fragmented memory)",
		     got, nr + need);
	}
	rc = body(file, json);
	th_write_long(NR_HUGE, nr);
	if (rc == 0)
		sf_cleanup();
	return rc;
}
