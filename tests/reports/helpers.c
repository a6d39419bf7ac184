/* helpers.c - see helpers.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mmbench/report.h"
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

char *th_tmpdir(void)
{
	char tmpl[] = "/tmp/mmb-reports-XXXXXX";
	char *p;

	if (!mkdtemp(tmpl))
		return NULL;
	p = malloc(sizeof(tmpl));
	if (p)
		memcpy(p, tmpl, sizeof(tmpl));
	return p;
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
	if (path)
		nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
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

int th_write(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

int th_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

long th_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

int th_is_png(const char *path, long min_size)
{
	static const unsigned char magic[8] = {0x89, 'P',  'N',	 'G',
					       '\r', '\n', 0x1a, '\n'};
	unsigned char head[8];
	long size = th_size(path);
	FILE *f = fopen(path, "rb");
	int ok;

	if (!f) {
		fprintf(stderr, "%s: missing\n", path);
		return 0;
	}
	ok = fread(head, 1, 8, f) == 8 && memcmp(head, magic, 8) == 0;
	fclose(f);
	if (!ok || size < min_size)
		fprintf(stderr, "%s: not a PNG of >= %ld bytes (%ld bytes)\n",
			path, min_size, size);
	return ok && size >= min_size;
}

int th_is_svg(const char *path, long min_size)
{
	size_t len = 0;
	char *s = th_slurp(path, &len);
	int ok = s && strstr(s, "<svg") && strstr(s, "</svg>") &&
		 (long)len >= min_size;

	if (!ok)
		fprintf(stderr, "%s: not an SVG of >= %ld bytes (%zu)\n", path,
			min_size, len);
	free(s);
	return ok;
}

int th_contains(const char *path, const char *needle)
{
	char *s = th_slurp(path, NULL);
	int ok = s && strstr(s, needle);

	if (!ok)
		fprintf(stderr, "%s: does not contain \"%s\"\n", path, needle);
	free(s);
	return ok;
}

int th_has_entry_prefix(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int found = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			found = 1;
	closedir(d);
	return found;
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

int th_run(const char *const argv[], const char *out, const char *err,
	   const char *path_env, int timeout_s)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);

		if (in >= 0)
			dup2(in, STDIN_FILENO);
		if (redirect(out, STDOUT_FILENO) ||
		    redirect(err, STDERR_FILENO))
			_exit(125);
		/* A hung child (a browser) must not hang the suite. */
		alarm((unsigned)timeout_s);
		if (path_env)
			setenv("PATH", path_env, 1);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int th_in_path(const char *name)
{
	const char *p = getenv("PATH");
	char buf[4096];

	while (p && *p) {
		const char *c = strchr(p, ':');
		size_t n = c ? (size_t)(c - p) : strlen(p);

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, p, name);
		if (n && access(buf, X_OK) == 0)
			return 1;
		p = c ? c + 1 : NULL;
	}
	return 0;
}

void th_fmt_int(double v, char *buf, size_t n)
{
	char d[64];
	size_t len, o = 0;

	snprintf(d, sizeof(d), "%.0f", fabs(v));
	len = strlen(d);
	if (v < 0 && o + 1 < n)
		buf[o++] = '-';
	for (size_t i = 0; i < len && o + 2 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = d[i];
	}
	buf[o] = '\0';
}

int th_report_load(const char *path, struct mmb_report_results *r, char *err,
		   size_t errlen)
{
	struct mmb_results *res;
	int rc = mmb_results_load(path, &res);

	memset(r, 0, sizeof(*r));
	if (rc < 0) {
		mmb_results_errmsg(err, errlen);
		return rc;
	}
	rc = mmb_report_summarize(res, r);
	if (rc < 0) {
		mmb_report_results_free(r);
		snprintf(err, errlen, "%s: out of memory", path);
	}
	return rc;
}

int th_report(const char *const *files, int n, const char *out)
{
	char err[1024];
	int rc = mmb_report_write(files, n, out, err, sizeof(err));

	if (rc != 0)
		fprintf(stderr, "mmb_report_write: %s\n", err);
	return rc;
}
