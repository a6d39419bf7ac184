/* test_real.c - the gate on real `mmbench run` output.
 *
 * Same build, same file, two runs of 5 repetitions: on a 2-core VM the
 * medians of one backend move by up to +80% between runs (measured:
 * repetitions inside one run are alike, runs are not), so this gates the
 * time with a generous --threshold 400 and checks the deterministic
 * counters exactly (bytes_read, pages_touched: same seed, same ops). The
 * injected regression multiplies one backend's times by 10 in a copy of a
 * real file; the gate must name exactly that backend. */
#include <math.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "synth.h"
#include "test.h"

int cli_run(const char *dir, const char *const *args, char *out, size_t n);

static char dir[256], out[65536];

static const char *p(const char *name, char *buf)
{
	snprintf(buf, 300, "%s/%s", dir, name);
	return buf;
}

static int real_run(const char *json)
{
	const char *args[] = {"run",	    "--size", "16M", "--ops",
			      "20000",	    "--reps", "5",   "-b",
			      "pread,mmap", "--json", json,  NULL};
	return cli_run(dir, args, out, sizeof(out));
}

TEST_IMPL(real_same_build)
{
	char a[300], b[300];
	ASSERT_OK(synth_tmpdir(dir, sizeof(dir)));
	setenv("MMBENCH_DATA_DIR", dir, 1);
	ASSERT_EQ(real_run(p("a.json", a)), 0);
	ASSERT_EQ(real_run(p("b.json", b)), 0);
	const char *cmp[] = {"compare",
			     "--threshold",
			     "400",
			     "--counter",
			     "bytes_read:0%",
			     "--counter",
			     "pages_touched:0%",
			     a,
			     b,
			     NULL};
	ASSERT_EQ(cli_run(dir, cmp, out, sizeof(out)), 0);
	ASSERT(strstr(out, "random-4k/pread"));
	ASSERT(strstr(out, "random-4k/mmap"));
	ASSERT(strstr(out, "5/5"));
	ASSERT(!strstr(out, "COUNTER REGRESSION"));
	synth_rmdir(dir);
	return 0;
}

/* Multiply real_time and cpu_time of every entry of `backend` by f. */
static int scale_backend(const char *src, const char *dst, const char *backend,
			 double f)
{
	FILE *in = fopen(src, "r");
	if (!in)
		return -1;
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof(buf) - 1, in);
	fclose(in);
	buf[n] = '\0';
	cJSON *root = cJSON_Parse(buf);
	if (!root)
		return -1;
	cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(root, "benchmarks"))
	{
		const char *be =
		    cJSON_GetStringValue(cJSON_GetObjectItem(e, "backend"));
		if (!be || strcmp(be, backend) != 0)
			continue;
		cJSON *t = cJSON_GetObjectItem(e, "real_time");
		if (cJSON_IsNumber(t))
			cJSON_SetNumberValue(t, t->valuedouble * f);
	}
	char *text = cJSON_Print(root);
	cJSON_Delete(root);
	int rc = text ? synth_text(dst, text) : -1;
	cJSON_free(text);
	return rc;
}

TEST_IMPL(real_injected_regression)
{
	char a[300], b[300];
	ASSERT_OK(synth_tmpdir(dir, sizeof(dir)));
	setenv("MMBENCH_DATA_DIR", dir, 1);
	ASSERT_EQ(real_run(p("a.json", a)), 0);
	ASSERT_OK(scale_backend(a, p("slow.json", b), "mmap", 10.0));
	const char *cmp[] = {"compare", "--threshold", "200", a, b, NULL};
	ASSERT_EQ(cli_run(dir, cmp, out, sizeof(out)), 1);
	/* the mmap row is the regression, the pread row is identical */
	char *m = strstr(out, "random-4k/mmap");
	char *r = strstr(out, "random-4k/pread");
	ASSERT(m && r);
	char *eol = strchr(m, '\n');
	ASSERT(eol);
	*eol = '\0';
	ASSERT(strstr(m, "REGRESSION"));
	ASSERT(strstr(m, "+900.0%"));
	*eol = '\n';
	eol = strchr(r, '\n');
	ASSERT(eol);
	*eol = '\0';
	ASSERT(strstr(r, "+0.0%") && strstr(r, "same"));
	synth_rmdir(dir);
	return 0;
}
