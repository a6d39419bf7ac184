/* SPDX-License-Identifier: MIT */
/* util.c - the subcommands' number parsing and formatting: the shared
 * parser and formatter of mmbench/units.h (reports/units.c) under the
 * names the subcommands use; the checks of output paths before
 * anything runs (commands.h); the report of one results file kept with
 * its page (stage.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "stage.h"
#include "mmbench/report.h"
#include "mmbench/results.h"
#include "mmbench/units.h"

int mmb_cli_u64(const char *s, bool suffix, uint64_t *out)
{
	return mmb_parse_u64(s, suffix, out);
}

int mmb_cli_double(const char *s, double *out)
{
	return mmb_parse_double(s, false, out);
}

const char *mmb_cli_bytes(uint64_t v, char *buf, size_t n)
{
	return mmb_fmt_bytes((double)v, MMB_FMT_EXACT, buf, n);
}

/* b is a, or inside the directory a. */
static bool same_or_under(const struct mmb_cli_path_id *a, bool dir,
			  const struct mmb_cli_path_id *b)
{
	size_t n = strlen(a->full);

	if (a->exists && b->exists && a->dev == b->dev && a->ino == b->ino)
		return true;
	if (strcmp(a->full, b->full) == 0)
		return true;
	return dir && n > 0 && strncmp(a->full, b->full, n) == 0 &&
	       (b->full[n] == '/' || b->full[n] == '\\');
}

int mmb_cli_distinct_paths(const char *cmd, const struct mmb_cli_path *p,
			   unsigned n)
{
	struct mmb_cli_path_id *id = calloc(n ? n : 1, sizeof(*id));
	int rc = 0;

	if (!id) {
		fprintf(stderr, "mmbench %s: out of memory\n", cmd);
		return MMB_EXIT_FAIL;
	}
	for (unsigned i = 0; i < n; i++)
		if (p[i].path)
			mmb_cli_path_id(p[i].path, &id[i]);
	for (unsigned i = 0; i < n && !rc; i++)
		for (unsigned k = i + 1; k < n && !rc; k++) {
			const struct mmb_cli_path *a = &p[i], *b = &p[k];
			if (!a->path || !b->path ||
			    (a->role == MMB_CLI_PATH_IN &&
			     b->role == MMB_CLI_PATH_IN))
				continue;
			/* The later one in the message: the one to change. */
			if (same_or_under(&id[i], a->role == MMB_CLI_PATH_DIR,
					  &id[k]) ||
			    same_or_under(&id[k], b->role == MMB_CLI_PATH_DIR,
					  &id[i]))
				rc = mmb_cli_usage_error(
				    cmd, "%s %s and %s %s %s", b->opt, b->path,
				    a->opt, a->path,
				    strcmp(id[i].full, id[k].full) == 0 ||
					    (id[i].exists && id[k].exists &&
					     id[i].dev == id[k].dev &&
					     id[i].ino == id[k].ino)
					? "are the same file"
					: "overlap (one is inside the other's "
					  "directory)");
		}
	free(id);
	return rc;
}

int mmb_cli_check_report(const char *cmd, const char *dir)
{
	char err[1024];

	if (mmb_report_check_dest(dir, err, sizeof(err)) < 0) {
		fprintf(stderr, "mmbench %s: --report %s: %s\n", cmd, dir, err);
		return MMB_EXIT_USAGE;
	}
	return 0;
}

struct one_page {
	const char *json, *keep;
	const char *dir; /* the report's final name, for the page */
};

static int one_page(void *ctx, const char *outdir, char *err, size_t errlen)
{
	const struct one_page *p = ctx;
	char shown[4200], dst[4200];
	const char *mf[1] = {p->json}, *ms[1] = {NULL};

	if (p->keep) {
		snprintf(shown, sizeof(shown), "%s/%s", p->dir, p->keep);
		ms[0] = shown;
	}
	int rc = mmb_report_write_as(mf, ms, 1, outdir, err, errlen);
	if (rc < 0 || !p->keep)
		return rc;
	snprintf(dst, sizeof(dst), "%s/%s", outdir, p->keep);
	if ((rc = mmb_results_copy(p->json, dst)) < 0) {
		char msg[512];
		snprintf(err, errlen, "%s: %s", dst,
			 mmb_results_errmsg(msg, sizeof(msg)));
	}
	return rc;
}

int mmb_cli_stage_one(const char *dir, const char *json, const char *keep,
		      char *err, size_t errlen)
{
	struct one_page p = {json, keep, dir};

	return mmb_cli_stage_report(dir, one_page, &p, err, errlen);
}
