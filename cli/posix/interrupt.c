/* SPDX-License-Identifier: MIT */
/* posix/interrupt.c - Ctrl-C on Linux (commands.h): the first SIGINT or
 * SIGTERM sets the flag the runner polls (mmb_run_opts.stop), so the
 * repetition under way ends with what it did and the results are written,
 * marked partial; a second one cleans up at once (the memory cgroup
 * registered, the temp files registered, the child `mmbench run` told
 * twice, the report directory being built removed) and exits with 128 +
 * signal, after the output being written, if any, is in place
 * (cli/interrupt.c). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* getdents64 */
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "interrupt_os.h"
#include "mmbench/pressure.h"

/* Written outside handlers only while signals cannot find it
 * half-written: the pointer is published last. */
static const struct mmb_cgroup *volatile registered;
/* The child `mmbench run` of a sweep or experiment, 0 when none. */
static volatile pid_t child;
/* The report directory being built (mmb__interrupt_os_tree). */
static const char *volatile tree;

void mmb__interrupt_os_tree(const char *path)
{
	tree = path;
}

/* name in dirfd, a file or a tree at most depth directories deep. With
 * only async-signal-safe calls (openat, getdents64, unlinkat, close):
 * readdir and nftw may allocate. Entries removed while the directory is
 * read can make getdents64 skip others, and gnuplot may still be adding
 * plots: read it again until it can be removed (a removed directory
 * takes no new entries). */
static void rm_at(int dirfd, const char *name, int depth)
{
	if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
		return;
	if ((errno != EISDIR && errno != EPERM) || depth == 0)
		return;
	for (int tries = 0; tries < 100; tries++) {
		_Alignas(struct dirent64) char buf[2048];
		ssize_t n;
		int fd =
		    openat(dirfd, name,
			   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		if (fd < 0)
			return;
		while ((n = getdents64(fd, buf, sizeof(buf))) > 0)
			for (ssize_t o = 0; o < n;) {
				struct dirent64 *d = (void *)(buf + o);
				const char *e = d->d_name;

				o += d->d_reclen;
				if (e[0] == '.' &&
				    (!e[1] || (e[1] == '.' && !e[2])))
					continue;
				rm_at(fd, e, depth - 1);
			}
		close(fd);
		if (unlinkat(dirfd, name, AT_REMOVEDIR) == 0 ||
		    errno != ENOTEMPTY)
			return;
	}
}

void mmb__interrupt_os_rmtree(const char *path)
{
	/* A report is DIR/plots/FILE: a few levels spare. */
	rm_at(AT_FDCWD, path, 6);
}

void mmb__interrupt_os_remove(const char *path, bool dir)
{
	if (dir)
		rmdir(path);
	else
		unlink(path);
}

/* Only async-signal-safe calls here: open, write, close, rmdir, unlink,
 * getpid, kill, _exit, and rm_at's. */
void mmb__interrupt_os_exit(int sig)
{
	const struct mmb_cgroup *cg = registered;
	pid_t c = child;

	/* Two signals make the child clean up its own cgroup and temp files
	 * at once, as this process does; killing it outright would leave
	 * them behind. Different signals, so neither is merged away. */
	if (c > 0) {
		kill(c, SIGINT);
		kill(c, SIGTERM);
	}

	if (cg && cg->version) {
		char pid[24], *p = pid + sizeof(pid);
		long v = (long)getpid();
		*--p = 0;
		do
			*--p = (char)('0' + v % 10);
		while ((v /= 10) > 0);
		int fd = open(cg->home_procs, O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			ssize_t w = write(fd, p, strlen(p));
			(void)w;
			close(fd);
		}
		for (int i = 0; i < 100 && rmdir(cg->dir) < 0 && errno == EBUSY;
		     i++)
			;
	}
	mmb__interrupt_remove_temps();
	if (tree)
		mmb__interrupt_os_rmtree(tree);
	_exit(128 + sig);
}

static void on_signal(int sig)
{
	int saved = errno;

	if (mmb__got_signal && !mmb__interrupt_defer(sig))
		mmb__interrupt_os_exit(sig);
	if (!mmb__got_signal)
		mmb__got_signal = sig;
	errno = saved;
}

void mmb_interrupt_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	/* SIGINT and SIGTERM arriving together must count as two: without
	 * the mask the second runs inside the first before it has set the
	 * flag, and both only set it. */
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	/* Restart reads and writes: the first signal only asks the run to
	 * stop after the repetition under way. */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int mmb_interrupt_cgroup_create(struct mmb_cgroup *cg, uint64_t limit)
{
	sigset_t block, old;
	int rc;

	/* Held back until the cgroup is registered, so a second signal
	 * during its creation still removes it. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	rc = mmb_cgroup_create(cg, limit);
	if (rc == 0)
		registered = cg;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

int mmb_interrupt_cgroup_remove(struct mmb_cgroup *cg)
{
	int rc = mmb_cgroup_remove(cg);

	/* Still registered when it could not be removed: a second signal
	 * tries again. */
	if (rc == 0 && registered == cg)
		registered = NULL;
	return rc;
}

void mmb_interrupt_child(long pid)
{
	child = (pid_t)pid;
}
