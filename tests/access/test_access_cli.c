/* SPDX-License-Identifier: MIT */
/* test_access_cli.c - `mmbench run --access` and `mmbench sweep --param
 * access=...` as a user types them: bad input is one line and exit 2; the
 * mode is in the results context and the table header names which
 * backends consumed in place and which copied; a file truncated under a
 * run of a mapped backend (mmap, mmap-populate, mmap-4k, mmap-thp copying;
 * mmap, mmap-window in place; mmap touching) ends that backend with the
 * "file shrank" error (exit 1, not a signal) while the backend before it
 * keeps its results; the sweep names its points by mode. */
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

#ifndef MMBENCH_EXE
#define MMBENCH_EXE NULL
#endif

static char dir[64], file[128], json[128], out[128];

/* A 16 MiB file of real pages in a fresh temp dir. */
static int make_dir_and_file(void)
{
	snprintf(dir, sizeof(dir), "/tmp/mmb-access-cli-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(file, sizeof(file), "%s/f.dat", dir);
	snprintf(json, sizeof(json), "%s/r.json", dir);
	snprintf(out, sizeof(out), "%s/out.txt", dir);
	int fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return -1;
	char *buf = malloc(1 << 20);
	if (!buf)
		return -1;
	for (int i = 0; i < 16; i++) {
		for (int k = 0; k < 1 << 20; k++)
			buf[k] = (char)('a' + (i * 7 + k) % 23);
		if (write(fd, buf, 1 << 20) != 1 << 20)
			return -1;
	}
	free(buf);
	close(fd);
	return 0;
}

static void clean(void)
{
	unlink(file);
	unlink(json);
	unlink(out);
	rmdir(dir);
}

/* Start mmbench with args (NULL-terminated), stdout+stderr into out. */
static pid_t start(char *const *args)
{
	char *argv[64];
	int n = 0;

	argv[n++] = (char *)MMBENCH_EXE;
	for (; *args && n < 63; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	pid_t pid = fork();
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(o, 1);
		dup2(o, 2);
		execv(MMBENCH_EXE, argv);
		_exit(126);
	}
	return pid;
}

/* Wait for pid; its output into text; the exit status, or -signal. */
static int finish(pid_t pid, char *text, size_t n)
{
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1000;
	FILE *f = fopen(out, "r");
	text[0] = 0;
	if (f) {
		size_t k = fread(text, 1, n - 1, f);
		text[k] = 0;
		fclose(f);
	}
	fprintf(stderr, "%s", text);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

static int run(char *const *args, char *text, size_t n)
{
	return finish(start(args), text, n);
}

static int lines(const char *s)
{
	int k = 0;
	for (; *s; s++)
		k += *s == '\n';
	return k;
}

#define NEED_EXE()                                                     \
	do {                                                           \
		if (!MMBENCH_EXE)                                      \
			SKIP("mmbench is not built (MMB_BUILD_TOOL)"); \
		if (make_dir_and_file() < 0)                           \
			SKIP("cannot make a test file in /tmp");       \
	} while (0)

TEST_IMPL(cli_bad_input)
{
	char text[8192];
	NEED_EXE();
	char *unknown[] = {"run", "--file", file, "--access", "zero", NULL};
	ASSERT_EQ(run(unknown, text, sizeof(text)), 2);
	ASSERT(strstr(text, "--access: unknown access 'zero' (one of copy, "
			    "inplace, touch)"));
	ASSERT_EQ(lines(text), 1);
	char *writes[] = {"run", "-w",	     "random-write-4k", "--size",
			  "1M",	 "--access", "inplace",		NULL};
	ASSERT_EQ(run(writes, text, sizeof(text)), 2);
	ASSERT(strstr(text, "--access inplace: workload random-write-4k "
			    "writes"));
	ASSERT_EQ(lines(text), 1);
	char *copy[] = {"run", "-w",	   "seq-write", "--size",
			"1M",  "--access", "copy",	NULL};
	ASSERT_EQ(run(copy, text, sizeof(text)), 2);
	ASSERT_EQ(lines(text), 1);
	char *sw[] = {"sweep",	"--param", "access=copy,zero",
		      "--file", file,	   NULL};
	ASSERT_EQ(run(sw, text, sizeof(text)), 2);
	ASSERT(strstr(text, "unknown access 'zero'"));
	ASSERT_EQ(lines(text), 1);
	char *dup[] = {"sweep",	 "--param", "access=touch,touch",
		       "--file", file,	    NULL};
	ASSERT_EQ(run(dup, text, sizeof(text)), 2);
	ASSERT(strstr(text, "listed twice"));
	ASSERT(access(json, F_OK) != 0);
	clean();
	return 0;
}

TEST_IMPL(cli_context_and_header)
{
	char text[16384];
	NEED_EXE();
	char *args[] = {"run",	     "--file", file,	     "-w",
			"random-4k", "-b",     "pread,mmap", "--access",
			"touch",     "--ops",  "2000",	     "--reps",
			"1",	     "--json", json,	     NULL};
	ASSERT_EQ(run(args, text, sizeof(text)), 0);
	ASSERT(strstr(text, "access touch: one 8-byte load per op; in place "
			    "through a view: mmap; copied into the buffer "
			    "first (no view): pread"));
	ASSERT(!strstr(text, "checksums differ"));
	struct mmb_results *r = NULL;
	ASSERT_OK(mmb_results_load(json, &r));
	const struct mmb_rval *a = mmb_results_ctx(r, "access");
	ASSERT(a && a->type == MMB_RT_STRING && strcmp(a->text, "touch") == 0);
	const struct mmb_rbench *m = mmb_results_find(r, "random-4k/mmap");
	const struct mmb_rbench *p = mmb_results_find(r, "random-4k/pread");
	ASSERT(m && p && m->nreps == 1 && p->nreps == 1);
	const struct mmb_rentry *me = &r->e[m->reps[0]],
				*pe = &r->e[p->reps[0]];
	ASSERT_EQ(mmb_rentry_num(me, "bytes_consumed"), 2000 * 8);
	ASSERT_EQ(mmb_rentry_num(pe, "bytes_consumed"), 2000 * 4096);
	ASSERT_EQ(mmb_rentry_num(me, "ops_viewed"), 2000);
	ASSERT_EQ(mmb_rentry_num(pe, "ops_viewed"), 0);
	mmb_results_free(r);
	clean();
	return 0;
}

/* Is path mapped in pid's address space yet? */
static int mapped_in(pid_t pid, const char *path)
{
	char maps[64], line[1024];
	int found = 0;
	snprintf(maps, sizeof(maps), "/proc/%d/maps", (int)pid);
	FILE *f = fopen(maps, "r");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, path) != NULL;
	fclose(f);
	return found;
}

/* pread first (its results must survive), then backend in mode, while
 * the file is cut to 64 KiB once backend has it mapped. */
static int truncate_under(const char *backend, const char *mode)
{
	char text[16384], list[64];
	NEED_EXE();
	snprintf(list, sizeof(list), "pread,%s", backend);
	char *args[] = {"run",	      "--file",	     file,	 "-w",
			"random-4k",  "-b",	     list,	 "--access",
			(char *)mode, "--duration",  "2",	 "--reps",
			"1",	      "--no-warmup", "--window", "16M",
			"--json",     json,	     NULL};
	pid_t pid = start(args);
	ASSERT(pid > 0);
	/* the mapping appears when the backend opens (mmap-window: at its
	 * first op; one 16 MiB window holds the whole file, so it is not
	 * remapped under the sampling below, which under load missed a
	 * window that moved every op) and stays while the timed loop runs;
	 * the runner's own
	 * residency check maps the file for a moment before each backend,
	 * so wait until it is seen 5 times in a row, 20 ms apart */
	struct timespec tick = {0, 20 * 1000 * 1000};
	for (int i = 0, seen = 0; i < 1500 && seen < 5; i++) {
		seen = mapped_in(pid, file) ? seen + 1 : 0;
		nanosleep(&tick, NULL);
	}
	ASSERT(truncate(file, 64 * 1024) == 0);
	int rc = finish(pid, text, sizeof(text));
	ASSERT_EQ(rc, 1);
	char failed[64];
	snprintf(failed, sizeof(failed), "%s ", backend);
	const char *line = strstr(text, failed);
	while (line && !strstr(line, "FAILED"))
		line = strstr(line + 1, failed);
	ASSERT(line);
	const char *eol = strchr(line, '\n');
	const char *sh = strstr(line, "file shrank to 65536 bytes during the "
				      "run");
	/* a bus error in the view, or (mmap-window) the window that holds
	 * the op cannot be mapped any more: either way the offset */
	const char *bus = strstr(line, "bus error at offset ");
	if (!bus || bus > eol)
		bus = strstr(line, "the window holding offset ");
	ASSERT(sh && bus && eol && sh < eol && bus < eol);

	struct mmb_results *r = NULL;
	ASSERT_OK(mmb_results_load(json, &r));
	char name[64];
	snprintf(name, sizeof(name), "random-4k/%s", backend);
	const struct mmb_rbench *b = mmb_results_find(r, name);
	ASSERT(b && b->skipped && b->error);
	ASSERT(strstr(b->error, "file shrank to 65536 bytes"));
	const struct mmb_rbench *p = mmb_results_find(r, "random-4k/pread");
	ASSERT(p && !p->skipped && p->nreps == 1);
	mmb_results_free(r);
	clean();
	return 0;
}

TEST_IMPL(truncate_inplace_mmap)
{
	return truncate_under("mmap", "inplace");
}

TEST_IMPL(truncate_inplace_mmap_window)
{
	return truncate_under("mmap-window", "inplace");
}

TEST_IMPL(truncate_touch_mmap)
{
	return truncate_under("mmap", "touch");
}

TEST_IMPL(truncate_copy_mmap)
{
	return truncate_under("mmap", "copy");
}

TEST_IMPL(truncate_copy_mmap_populate)
{
	return truncate_under("mmap-populate", "copy");
}

TEST_IMPL(truncate_copy_mmap_4k)
{
	return truncate_under("mmap-4k", "copy");
}

TEST_IMPL(truncate_copy_mmap_thp)
{
	return truncate_under("mmap-thp", "copy");
}

TEST_IMPL(sweep_access)
{
	char text[32768], rdir[200];
	NEED_EXE();
	char *args[] = {"sweep",     "--param", "access=copy,inplace,touch",
			"--file",    file,	"-w",
			"random-4k", "-b",	"pread,mmap",
			"--ops",     "2000",	"--reps",
			"1",	     "--json",	json,
			"--report",  rdir,	NULL};
	snprintf(rdir, sizeof(rdir), "%s/rep", dir);
	ASSERT_EQ(run(args, text, sizeof(text)), 0);
	ASSERT(strstr(text, "== access=inplace =="));
	/* the report takes the modes for a sweep, side by side by name */
	char idx[300], html[65536] = "";
	snprintf(idx, sizeof(idx), "%s/index.html", rdir);
	FILE *h = fopen(idx, "r");
	ASSERT(h);
	html[fread(html, 1, sizeof(html) - 1, h)] = 0;
	fclose(h);
	ASSERT(strstr(html, "sweep over access"));
	ASSERT(strstr(html, "<td>inplace</td>"));
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", rdir);
	ASSERT_OK(system(cmd));
	struct mmb_results *r = NULL;
	ASSERT_OK(mmb_results_load(json, &r));
	const char *modes[] = {"copy", "inplace", "touch"};
	for (int i = 0; i < 3; i++) {
		char pn[64], mn[64];
		snprintf(pn, sizeof(pn), "random-4k/pread/access:%s", modes[i]);
		snprintf(mn, sizeof(mn), "random-4k/mmap/access:%s", modes[i]);
		const struct mmb_rbench *p = mmb_results_find(r, pn);
		const struct mmb_rbench *m = mmb_results_find(r, mn);
		ASSERT(p && m && p->nreps == 1 && m->nreps == 1);
		ASSERT_EQ(p->sweep_value, i);
		/* same ops, same mode: the same checksum */
		const struct mmb_rval *pc =
		    mmb_rentry_get(&r->e[p->reps[0]], "checksum");
		const struct mmb_rval *mc =
		    mmb_rentry_get(&r->e[m->reps[0]], "checksum");
		ASSERT(pc && mc && strcmp(pc->text, mc->text) == 0);
	}
	const struct mmb_rval *l = mmb_results_ctx(r, "sweep_labels");
	ASSERT(l && l->type == MMB_RT_ARRAY && l->nkid == 3);
	ASSERT(strcmp(l->kid[1].text, "inplace") == 0);
	mmb_results_free(r);
	clean();
	return 0;
}

TEST_IMPL(experiment_access)
{
	char text[65536];
	NEED_EXE();
	char *args[] = {"experiment", "access", "--size", "4M", "--reps", "1",
			"--ops",      "2000",	"--json", json, NULL};
	ASSERT_EQ(run(args, text, sizeof(text)), 0);
	ASSERT(strstr(text, "== access: seq-read, --access touch =="));
	ASSERT(strstr(text, "access conclusion (warm 4 MiB file"));
	/* one paragraph per workload, with numbers in it */
	const char *rnd = strstr(text, "\nrandom-4k: copying, mmap takes ");
	const char *seq = strstr(text, "\nseq-read: copying, mmap takes ");
	ASSERT(rnd && seq);
	ASSERT(strstr(rnd, "Touching one word per op, mmap takes "));
	struct mmb_results *r = NULL;
	ASSERT_OK(mmb_results_load(json, &r));
	const struct mmb_rval *e = mmb_results_ctx(r, "experiment");
	ASSERT(e && strcmp(e->text, "access") == 0);
	/* 2 workloads x 3 modes x 2 backends, named by mode */
	ASSERT_EQ(r->nb, 12);
	ASSERT(mmb_results_find(r, "seq-read/mmap/access:touch"));
	ASSERT(mmb_results_find(r, "random-4k/pread/access:inplace"));
	mmb_results_free(r);
	char *bad[] = {"experiment", "access", "--reps", "0", NULL};
	ASSERT_EQ(run(bad, text, sizeof(text)), 2);
	clean();
	return 0;
}
