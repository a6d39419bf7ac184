/* SPDX-License-Identifier: MIT */
/* posix/report_os.c - report_os.h on Linux: open_memstream, mkdir,
 * nftw, renameat2(RENAME_EXCHANGE), and gnuplot through fork + execlp.
 * A report here always has its plots: without gnuplot it is an error that
 * names the package. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* renameat2, nftw's FTW_DEPTH */
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../atomic_os.h"
#include "../report_os.h"
#include "../report_priv.h"

int mmb__membuf_open(struct mmb__membuf *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	return m->f ? 0 : MMB_ENOMEM;
}

int mmb__membuf_close(struct mmb__membuf *m)
{
	int rc = fclose(m->f);

	m->f = NULL;
	if (rc != 0) {
		int e = errno;
		free(m->buf);
		m->buf = NULL;
		errno = e;
		return -1;
	}
	return 0;
}

int mmb__dir_probe(const char *path, enum mmb__dir_state *state, char *err,
		   size_t errlen)
{
	struct dirent *de;
	struct stat st;
	DIR *dir;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT) {
			*state = MMB__DIR_ABSENT;
			return 0;
		}
		return mmb__report_err(err, errlen, -errno, "stat(%s): %s",
				       path, strerror(errno));
	}
	if (!S_ISDIR(st.st_mode)) {
		*state = MMB__DIR_NOT_DIR;
		return 0;
	}
	dir = opendir(path);
	if (!dir)
		return mmb__report_err(err, errlen, -errno, "opendir(%s): %s",
				       path, strerror(errno));
	*state = MMB__DIR_EMPTY;
	while ((de = readdir(dir)))
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			*state = MMB__DIR_FULL;
	closedir(dir);
	return 0;
}

/* mkdtemp with the mode left to the umask (0777 & ~umask, as mkdir -p
 * would make it), like every output (posix/atomic.c). */
int mmb__dir_mktemp(char *tmpl, char *err, size_t errlen)
{
	int rc = -1;

	for (int tries = 0; rc < 0 && tries < 100; tries++) {
		mmb__unique_suffix(tmpl);
		rc = mkdir(tmpl, 0777);
		if (rc < 0 && errno != EEXIST)
			break;
	}
	if (rc < 0)
		return mmb__report_err(err, errlen, -errno, "mkdir(%s): %s",
				       tmpl, strerror(errno));
	return 0;
}

int mmb__dir_make(const char *path, char *err, size_t errlen)
{
	if (mkdir(path, 0777) != 0)
		return mmb__report_err(err, errlen, -errno, "mkdir(%s): %s",
				       path, strerror(errno));
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (type == FTW_DP ? rmdir(path) : unlink(path)) ? -1 : 0;
}

void mmb__dir_remove(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A previous report is swapped out in one step (RENAME_EXCHANGE) and then
 * removed; file systems without it get two renames, with a short window
 * where dest is absent. */
int mmb__dir_install(const char *tmp, const char *dest, int dest_exists,
		     char *err, size_t errlen)
{
	char old[4096];

	if (!dest_exists) {
		/* rename() replaces an empty directory atomically and fails
		 * with ENOTEMPTY if something appeared there meanwhile. */
		if (rename(tmp, dest) != 0)
			return mmb__report_err(err, errlen, -errno,
					       "rename(%s, %s): %s", tmp, dest,
					       strerror(errno));
		return 0;
	}
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_EXCHANGE) == 0) {
		mmb__dir_remove(tmp);
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS)
		return mmb__report_err(err, errlen, -errno,
				       "renameat2(%s, %s, RENAME_EXCHANGE): %s",
				       tmp, dest, strerror(errno));
	snprintf(old, sizeof(old), "%s.old-XXXXXX", dest);
	if (!mkdtemp(old))
		return mmb__report_err(err, errlen, -errno, "mkdtemp(%s): %s",
				       old, strerror(errno));
	if (rename(dest, old) != 0) {
		int e = errno;

		rmdir(old);
		return mmb__report_err(err, errlen, -e, "rename(%s, %s): %s",
				       dest, old, strerror(e));
	}
	if (rename(tmp, dest) != 0) {
		int e = errno;

		/* Put the previous report back rather than lose it. */
		rename(old, dest);
		return mmb__report_err(err, errlen, -e, "rename(%s, %s): %s",
				       tmp, dest, strerror(e));
	}
	mmb__dir_remove(old);
	return 0;
}

int mmb__gnuplot_find(char *note, size_t notelen, char *err, size_t errlen)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (notelen)
		note[0] = '\0';
	while (path && *path) {
		const char *colon = strchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);

		/* An empty PATH element means the current directory. */
		if (len == 0)
			snprintf(buf, sizeof(buf), "./gnuplot");
		else
			snprintf(buf, sizeof(buf), "%.*s/gnuplot", (int)len,
				 path);
		if (access(buf, X_OK) == 0)
			return 0;
		path = colon ? colon + 1 : NULL;
	}
	return mmb__report_err(err, errlen, MMB_ENOENT,
			       "gnuplot not found in PATH: install the "
			       "gnuplot-nox package (apt-get install "
			       "gnuplot-nox, or scripts/deps.sh report)");
}

/* gnuplot's stderr goes to a pipe so a failure can quote gnuplot's own
 * message. */
int mmb__gnuplot_run(const char *plotdir, const char *script, char *err,
		     size_t errlen)
{
	char msg[512] = "";
	int errpipe[2], execpipe[2], status, exec_errno = 0;
	size_t mlen = 0;
	pid_t pid;
	ssize_t got;

	if (pipe2(errpipe, O_CLOEXEC) != 0)
		return mmb__report_err(err, errlen, -errno, "pipe2: %s",
				       strerror(errno));
	if (pipe2(execpipe, O_CLOEXEC) != 0) {
		int e = errno;

		close(errpipe[0]);
		close(errpipe[1]);
		return mmb__report_err(err, errlen, -e, "pipe2: %s",
				       strerror(e));
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(errpipe[0]);
		close(errpipe[1]);
		close(execpipe[0]);
		close(execpipe[1]);
		return mmb__report_err(err, errlen, -e, "fork: %s",
				       strerror(e));
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);
		int e;

		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDOUT_FILENO);
		}
		dup2(errpipe[1], STDERR_FILENO);
		if (chdir(plotdir) == 0)
			execlp("gnuplot", "gnuplot", script, (char *)NULL);
		/* The exec pipe is close-on-exec: any byte means failure. */
		e = errno;
		if (write(execpipe[1], &e, sizeof(e)) < 0)
			_exit(126);
		_exit(127);
	}
	close(errpipe[1]);
	close(execpipe[1]);
	while ((got = read(errpipe[0], msg + mlen, sizeof(msg) - 1 - mlen)) >
		   0 ||
	       (got < 0 && errno == EINTR)) {
		if (got > 0)
			mlen += (size_t)got;
		if (mlen == sizeof(msg) - 1) {
			/* Keep draining so gnuplot never blocks on us. */
			char sink[512];

			while (read(errpipe[0], sink, sizeof(sink)) > 0)
				;
			break;
		}
	}
	msg[mlen] = '\0';
	if (read(execpipe[0], &exec_errno, sizeof(exec_errno)) <= 0)
		exec_errno = 0;
	close(errpipe[0]);
	close(execpipe[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return mmb__report_err(err, errlen, -errno,
					       "waitpid(gnuplot): %s",
					       strerror(errno));
	if (exec_errno == ENOENT)
		return mmb__report_err(err, errlen, MMB_ENOENT,
				       "gnuplot not found in PATH: install "
				       "the gnuplot-nox package");
	if (exec_errno)
		return mmb__report_err(err, errlen, -exec_errno,
				       "exec gnuplot %s (in %s): %s", script,
				       plotdir, strerror(exec_errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		/* gnuplot's messages span lines; keep them on one. */
		for (char *p = msg; *p; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		if (WIFEXITED(status))
			return mmb__report_err(err, errlen, MMB_EIO,
					       "gnuplot %s (in %s) exited with "
					       "status %d: %s",
					       script, plotdir,
					       WEXITSTATUS(status), msg);
		return mmb__report_err(err, errlen, MMB_EIO,
				       "gnuplot %s (in %s) killed by signal "
				       "%d",
				       script, plotdir, WTERMSIG(status));
	}
	return 0;
}
