/* SPDX-License-Identifier: MIT */
/* --profile against perf record of the same run (issue 15): the largest
 * on-CPU category agrees, and its share within 10 points. perf's shares
 * cover the whole process (start-up, warming the cache, writing the
 * JSON), mmbench's the timed region only: the run is made long enough
 * (3 x 2M ops) that the rest is a few percent. perf's symbols go through
 * the same table (profile_map.c). */
#include <ftw.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmbench/result.h"
#include "mmbench/results.h"
#include "mmbench/workload.h"
#include "profile.h"
#include "fixture.h"
#include "test.h"

/* perf's on-CPU shares per category, from perf report --sort dso,sym. */
static int perf_shares(const char *report, double *share)
{
	FILE *f = fopen(report, "r");
	char line[1024];

	if (!f)
		return -1;
	memset(share, 0, sizeof(double) * MMB_PROF__COUNT);
	while (fgets(line, sizeof(line), f)) {
		double pct;
		char dso[256], mode[8], sym[512];
		if (sscanf(line, " %lf%% %255s %7s %511s", &pct, dso, mode,
			   sym) != 4)
			continue;
		const char *name = sym;
		bool kernel = strcmp(mode, "[k]") == 0;
		bool in_exe = strcmp(dso, "mmbench") == 0;
		if (strncmp(sym, "0x", 2) == 0)
			name = NULL;
		share[mmb__prof_categorize(&name, &kernel, 1, in_exe)] +=
		    pct / 100;
	}
	fclose(f);
	return 0;
}

/* mmbench's categories_oncpu of the backend's median entry, read with
 * the project's results loader. */
static int json_shares(const char *json, double *share)
{
	struct mmb_results *r = NULL;
	int rc = -1;

	if (mmb_results_load(json, &r) < 0)
		return -1;
	for (size_t i = 0; i < r->ne; i++) {
		const struct mmb_rval *p = mmb_rentry_get(&r->e[i], "profile");
		const struct mmb_rval *c =
		    p ? mmb_rval_get(p, "categories_oncpu") : NULL;
		if (!c)
			continue;
		for (unsigned k = 0; k < MMB_PROF__COUNT; k++) {
			const struct mmb_rval *v =
			    mmb_rval_get(c, mmb_prof_category_key(k));
			share[k] = v && v->type == MMB_RT_NUMBER ? v->num : 0;
		}
		rc = 0;
	}
	mmb_results_free(r);
	return rc;
}

static unsigned argmax(const double *v)
{
	unsigned best = 0;
	for (unsigned k = 1; k < MMB_PROF__COUNT; k++)
		if (v[k] > v[best])
			best = k;
	return best;
}

static int compare(const char *backend)
{
	char cmd[2048], json[160], data[160], report[160];
	double perf[MMB_PROF__COUNT], ours[MMB_PROF__COUNT];

	snprintf(json, sizeof(json), "%s/%s.json", kev_dir, backend);
	snprintf(data, sizeof(data), "%s/perf.data", kev_dir);
	snprintf(report, sizeof(report), "%s/report.txt", kev_dir);
	snprintf(cmd, sizeof(cmd),
		 "perf record -q -e cpu-clock -g -o %s -- " MMBENCH_EXE
		 " run -w random-4k -b %s --file %s --ops 2000000 "
		 "--reps 3 --no-warmup --profile --json %s >/dev/null 2>&1 && "
		 "perf report -i %s --stdio --no-children --sort dso,sym -q "
		 "-g none >%s 2>/dev/null",
		 data, backend, kev_path, json, data, report);
	ASSERT_OK(system(cmd));
	ASSERT_OK(perf_shares(report, perf));
	ASSERT_OK(json_shares(json, ours));
	unsigned p = argmax(perf), o = argmax(ours);
	fprintf(stderr,
		"%s: perf record: %s %.3f; mmbench --profile: %s %.3f\n",
		backend, mmb_prof_category_key(p), perf[p],
		mmb_prof_category_key(o), ours[o]);
	ASSERT_EQ(p, o);
	ASSERT(fabs(perf[p] - ours[o]) <= 0.10);
	return 0;
}

TEST_IMPL(profile_agrees_with_perf_record)
{
	bool created;

	if (geteuid() != 0)
		SKIP("not root: kernel frames need root");
	if (system("perf --version >/dev/null 2>&1") != 0)
		SKIP("no perf here (Debian: linux-perf)");
	snprintf(kev_dir, sizeof(kev_dir), "/var/tmp/mmb-perf-XXXXXX");
	ASSERT(mkdtemp(kev_dir) != NULL);
	snprintf(kev_path, sizeof(kev_path), "%s/data", kev_dir);
	ASSERT_OK(
	    mmb_testfile_prepare(kev_path, 64 * MiB, NULL, &created, NULL));
	int rc = compare("pread");
	if (rc == 0)
		rc = compare("mmap");
	kev_cleanup();
	return rc;
}
