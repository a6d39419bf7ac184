/* SPDX-License-Identifier: MIT */
/* The test file and its data directory (issue 20, items 1, 3, 4, 6, 14):
 * what is refused, what is never written through, and what a failed,
 * interrupted or killed creation leaves behind. Root runs the privileged
 * side (chown, mount); the unprivileged side runs as nobody (uid 65534)
 * in a forked child. Counts, bytes and messages, never times. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mmb/error.h"
#include "mmbench/workload.h"
#include "test.h"
#include "testutil.h"

#define NOBODY 65534
#define MiB    (1024ull * 1024)

static char base[64];
static char mounts[4][160];
static int nmounts;

static void cleanup(void)
{
	while (nmounts > 0)
		umount2(mounts[--nmounts], MNT_DETACH);
	th_rmtree(base);
	base[0] = 0;
}

static int setup(void)
{
	if (th_mkdtemp(base, sizeof(base), "tf") < 0)
		return -1;
	atexit(cleanup);
	return 0;
}

/* base/name (th_path: copy it to keep it). */
static char *at(const char *name)
{
	return th_path(base, name);
}

static int write_file(const char *path, const void *buf, size_t n, int mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, buf, n);
	close(fd);
	return w == (ssize_t)n ? 0 : -1;
}

/* Files in dir whose name contains ".dat." (test-file temps). */
static int count_temps(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += strstr(e->d_name, ".dat.") != NULL;
	closedir(d);
	return n;
}

static void become_nobody(void)
{
	if (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 || setuid(NOBODY) < 0)
		_exit(126);
}

struct child_env {
	const char *data;
	bool nobody;
};

static void in_child(void *arg)
{
	const struct child_env *c = arg;

	if (c->data)
		setenv("MMBENCH_DATA_DIR", c->data, 1);
	else
		unsetenv("MMBENCH_DATA_DIR");
	if (c->nobody)
		become_nobody();
}

/* Start mmbench with the NULL-terminated args, MMBENCH_DATA_DIR=data,
 * stdout/stderr into base/out and base/err; as nobody when asked. */
static pid_t start(const char *data, bool nobody, const char *arg, ...)
{
	struct child_env c = {data, nobody};
	const char *argv[40];
	va_list ap;

	va_start(ap, arg);
	th_argv(argv, 40, MMBENCH_EXE, arg, &ap);
	va_end(ap);
	return th_spawn(argv, at("out"), at("err"), in_child, &c);
}

#define RUN(data, nobody, ...) th_wait(start(data, nobody, __VA_ARGS__))

static bool root(void)
{
	return geteuid() == 0;
}

/* A tmpfs of `size` bytes at base/name; false when mounting is not
 * allowed here. */
static bool mount_tmpfs(const char *name, const char *opts)
{
	char *m = at(name);
	if (mkdir(m, 0755) < 0 || mount("none", m, "tmpfs", 0, opts) < 0)
		return false;
	snprintf(mounts[nmounts++], sizeof(mounts[0]), "%s", m);
	return true;
}

static int prep(const char *path, uint64_t size, bool *created)
{
	struct mmb_file_id id;
	return mmb_testfile_prepare(path, size, NULL, created, &id);
}

static const char *lasterr(void)
{
	static char m[512];
	return mmb_errmsg(m, sizeof(m));
}

/* ---- item 1: the data directory ------------------------------------------ */

TEST_IMPL(testfile_dir_others_can_write_refused)
{
	bool created;

	if (!root())
		SKIP("needs root (chown to another user)");
	ASSERT_OK(setup());
	chmod(base, 0755);

	/* Owned by another user: refused, nothing created in it. */
	ASSERT_OK(mkdir(at("nob"), 0755));
	ASSERT_OK(chown(at("nob"), NOBODY, NOBODY));
	ASSERT_EQ(prep(at("nob/mmbench-1M.dat"), MiB, &created), MMB_EPERM);
	ASSERT(strstr(lasterr(), "owned by uid 65534"));
	ASSERT(!th_exists(at("nob/mmbench-1M.dat")));

	/* Writable by everyone or by its group, not sticky: refused. */
	ASSERT_OK(mkdir(at("ww"), 0755));
	ASSERT_OK(chmod(at("ww"), 0777));
	ASSERT_EQ(prep(at("ww/mmbench-1M.dat"), MiB, &created), MMB_EPERM);
	ASSERT(strstr(lasterr(), "writable by everyone"));
	ASSERT_OK(mkdir(at("gw"), 0755));
	ASSERT_OK(chmod(at("gw"), 0770));
	ASSERT_EQ(prep(at("gw/mmbench-1M.dat"), MiB, &created), MMB_EPERM);
	ASSERT(strstr(lasterr(), "its group"));
	/* ... also when it is a directory above ours. */
	ASSERT_OK(mkdir(at("ww/sub"), 0700));
	ASSERT_EQ(prep(at("ww/sub/mmbench-1M.dat"), MiB, &created), MMB_EPERM);
	ASSERT(!th_exists(at("ww/sub/mmbench-1M.dat")));

	/* Sticky and world-writable, like /tmp: fine. */
	ASSERT_OK(mkdir(at("sticky"), 0755));
	ASSERT_OK(chmod(at("sticky"), 01777));
	ASSERT_OK(prep(at("sticky/mmbench-64K.dat"), 65536, &created));
	ASSERT(created);

	/* A symlink planted by another user (the /var/tmp/mmbench attack):
	 * refused, even to a directory that is fine. One of ours: fine. */
	ASSERT_OK(mkdir(at("ok"), 0700));
	ASSERT_OK(symlink(at("ok"), at("planted")));
	ASSERT_OK(lchown(at("planted"), NOBODY, NOBODY));
	ASSERT_EQ(prep(at("planted/mmbench-1M.dat"), MiB, &created), MMB_EPERM);
	ASSERT(strstr(lasterr(), "symlink owned by uid 65534"));
	ASSERT(!th_exists(at("ok/mmbench-1M.dat")));
	ASSERT_OK(symlink(at("ok"), at("mine")));
	ASSERT_OK(prep(at("mine/mmbench-64K.dat"), 65536, &created));

	/* The command line says so in one line and exits 1. */
	ASSERT_EQ(RUN(at("nob"), false, "run", "--size", "64K", "-w",
		      "random-4k", "-b", "pread", "--reps", "1", NULL),
		  1);
	ASSERT(th_contains(at("err"), "refusing it"));
	ASSERT_EQ(th_count_lines(at("err")), 1);
	ASSERT(!th_exists(at("nob/mmbench-64K.dat")));
	cleanup();
	return 0;
}

/* ---- item 14: one data directory per user ------------------------------- */

TEST_IMPL(testfile_default_dir_per_user_0700)
{
	char path[256], want[256];
	struct stat st;
	bool created;
	pid_t pid;

	unsetenv("MMBENCH_DATA_DIR");
	ASSERT_OK(mmb_testfile_path(path, sizeof(path), MiB));
	snprintf(want, sizeof(want), "/var/tmp/mmbench-%lu/mmbench-1M.dat",
		 (unsigned long)geteuid());
	ASSERT(strcmp(path, want) == 0);
	if (root()) {
		/* Another user gets another directory. */
		pid = fork();
		if (pid == 0) {
			become_nobody();
			mmb_testfile_path(path, sizeof(path), MiB);
			_exit(strcmp(path, "/var/tmp/mmbench-65534/"
					   "mmbench-1M.dat") == 0
				  ? 0
				  : 1);
		}
		ASSERT_EQ(th_wait(pid), 0);
	}

	/* Where root's directory is there already, another user still runs
	 * (with the default directory, when it is not there yet: removed
	 * afterwards). */
	ASSERT_OK(setup());
	ASSERT_OK(chmod(base, 0755));
	const char *own = "/var/tmp/mmbench-65534";
	if (root() && !th_exists(own)) {
		int rc = RUN(NULL, true, "run", "--size", "64K", "-w",
			     "random-4k", "-b", "pread", "--reps", "1", NULL);
		bool made = th_exists(own);
		bool ok = made && stat(own, &st) == 0 &&
			  (st.st_mode & 07777) == 0700 && st.st_uid == NOBODY;
		if (made)
			th_rmtree(own);
		if (rc != 0)
			th_contains(at("err"), "(nothing)");
		ASSERT_EQ(rc, 0);
		ASSERT(ok);
	}
	cleanup();

	/* Created 0700 whatever the umask; the parents as usual. */
	ASSERT_OK(setup());
	mode_t old = umask(0);
	int rc = prep(at("a/b/mmbench-64K.dat"), 65536, &created);
	umask(old);
	ASSERT_OK(rc);
	ASSERT_OK(stat(at("a/b"), &st));
	ASSERT_EQ(st.st_mode & 07777, 0700);
	ASSERT_OK(stat(at("a"), &st));
	ASSERT_EQ(st.st_mode & 07777, 0755);
	cleanup();
	return 0;
}

/* ---- item 1: a file swapped for a symlink is never written ------------- */

struct swap {
	const char *path, *victim, *tmp;
	int at_rep;
	int swapped;
};

static void swap_progress(void *ctx, const char *backend, int rep,
			  unsigned reps)
{
	struct swap *s = ctx;

	(void)backend;
	(void)reps;
	/* ln -s VICTIM .x && mv -T .x mmbench-1M.dat */
	if (rep == s->at_rep && !s->swapped) {
		if (symlink(s->victim, s->tmp) == 0 &&
		    rename(s->tmp, s->path) == 0)
			s->swapped = 1;
	}
}

static int victim_make(const char *path, unsigned char fill)
{
	unsigned char *buf = malloc(MiB);
	int rc;

	if (!buf)
		return -1;
	memset(buf, fill, MiB);
	rc = write_file(path, buf, MiB, 0600);
	free(buf);
	return rc;
}

/* Still MiB bytes of fill, never written since mtime. */
static bool victim_untouched(const char *path, unsigned char fill,
			     const struct timespec *mtime)
{
	size_t n;
	unsigned char *buf = (unsigned char *)th_slurp(path, &n);
	struct stat st;
	bool ok = buf && n == MiB && stat(path, &st) == 0 &&
		  st.st_mtim.tv_sec == mtime->tv_sec &&
		  st.st_mtim.tv_nsec == mtime->tv_nsec;

	for (size_t i = 0; ok && i < n; i++)
		ok = buf[i] == fill;
	free(buf);
	return ok;
}

TEST_IMPL(testfile_swap_between_reps_refused)
{
	static const char *const names[] = {
	    "pread",	     "pread-direct", "io_uring", "mmap",
	    "mmap-populate", "mmap-4k",	     "mmap-thp", "mmap-window"};
	struct mmb_file_id id;
	struct stat vst;
	bool created;
	int tested = 0;

	ASSERT_OK(setup());
	ASSERT_OK(mkdir(at("d"), 0700));
	ASSERT_OK(victim_make(at("victim"), 'V'));
	ASSERT_OK(stat(at("victim"), &vst));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct mmb_backend *b[1] = {mmb_backend_find(names[i])};
		struct swap s = {.path = at("d/mmbench-1M.dat"),
				 .victim = at("victim"),
				 .tmp = at("d/.x"),
				 .at_rep = 2};
		struct mmb_run_result *res = NULL;
		struct mmb_run_opts o = {
		    .workload = mmb_workload_find("random-write-4k"),
		    .wl = {.file_size = MiB,
			   .ops = 2048,
			   .seed = 3,
			   .threads = 1},
		    .path = s.path,
		    .backends = b,
		    .nbackends = 1,
		    .bopts = {.advice = -1},
		    .cache = MMB_CACHE_WARM,
		    .reps = 4,
		    .progress = swap_progress,
		    .progress_ctx = &s,
		};

		ASSERT(b[0]);
		unlink(s.path);
		ASSERT_OK(
		    mmb_testfile_prepare(s.path, MiB, NULL, &created, &id));
		ASSERT(id.set);
		o.bopts.file_id = id;
		ASSERT_OK(mmb_workload_resolve(o.workload, &o.wl));
		int rc = mmb_run(&o, &res);
		if (rc == 0 && res->b[0].status == MMB_ESKIP) {
			printf("%s: skipped here (%s)\n", names[i],
			       res->b[0].message);
			mmb_run_result_free(res);
			continue;
		}
		ASSERT_EQ(s.swapped, 1);
		if (rc != MMB_EPERM)
			fprintf(stderr, "%s: rc %d, %s\n", names[i], rc,
				rc == 0 ? res->b[0].message : lasterr());
		ASSERT_EQ(rc, MMB_EPERM);
		ASSERT(strstr(lasterr(), "replaced"));
		ASSERT(victim_untouched(at("victim"), 'V', &vst.st_mtim));
		tested++;
	}
	printf("%d backends refused the swapped file\n", tested);
	ASSERT(tested >= 5);
	cleanup();
	return 0;
}

/* The backends' own check, without the runner's: a symlink at the path,
 * or another regular file renamed over it, fails their open. */
TEST_IMPL(testfile_backend_reopen_checks_inode)
{
	static const char *const names[] = {"pread", "io_uring", "mmap-window",
					    "pread-direct"};
	struct mmb_file_id id;
	struct stat vst;
	bool created;
	char why[512];
	const char *path;

	ASSERT_OK(setup());
	ASSERT_OK(mkdir(at("d"), 0700));
	path = at("d/mmbench-1M.dat");
	ASSERT_OK(victim_make(at("victim"), 'V'));
	ASSERT_OK(stat(at("victim"), &vst));
	ASSERT_OK(mmb_testfile_prepare(path, MiB, NULL, &created, &id));
	for (int kind = 0; kind < 2; kind++) {
		unlink(path);
		if (kind == 0)
			ASSERT_OK(symlink(at("victim"), path));
		else
			ASSERT_OK(link(at("victim"), path));
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			const struct mmb_backend *b =
			    mmb_backend_find(names[i]);
			struct mmb_backend_opts bo = {.block_size = 4096,
						      .advice = -1,
						      .writable = true,
						      .threads = 1,
						      .file_id = id};
			void *st = NULL;

			why[0] = 0;
			int rc = b->open(path, MiB, &bo, &st, why, sizeof(why));
			if (rc == 0) {
				/* Opened: it must be unable to write. */
				b->close(st);
				fprintf(stderr, "%s opened a %s\n", names[i],
					kind ? "hard link" : "symlink");
				return 1;
			}
			ASSERT(rc < 0);
			if (!strstr(why, "replaced"))
				fprintf(stderr, "%s: %s\n", names[i], why);
			ASSERT(strstr(why, "replaced"));
		}
	}
	ASSERT(victim_untouched(at("victim"), 'V', &vst.st_mtim));
	cleanup();
	return 0;
}

/* The scenario before a run that reuses the file: VICTIM holds
 * the pattern where the old check looked, not in page 5. */
TEST_IMPL(testfile_cli_symlink_before_reuse_refused)
{
	char *before, *after;
	size_t n1, n2;

	ASSERT_OK(setup());
	ASSERT_OK(mkdir(at("d"), 0700));
	ASSERT_EQ(RUN(at("d"), false, "run", "--size", "1M", "-w", "random-4k",
		      "-b", "pread", "--reps", "1", NULL),
		  0);
	before = th_slurp(at("d/mmbench-1M.dat"), &n1);
	ASSERT(before && n1 == MiB);
	before[5 * 4096 + 100] = 0;
	ASSERT_OK(write_file(at("victim"), before, n1, 0600));
	ASSERT_OK(symlink(at("victim"), at("d/.x")));
	ASSERT_OK(rename(at("d/.x"), at("d/mmbench-1M.dat")));

	ASSERT_EQ(RUN(at("d"), false, "run", "--size", "1M", "-w", "seq-write",
		      "-b", "pread", "--reps", "4", NULL),
		  1);
	ASSERT(th_contains(at("err"), "is a symlink: refusing to follow it"));
	ASSERT_EQ(th_count_lines(at("err")), 1);
	after = th_slurp(at("victim"), &n2);
	ASSERT(after && n2 == n1 && memcmp(before, after, n1) == 0);
	free(before);
	free(after);
	cleanup();
	return 0;
}

/* ---- items 3 and 6: free space, and the reason creation failed --------- */

TEST_IMPL(testfile_no_space_says_needed_and_free)
{
	if (!root())
		SKIP("needs root (mount a small tmpfs)");
	ASSERT_OK(setup());
	if (!mount_tmpfs("small", "size=2m,mode=0700"))
		SKIP("cannot mount tmpfs here: %s", strerror(errno));
	ASSERT_EQ(RUN(at("small"), false, "run", "--size", "4M", "-w",
		      "random-4k", "-b", "pread", "--reps", "1", NULL),
		  1);
	ASSERT(th_contains(at("err"), "needs 4194304 bytes"));
	ASSERT(th_contains(at("err"), "are free: no space left on device"));
	ASSERT(th_contains(at("err"), at("small")));
	ASSERT_EQ(count_temps(at("small")), 0);
	/* 100 TiB on the real disk: refused before a byte is written. */
	ASSERT_OK(mkdir(at("big"), 0700));
	ASSERT_EQ(RUN(at("big"), false, "run", "--size", "100T", "-w",
		      "random-4k", "-b", "pread", "--reps", "1", NULL),
		  1);
	ASSERT(th_contains(at("err"), "needs 109951162777600 bytes"));
	ASSERT_EQ(count_temps(at("big")), 0);
	cleanup();
	return 0;
}

TEST_IMPL(testfile_create_errors_keep_errno)
{
	if (!root())
		SKIP("needs root (mount read-only, run as nobody)");
	ASSERT_OK(setup());
	ASSERT_OK(chmod(base, 0755));

	/* Unwritable: permission denied, in that directory. */
	ASSERT_OK(mkdir(at("ro-perm"), 0755));
	ASSERT_EQ(RUN(at("ro-perm"), true, "run", "--size", "64K", "-w",
		      "random-4k", "-b", "pread", "--reps", "1", NULL),
		  1);
	ASSERT(th_contains(at("err"), "permission denied"));
	ASSERT(th_contains(at("err"), at("ro-perm")));

	/* Read-only file system: says so. */
	if (!mount_tmpfs("rofs", "size=1m,mode=0700"))
		SKIP("cannot mount tmpfs here: %s", strerror(errno));
	ASSERT_OK(
	    mount("none", at("rofs"), NULL, MS_REMOUNT | MS_RDONLY, NULL));
	ASSERT_EQ(RUN(at("rofs"), false, "run", "--size", "64K", "-w",
		      "random-4k", "-b", "pread", "--reps", "1", NULL),
		  1);
	ASSERT(th_contains(at("err"), "read-only file system"));
	ASSERT(th_contains(at("err"), at("rofs")));
	cleanup();
	return 0;
}

/* ---- item 3: interruptible creation, stale temps ------------------------ */

static int stop_calls;

static int stop_after_three(void)
{
	return ++stop_calls > 3 ? SIGTERM : 0;
}

TEST_IMPL(testfile_creation_stops_on_request)
{
	bool created;

	ASSERT_OK(setup());
	ASSERT_OK(mkdir(at("d"), 0700));
	stop_calls = 0;
	ASSERT_EQ(mmb_testfile_prepare(at("d/mmbench-8M.dat"), 8 * MiB,
				       stop_after_three, &created, NULL),
		  MMB_EINTR);
	ASSERT(strstr(lasterr(), "stopped by signal 15"));
	ASSERT(!created);
	ASSERT_EQ(stop_calls, 4);
	ASSERT(!th_exists(at("d/mmbench-8M.dat")));
	ASSERT_EQ(count_temps(at("d")), 0);
	cleanup();
	return 0;
}

/* Wait (up to 20 s) until dir holds a temp file of at least min bytes. */
static bool wait_temp(const char *dir, off_t min)
{
	for (int i = 0; i < 20000; i++) {
		DIR *d = opendir(dir);
		struct dirent *e;
		bool found = false;

		while (d && (e = readdir(d)) != NULL) {
			struct stat st;
			char p[512];
			if (!strstr(e->d_name, ".dat."))
				continue;
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			found = stat(p, &st) == 0 && st.st_size >= min;
		}
		if (d)
			closedir(d);
		if (found)
			return true;
		usleep(1000);
	}
	return false;
}

/* SIGTERM (and SIGINT) while the file is being written: the creation
 * stops, the temp file goes, the exit status says the signal. The old
 * code kept writing and published the whole file. */
TEST_IMPL(testfile_cli_sigterm_during_creation)
{
	const int sigs[2] = {SIGTERM, SIGINT};

	ASSERT_OK(setup());
	ASSERT_OK(mkdir(at("d"), 0700));
	for (int i = 0; i < 2; i++) {
		struct timespec t0, t1;
		pid_t pid =
		    start(at("d"), false, "run", "--size", "1G", "-w",
			  "random-4k", "-b", "pread", "--reps", "1", NULL);
		ASSERT(pid > 0);
		ASSERT(wait_temp(at("d"), 16 * (off_t)MiB));
		clock_gettime(CLOCK_MONOTONIC, &t0);
		kill(pid, sigs[i]);
		ASSERT_EQ(th_wait(pid), 128 + sigs[i]);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("signal %d: exited %.3f s later\n", sigs[i],
		       (double)(t1.tv_sec - t0.tv_sec) +
			   (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
		ASSERT(!th_exists(at("d/mmbench-1G.dat")));
		ASSERT_EQ(count_temps(at("d")), 0);
		ASSERT(th_contains(at("err"), "stopped by signal"));
	}
	cleanup();
	return 0;
}

TEST_IMPL(testfile_stale_temps_swept)
{
	char dead_1m[128], dead_64k[128], live[128], other[128], shortx[128];
	bool created;
	pid_t dead = fork();

	if (dead == 0)
		_exit(0);
	ASSERT(dead > 0);
	ASSERT_EQ(th_wait(dead), 0);
	ASSERT_OK(setup());
	ASSERT_OK(mkdir(at("d"), 0700));
	snprintf(dead_1m, sizeof(dead_1m), "d/mmbench-1M.dat.%d.a1b2c3",
		 (int)dead);
	snprintf(dead_64k, sizeof(dead_64k), "d/mmbench-64K.dat.%d.zzzzzz",
		 (int)dead);
	/* Still running (our parent): kept. Not a test-file temp: kept. */
	snprintf(live, sizeof(live), "d/mmbench-1M.dat.%d.a1b2c3",
		 (int)getppid());
	snprintf(other, sizeof(other), "d/notes.txt.%d.a1b2c3", (int)dead);
	snprintf(shortx, sizeof(shortx), "d/mmbench-1M.dat.%d.abc", (int)dead);
	const char *all[] = {dead_1m, dead_64k, live, other, shortx};
	for (int i = 0; i < 5; i++)
		ASSERT_OK(write_file(at(all[i]), "x", 1, 0600));

	ASSERT_OK(prep(at("d/mmbench-1M.dat"), MiB, &created));
	ASSERT(!th_exists(at(dead_1m)));
	ASSERT(!th_exists(at(dead_64k)));
	ASSERT(th_exists(at(live)));
	ASSERT(th_exists(at(other)));
	ASSERT(th_exists(at(shortx)));
	cleanup();
	return 0;
}

/* SIGKILL cannot be caught: the temp file stays, and the next run
 * removes it. */
TEST_IMPL(testfile_cli_sigkill_temp_swept_next_run)
{
	ASSERT_OK(setup());
	ASSERT_OK(mkdir(at("d"), 0700));
	pid_t pid = start(at("d"), false, "run", "--size", "1G", "-w",
			  "random-4k", "-b", "pread", "--reps", "1", NULL);
	ASSERT(pid > 0);
	ASSERT(wait_temp(at("d"), 16 * (off_t)MiB));
	kill(pid, SIGKILL);
	ASSERT_EQ(th_wait(pid), 128 + SIGKILL);
	ASSERT_EQ(count_temps(at("d")), 1);
	ASSERT_EQ(RUN(at("d"), false, "run", "--size", "64K", "-w", "random-4k",
		      "-b", "pread", "--reps", "1", NULL),
		  0);
	ASSERT_EQ(count_temps(at("d")), 0);
	cleanup();
	return 0;
}

/* ---- item 4: a corrupted test file is not reused ------------------------ */

static bool holds_pattern(const char *path, uint64_t size)
{
	size_t n;
	unsigned char *got = (unsigned char *)th_slurp(path, &n);
	unsigned char *want = malloc(size);
	bool ok = got && want && n == size;

	if (ok) {
		mmb_pattern_fill(want, 0, size);
		ok = memcmp(got, want, size) == 0;
	}
	free(got);
	free(want);
	return ok;
}

TEST_IMPL(testfile_corrupted_file_not_reused)
{
	const uint64_t size = 4 * MiB;
	const char *path;
	bool created;
	int fd;

	ASSERT_OK(setup());
	ASSERT_OK(mkdir(at("d"), 0700));
	path = at("d/mmbench-4M.dat");
	ASSERT_OK(prep(path, size, &created));
	ASSERT(created);
	ASSERT_OK(prep(path, size, &created));
	ASSERT(!created);

	/* One byte of one page the old three-spot check never read. */
	fd = open(path, O_WRONLY);
	ASSERT(fd >= 0);
	ASSERT_EQ(pwrite(fd, "\0", 1, 5 * 4096 + 100), 1);
	close(fd);
	ASSERT_OK(prep(path, size, &created));
	ASSERT(created);
	ASSERT(holds_pattern(path, size));

	/* The same through a read run of the command line. */
	fd = open(path, O_WRONLY);
	ASSERT(fd >= 0);
	ASSERT_EQ(pwrite(fd, "\0", 1, 9 * 4096 + 100), 1);
	close(fd);
	ASSERT_EQ(RUN(at("d"), false, "run", "--size", "4M", "-w", "random-4k",
		      "-b", "pread", "--reps", "1", NULL),
		  0);
	ASSERT(holds_pattern(path, size));

	/* A hole, as --advice remove punches them. */
	fd = open(path, O_WRONLY);
	ASSERT(fd >= 0);
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      700 * 4096, 4096) < 0) {
		close(fd);
		SKIP("no hole punching on this file system: %s",
		     strerror(errno));
	}
	close(fd);
	ASSERT_OK(prep(path, size, &created));
	ASSERT(created);
	ASSERT(holds_pattern(path, size));
	cleanup();
	return 0;
}

TEST_IMPL(testfile_advice_remove_with_writes_refused)
{
	struct stat st;
	bool created;
	int fd;

	ASSERT_OK(setup());
	ASSERT_OK(mkdir(at("d"), 0700));
	ASSERT_EQ(RUN(at("d"), false, "run", "--size", "1M", "-w",
		      "random-write-4k", "-b", "mmap", "--advice", "remove",
		      "--reps", "1", NULL),
		  1);
	ASSERT(th_contains(at("err"), "punches holes"));
	ASSERT_EQ(th_count_lines(at("err")), 1);
	/* The file is whole: no hole, the pattern everywhere. */
	fd = open(at("d/mmbench-1M.dat"), O_RDONLY);
	ASSERT(fd >= 0);
	ASSERT_OK(fstat(fd, &st));
	ASSERT_EQ(lseek(fd, 0, SEEK_HOLE), (off_t)MiB);
	close(fd);
	ASSERT(holds_pattern(at("d/mmbench-1M.dat"), MiB));
	ASSERT_OK(prep(at("d/mmbench-1M.dat"), MiB, &created));
	ASSERT(!created);
	cleanup();
	return 0;
}
