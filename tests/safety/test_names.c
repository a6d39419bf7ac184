/* SPDX-License-Identifier: MIT */
/* test_names.c - untrusted results files (issue 20, items 10 and 12): a
 * benchmark's name reaches Markdown and the terminal escaped, times that
 * are not positive and duplicate entries are refused, every reader gives
 * the same answer about a bad file, and matching by name stays linear. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "mmbench/compare.h"
#include "mmbench/results.h"
#include "nameidx.h"
#include "safety.h"
#include "test.h"
#include "testutil.h"

/* A results file: benchmark names[i] (JSON-escaped already) with reps
 * iterations at base_ns (+ i), then extra entries (JSON text, may be ""). */
static int write_results(const char *path, const char *const *names, int n,
			 int reps, double base_ns, const char *extra)
{
	FILE *f = fopen(path, "w");
	const char *sep = "";

	if (!f)
		return -1;
	fprintf(f, "{\"context\": {\"mmbench_version\": \"t\"}, "
		   "\"benchmarks\": [\n");
	for (int i = 0; i < n; i++)
		for (int r = 0; r < reps; r++) {
			double t = base_ns + i + r * 0.01;
			fprintf(f,
				"%s{\"name\": \"%s\", \"run_name\": \"%s\", "
				"\"run_type\": \"iteration\", "
				"\"repetition_index\": %d, \"real_time\": %g, "
				"\"cpu_time\": %g, \"time_unit\": \"ns\"}",
				sep, names[i], names[i], r, t, t);
			sep = ",\n";
		}
	if (*extra)
		fprintf(f, "%s%s", sep, extra);
	fprintf(f, "\n]}\n");
	return fclose(f);
}

static int put_text(const char *path, const char *text)
{
	return th_write(path, text, strlen(text));
}

#define EVIL "evil\\n## injected\\n<img src=x onerror=alert(1)>|`x"
#define SKIPPED                                                           \
	"{\"name\": \"gone\", \"run_type\": \"iteration\", \"skipped\": " \
	"true, "                                                          \
	"\"error_occurred\": true, \"error_message\": \"<img src=y "      \
	"onerror=alert(2)>\\n# heading\"}"

TEST_IMPL(names_escaped_markdown)
{
	const char *names[] = {"ok/a", EVIL, "gone"};
	char md[300], *s, *line;

	ASSERT_OK(sf_setup());
	ASSERT_OK(write_results(sf_in("a.json"), names, 3, 5, 1000, ""));
	ASSERT_OK(write_results(sf_in("b.json"), names, 2, 5, 1000, SKIPPED));
	snprintf(md, sizeof(md), "%s", sf_in("c.md"));
	ASSERT_EQ(sf_run("compare", "--markdown", md, sf_in("a.json"),
			 sf_in("b.json"), NULL),
		  0);
	s = th_slurp(md, NULL);
	ASSERT(s);
	fprintf(stderr, "%s", s);
	/* no HTML outside a code span, no line the name started */
	ASSERT(!strstr(s, "<img src=y"));
	ASSERT(strstr(s, "&lt;img src=y"));
	int rows = 0;
	for (line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
		ASSERT(line[0] != '<');
		ASSERT(strncmp(line, "## ", 3) != 0);
		ASSERT(strncmp(line, "# ", 2) != 0);
		if (strstr(line, "injected")) {
			/* the whole name in one cell of one row */
			ASSERT(strncmp(line, "| ", 2) == 0);
			ASSERT(strstr(line, "\\|"));
			ASSERT(strstr(line, "<img src=x") > strchr(line, '`'));
			ASSERT(line[strlen(line) - 1] == '|');
			rows++;
		}
	}
	ASSERT_EQ(rows, 1);
	free(s);
	sf_cleanup();
	return 0;
}

/* No terminal control character in the file: C0 but newline, DEL, and
 * C1 (U+0080..U+009F) as UTF-8. */
static bool printable(const char *path)
{
	size_t n;
	unsigned char *s = (unsigned char *)th_slurp(path, &n);
	bool ok = s != NULL;

	for (size_t i = 0; ok && i < n; i++)
		if ((s[i] < 0x20 && s[i] != '\n') || s[i] == 0x7f ||
		    (s[i] == 0xc2 && i + 1 < n && s[i + 1] >= 0x80 &&
		     s[i + 1] <= 0x9f)) {
			fprintf(stderr, "%s: byte 0x%02x at %zu\n", path, s[i],
				i);
			ok = false;
		}
	free(s);
	return ok;
}

TEST_IMPL(names_escaped_terminal)
{
	const char *names[] = {"esc\\u001b[2J\\u001b]0;title\\u0007/x",
			       "cr\\rover\\u0085/y", "tab\\tb/z"};

	ASSERT_OK(sf_setup());
	ASSERT_OK(write_results(sf_in("a.json"), names, 3, 5, 1000, ""));
	ASSERT_OK(write_results(sf_in("b.json"), names, 2, 5, 1000, ""));
	ASSERT_EQ(sf_run("compare", sf_in("a.json"), sf_in("b.json"), NULL), 0);
	ASSERT(th_contains(sf_in("out"), "2J"));
	ASSERT(printable(sf_in("out")));
	ASSERT(printable(sf_in("err")));
	/* error messages name the entry: escaped too */
	ASSERT_OK(put_text(sf_in("bad.json"),
			   "{\"benchmarks\": [{\"name\": \"e\\u001b[31m\", "
			   "\"run_type\": \"iteration\", \"real_time\": "
			   "\"fast\", \"time_unit\": \"ns\"}]}"));
	ASSERT_EQ(sf_run("compare", sf_in("a.json"), sf_in("bad.json"), NULL),
		  2);
	ASSERT(th_contains(sf_in("err"), "[31m"));
	ASSERT(printable(sf_in("err")));
	sf_cleanup();
	return 0;
}

/* Bad files, each refused by every reader: compare (against a good file,
 * on either side) and report exit 2 with the same message. */
static const struct {
	const char *what, *text, *want;
} bad_files[] = {
    {"negative real_time",
     "{\"benchmarks\": [{\"name\": \"n\", \"run_type\": \"iteration\", "
     "\"real_time\": -1, \"cpu_time\": 5, \"time_unit\": \"ns\"}]}",
     "real_time"},
    {"zero real_time",
     "{\"benchmarks\": [{\"name\": \"n\", \"run_type\": \"iteration\", "
     "\"real_time\": 0, \"cpu_time\": 5, \"time_unit\": \"ns\"}]}",
     "real_time"},
    {"negative cpu_time",
     "{\"benchmarks\": [{\"name\": \"n\", \"run_type\": \"iteration\", "
     "\"real_time\": 5, \"cpu_time\": -3, \"time_unit\": \"ns\"}]}",
     "cpu_time"},
    {"negative median",
     "{\"benchmarks\": [{\"name\": \"n_median\", \"run_name\": \"n\", "
     "\"run_type\": \"aggregate\", \"aggregate_name\": \"median\", "
     "\"real_time\": -7, \"cpu_time\": 5, \"time_unit\": \"ns\"}]}",
     "real_time"},
    {"duplicate repetition",
     "{\"benchmarks\": [{\"name\": \"n\", \"run_type\": \"iteration\", "
     "\"repetition_index\": 0, \"real_time\": 5, \"cpu_time\": 5}, "
     "{\"name\": \"m\", \"run_type\": \"iteration\", "
     "\"repetition_index\": 0, \"real_time\": 5, \"cpu_time\": 5}, "
     "{\"name\": \"n\", \"run_type\": \"iteration\", "
     "\"repetition_index\": 0, \"real_time\": 5, \"cpu_time\": 5}]}",
     "duplicate"},
    {"duplicate median",
     "{\"benchmarks\": [{\"name\": \"n_median\", \"run_name\": \"n\", "
     "\"run_type\": \"aggregate\", \"aggregate_name\": \"median\", "
     "\"real_time\": 5, \"cpu_time\": 5}, "
     "{\"name\": \"n_median\", \"run_name\": \"n\", "
     "\"run_type\": \"aggregate\", \"aggregate_name\": \"median\", "
     "\"real_time\": 9, \"cpu_time\": 9}]}",
     "duplicate"},
    {"trailing garbage",
     "{\"benchmarks\": [{\"name\": \"n\", \"real_time\": 5}]}\n"
     "garbage\n",
     "after the JSON value"},
    {"second document",
     "{\"benchmarks\": [{\"name\": \"n\", \"real_time\": 5}]}"
     "{\"benchmarks\": []}",
     "after the JSON value"},
};

/* stderr less its "mmbench CMD: " prefix, into buf. */
static const char *reason(char *buf, size_t n)
{
	const char *e = sf_err(), *c = strstr(e, ": ");
	snprintf(buf, n, "%s", c ? c + 2 : e);
	return buf;
}

TEST_IMPL(times_positive_and_no_duplicates)
{
	const char *names[] = {"n", "m"};

	ASSERT_OK(sf_setup());
	ASSERT_OK(write_results(sf_in("good.json"), names, 2, 5, 1000, ""));
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		ASSERT_OK(put_text(sf_in("bad.json"), bad_files[i].text));
		int rc = sf_run("compare", sf_in("good.json"),
				sf_in("bad.json"), NULL);
		if (rc != 2 || !strstr(sf_err(), bad_files[i].want))
			fprintf(stderr, "%s: exit %d: %s\n", bad_files[i].what,
				rc, sf_err());
		ASSERT_EQ(rc, 2);
		ASSERT(strstr(sf_err(), bad_files[i].want));
		ASSERT(strstr(sf_err(), "bad.json"));
		ASSERT_EQ(th_count_lines(sf_in("err")), 1);
	}
	/* an entry without ops (a repetition interrupted at once) is not a
	 * time, and is left out rather than refused */
	ASSERT_OK(put_text(
	    sf_in("zero-ops.json"),
	    "{\"benchmarks\": [{\"name\": \"n\", \"run_type\": "
	    "\"iteration\", \"repetition_index\": 0, \"iterations\": 0, "
	    "\"interrupted\": true, \"real_time\": 0, \"cpu_time\": 0}, "
	    "{\"name\": \"n\", \"run_type\": \"iteration\", "
	    "\"repetition_index\": 1, \"iterations\": 10, \"real_time\": 5, "
	    "\"cpu_time\": 5}]}"));
	struct mmb_results *r;
	ASSERT_OK(mmb_results_load(sf_in("zero-ops.json"), &r));
	ASSERT_EQ(r->nb, 1);
	ASSERT_EQ(r->b[0].nreps, 1);
	mmb_results_free(r);
	sf_cleanup();
	return 0;
}

TEST_IMPL(readers_agree)
{
	const char *names[] = {"n"};
	char a[512], b[512];

	ASSERT_OK(sf_setup());
	ASSERT_OK(write_results(sf_in("good.json"), names, 1, 5, 1000, ""));
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		ASSERT_OK(put_text(sf_in("bad.json"), bad_files[i].text));
		int rc1 = sf_run("compare", sf_in("bad.json"),
				 sf_in("good.json"), NULL);
		reason(a, sizeof(a));
		int rc2 = sf_run("report", sf_in("bad.json"), "-o",
				 sf_in("rep"), NULL);
		reason(b, sizeof(b));
		if (rc1 != rc2 || strcmp(a, b) != 0)
			fprintf(stderr, "%s: compare %d '%s', report %d '%s'\n",
				bad_files[i].what, rc1, a, rc2, b);
		ASSERT_EQ(rc1, 2);
		ASSERT_EQ(rc2, 2);
		ASSERT(strcmp(a, b) == 0);
		ASSERT(!th_exists(sf_in("rep")));
	}
	sf_cleanup();
	return 0;
}

#define NBENCH 100000

/* NBENCH benchmarks of one repetition each, as an 8 MB file. */
int sf_write_many(const char *path, double t)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "{\"benchmarks\": [\n");
	for (int i = 0; i < NBENCH; i++)
		fprintf(f,
			"%s{\"name\": \"family/bench:%06d\", \"real_time\": "
			"%g, \"cpu_time\": %g, \"time_unit\": \"ns\"}",
			i ? ",\n" : "", i, t + i % 7, t + i % 7);
	fprintf(f, "\n]}\n");
	return fclose(f);
}

TEST_IMPL(compare_linear)
{
	struct mmb_results *a, *b;
	struct mmb_comparison *c;
	struct mmb_compare_opts o = {.threshold = 0.1, .alpha = 0.05};

	ASSERT_OK(sf_setup());
	ASSERT_OK(sf_write_many(sf_in("a.json"), 100));
	ASSERT_OK(sf_write_many(sf_in("b.json"), 100));
	mmb__nameidx_compares = 0;
	ASSERT_OK(mmb_results_load(sf_in("a.json"), &a));
	ASSERT_OK(mmb_results_load(sf_in("b.json"), &b));
	ASSERT_EQ(a->nb, NBENCH);
	ASSERT_OK(mmb_compare(a, b, &o, &c));
	ASSERT_EQ(c->nrows, NBENCH);
	/* Four lookups per benchmark (one per load, two matching); a
	 * linear search would make about NBENCH^2 / 2 comparisons. */
	fprintf(stderr, "%llu name comparisons for %d benchmarks\n",
		mmb__nameidx_compares, NBENCH);
	ASSERT(mmb__nameidx_compares <= 8ull * NBENCH);
	mmb_comparison_free(c);
	mmb_results_free(a);
	mmb_results_free(b);
	/* and the command, end to end */
	ASSERT_EQ(sf_run("compare", sf_in("a.json"), sf_in("b.json"), NULL), 0);
	ASSERT(th_contains(sf_in("out"), "family/bench:099999"));
	sf_cleanup();
	return 0;
}
