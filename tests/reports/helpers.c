/* SPDX-License-Identifier: MIT */
/* helpers.c - see helpers.h. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/report.h"
#include <unistd.h>

#include "helpers.h"

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
