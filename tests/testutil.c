/* SPDX-License-Identifier: MIT */
/* testutil.c - see testutil.h. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

int th_mkdtemp(char *buf, size_t len, const char *tag)
{
	const char *base = getenv("TMPDIR");

	snprintf(buf, len, "%s/mmb-%s-XXXXXX", base && *base ? base : "/tmp",
		 tag);
	if (!mkdtemp(buf)) {
		fprintf(stderr, "mkdtemp(%s): %s\n", buf, strerror(errno));
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

char *th_tmpdir(const char *tag)
{
	char buf[4096];

	return th_mkdtemp(buf, sizeof(buf), tag) == 0 ? strdup(buf) : NULL;
}

static int rm_entry(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

void th_rmtree(const char *path)
{
	if (path && *path)
		nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void th_tmpdir_free(char *dir)
{
	th_rmtree(dir);
	free(dir);
}

char *th_path(const char *dir, const char *name)
{
	static char buf[8][4096];
	static unsigned k;
	char *p = buf[k++ % 8];

	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

char *th_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;
	char *p;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	p = malloc((size_t)n + 1);
	if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	if (!p)
		return NULL;
	p[n] = '\0';
	if (len)
		*len = (size_t)n;
	return p;
}

void th_slurp_into(const char *path, char *buf, size_t n)
{
	char *text = th_slurp(path, NULL);

	snprintf(buf, n, "%s", text ? text : "");
	free(text);
}

int th_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

long th_read_long(const char *path)
{
	FILE *fp = fopen(path, "re");
	long v = -1;

	if (fp) {
		if (fscanf(fp, "%ld", &v) != 1)
			v = -1;
		fclose(fp);
	}
	return v;
}

int th_write_long(const char *path, long v)
{
	FILE *fp = fopen(path, "we");
	int ok;

	if (!fp)
		return -1;
	ok = fprintf(fp, "%ld\n", v) > 0;
	return fclose(fp) == 0 && ok ? 0 : -1;
}

bool th_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

long th_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

int th_count_lines(const char *path)
{
	char *s = th_slurp(path, NULL);
	int n = 0;

	if (!s)
		return -1;
	for (const char *c = s; *c; c++)
		n += *c == '\n';
	free(s);
	return n;
}

bool th_contains(const char *path, const char *needle)
{
	char *s = th_slurp(path, NULL);
	bool ok = s && strstr(s, needle);

	if (!ok)
		fprintf(stderr, "%s lacks \"%s\": %s\n", path, needle,
			s ? s : "(unreadable)");
	free(s);
	return ok;
}

static int redirect(const char *path, int fd)
{
	int f =
	    open(path ? path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (f < 0)
		return -1;
	if (dup2(f, fd) < 0)
		return -1;
	close(f);
	return 0;
}

pid_t th_spawn(const char *const argv[], const char *out, const char *err,
	       void (*child)(void *arg), void *arg)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid != 0)
		return pid;
	int in = open("/dev/null", O_RDONLY);

	if (in >= 0)
		dup2(in, STDIN_FILENO);
	if (redirect(out, STDOUT_FILENO) < 0)
		_exit(125);
	if (out && err && strcmp(out, err) == 0
		? dup2(1, 2) < 0
		: redirect(err, STDERR_FILENO) < 0)
		_exit(125);
	if (child)
		child(arg);
	execvp(argv[0], (char *const *)argv);
	_exit(127);
}

int th_wait(pid_t pid)
{
	int status;

	if (pid < 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

struct run_env {
	const char *path_env;
	int timeout_s;
};

static void run_child(void *arg)
{
	const struct run_env *e = arg;

	/* A hung child (a browser) must not hang the suite. */
	if (e->timeout_s > 0)
		alarm((unsigned)e->timeout_s);
	if (e->path_env)
		setenv("PATH", e->path_env, 1);
}

int th_run(const char *const argv[], const char *out, const char *err,
	   const char *path_env, int timeout_s)
{
	struct run_env e = {path_env, timeout_s};

	return th_wait(th_spawn(argv, out, err, run_child, &e));
}

const char **th_argv(const char **argv, size_t max, const char *exe,
		     const char *first, va_list *ap)
{
	size_t n = 0;

	argv[n++] = exe;
	for (const char *a = first; a && n + 1 < max;
	     a = va_arg(*ap, const char *))
		argv[n++] = a;
	argv[n] = NULL;
	return argv;
}
