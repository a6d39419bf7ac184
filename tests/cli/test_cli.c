/* SPDX-License-Identifier: MIT */
/* mmbench as a user runs it: exit codes, one-line errors, no stray output
 * files, and JSON/CSV that parse back to what the run printed. */
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmbench/results.h"

#include "test.h"
#include "testutil.h"

static char dir[64];

static int setup(void)
{
	if (th_mkdtemp(dir, sizeof(dir), "cli") < 0)
		return -1;
	/* the test file goes into the temp dir, not /var/tmp */
	return setenv("MMBENCH_DATA_DIR", dir, 1);
}

static void cleanup(void)
{
	th_rmtree(dir);
	dir[0] = 0;
}

/* dir/name (th_path: copy it to keep it). */
static char *in_dir(const char *name)
{
	return th_path(dir, name);
}

/* setup(), then dir/name copied into buf (n bytes), kept past later
 * in_dir calls. */
static int setup_path(char *buf, size_t n, const char *name)
{
	if (setup() < 0)
		return -1;
	snprintf(buf, n, "%s", in_dir(name));
	return 0;
}

/* Run mmbench with the NULL-terminated args; stdout and stderr go to
 * dir/out and dir/err. Returns the exit status, 128+signal if killed. */
static int run(const char *arg, ...)
{
	const char *argv[64];
	va_list ap;

	va_start(ap, arg);
	th_argv(argv, 64, MMBENCH_EXE, arg, &ap);
	va_end(ap);
	return th_run(argv, in_dir("out"), in_dir("err"), NULL, 0);
}

/* No file other than out, err and the inputs (and a test file) in dir. */
static int stray_files(void)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd),
		 "ls -A %s | grep -v -x -e out -e err -e empty -e tiny -e "
		 "'mmbench-.*\\.dat' >/dev/null",
		 dir);
	return system(cmd) == 0;
}

TEST_IMPL(cli_help_and_list)
{
	ASSERT_OK(setup());
	ASSERT_EQ(run("--help", NULL), 0);
	ASSERT(th_count_lines(in_dir("out")) > 3);
	ASSERT_EQ(run("run", "--help", NULL), 0);
	char *s = th_slurp(in_dir("out"), NULL);
	ASSERT(s && strstr(s, "--workload") && strstr(s, "--cache"));
	free(s);
	ASSERT_EQ(run("list", NULL), 0);
	s = th_slurp(in_dir("out"), NULL);
	ASSERT(s && strstr(s, "pread") && strstr(s, "mmap") &&
	       strstr(s, "random-4k") && strstr(s, "scan-once") &&
	       strstr(s, "zipf"));
	free(s);
	ASSERT_EQ(run(NULL), 2);
	ASSERT_EQ(th_count_lines(in_dir("err")), 1);
	ASSERT_EQ(run("frobnicate", NULL), 2);
	ASSERT_EQ(th_count_lines(in_dir("err")), 1);
	cleanup();
	return 0;
}

TEST_IMPL(cli_bad_input_exits_2)
{
	/* Each case: options after `run --size 16M --ops 100 --reps 1
	 * --json J --csv C` unless it replaces them. */
	static const char *const cases[][6] = {
	    {"--workload", "random-5k"},
	    {"--backends", "pread,nope"},
	    {"--backends", "pread,pread"},
	    {"--backends", "pread,,mmap"},
	    {"--backends", ",pread"},
	    {"--backends", "pread,"},
	    {"--backends", ","},
	    {"--backends", ""},
	    {"--advice", "sideways"},
	    {"--sync", "sometimes"},
	    {"--cache", "lukewarm"},
	    {"--threads", "0"},
	    {"--threads", "-1"},
	    {"--threads", "two"},
	    {"--ops", "abc"},
	    {"--ops", "-5"},
	    {"--ops", "0"},
	    {"--ops", "12x"},
	    {"--reps", "0"},
	    {"--read-pct", "101"},
	    {"--read-pct", "-1"},
	    {"--theta", "0"},
	    {"--theta", "-0.5"},
	    {"--theta", "x"},
	    {"--bs", "0"},
	    {"--stride", "0"},
	    {"--duration", "0"},
	    {"--duration", "1", "--ops", "5"},
	    {"--bogus"},
	    {"--ops"},
	    {"extra-arg"},
	    {"--workload", "scan-once", "--ops", "5000"},
	    {"-w", "random", "--bs", "32M"}, /* larger than the 16 MiB file */
	    {"--bs", "16K"}, /* random-4k's block size is in its name */
	};
	static const char *const file_cases[][4] = {
	    {"--file", ""},
	    {"--file", "/nonexistent/file"},
	    {"--file", "EMPTY"},
	    {"--file", "TINY"}, /* smaller than one block */
	    {"--file", "TINY", "--size", "1M"},
	    {"--size", "0"},
	};
	char json[128], csv[128];

	ASSERT_OK(setup_path(json, sizeof(json), "r.json"));
	snprintf(csv, sizeof(csv), "%s", in_dir("r.csv"));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *const *c = cases[i];
		int rc = run("run", "--size", "16M", "--reps", "1", "--json",
			     json, "--csv", csv, c[0], c[1], c[2], c[3], NULL);
		if (rc != 2 || th_count_lines(in_dir("err")) != 1)
			fprintf(stderr, "case %zu (%s %s): exit %d\n", i, c[0],
				c[1] ? c[1] : "", rc);
		ASSERT_EQ(rc, 2);
		ASSERT_EQ(th_count_lines(in_dir("err")), 1);
		ASSERT(!th_exists(json) && !th_exists(csv));
		ASSERT(!stray_files());
	}
	int fd = open(in_dir("empty"), O_WRONLY | O_CREAT, 0644);
	ASSERT(fd >= 0);
	close(fd);
	fd = open(in_dir("tiny"), O_WRONLY | O_CREAT, 0644);
	ASSERT(fd >= 0);
	ASSERT_EQ(write(fd, "0123456789", 10), 10);
	close(fd);
	for (size_t i = 0; i < sizeof(file_cases) / sizeof(file_cases[0]);
	     i++) {
		const char *a[4];
		for (int k = 0; k < 4; k++) {
			const char *v = file_cases[i][k];
			a[k] = v && strcmp(v, "EMPTY") == 0  ? in_dir("empty")
			       : v && strcmp(v, "TINY") == 0 ? in_dir("tiny")
							     : v;
		}
		int rc =
		    run("run", "--json", json, a[0], a[1], a[2], a[3], NULL);
		if (rc != 2)
			fprintf(stderr, "file case %zu: exit %d\n", i, rc);
		ASSERT_EQ(rc, 2);
		ASSERT_EQ(th_count_lines(in_dir("err")), 1);
		ASSERT(!th_exists(json));
	}
	/* an output path that cannot be written: refused before running */
	ASSERT_EQ(run("run", "--size", "16M", "--ops", "100", "--json",
		      "/nonexistent/dir/r.json", NULL),
		  2);
	ASSERT_EQ(th_count_lines(in_dir("err")), 1);
	ASSERT_EQ(
	    run("run", "--size", "16M", "--ops", "100", "--csv", dir, NULL), 2);
	ASSERT_EQ(th_count_lines(in_dir("err")), 1);
	/* write workloads never touch a user's --file */
	ASSERT_EQ(run("run", "--workload", "seq-write", "--file",
		      in_dir("tiny"), NULL),
		  2);
	ASSERT(!stray_files());
	cleanup();
	return 0;
}

/* No number in the tree at v that strict JSON lacks: the loader's parser
 * also reads Google Benchmark's bare NaN and Infinity, which mmbench must
 * never write (it writes null). */
static bool strict_numbers(const struct mmb_rval *v)
{
	if (v->type == MMB_RT_NUMBER &&
	    (strcmp(v->text, "NaN") == 0 || strcmp(v->text, "Infinity") == 0 ||
	     strcmp(v->text, "-Infinity") == 0))
		return false;
	for (size_t i = 0; i < v->nkid; i++)
		if (!strict_numbers(&v->kid[i]))
			return false;
	return true;
}

/* The JSON document at path into *doc (free with mmb_rval_clear); 0, or
 * -1 when the file cannot be read, is not one JSON value with nothing
 * after it, or holds a bare NaN or Infinity. */
static int parse_file(const char *path, struct mmb_rval *doc)
{
	char *text = th_slurp(path, NULL), msg[256];
	int rc;

	memset(doc, 0, sizeof(*doc));
	if (!text)
		return -1;
	rc = mmb_json_parse(path, text, strlen(text), doc);
	if (rc != 0)
		fprintf(stderr, "%s\n", mmb_results_errmsg(msg, sizeof(msg)));
	else if (!strict_numbers(doc)) {
		fprintf(stderr, "%s: a bare NaN or Infinity\n", path);
		rc = -1;
	}
	free(text);
	return rc ? -1 : 0;
}

static bool has(const struct mmb_rval *o, const char *key)
{
	return mmb_rval_get(o, key) != NULL;
}

static bool is_num(const struct mmb_rval *v)
{
	return v && v->type == MMB_RT_NUMBER;
}

static double num(const struct mmb_rval *o, const char *key)
{
	const struct mmb_rval *v = mmb_rval_get(o, key);
	return is_num(v) ? v->num : -1;
}

static const char *str(const struct mmb_rval *o, const char *key)
{
	const struct mmb_rval *v = mmb_rval_get(o, key);
	return v && v->type == MMB_RT_STRING ? v->text : "";
}

/* The boolean member key of o is b (false when absent or not a bool). */
static bool is_bool(const struct mmb_rval *o, const char *key, bool b)
{
	const struct mmb_rval *v = mmb_rval_get(o, key);
	return v && v->type == MMB_RT_BOOL && v->num == (b ? 1 : 0);
}

/* How many items the array v holds (0 when v is not an array). */
static size_t count(const struct mmb_rval *v)
{
	return v && v->type == MMB_RT_ARRAY ? v->nkid : 0;
}

TEST_IMPL(cli_json_round_trip)
{
	static const char *const ctx_keys[] = {
	    "date",
	    "host_name",
	    "executable",
	    "num_cpus",
	    "mhz_per_cpu",
	    "cpu_scaling_enabled",
	    "caches",
	    "load_avg",
	    "library_build_type",
	    "mmbench_version",
	    "command_line",
	    "kernel",
	    "cpu_model",
	    "memory_bytes",
	    "page_size",
	    "thp_enabled",
	    "hugepages_reserved",
	    "filesystem",
	    "workload",
	    "file",
	    "file_size",
	    "block_size",
	    "ops",
	    "threads",
	    "seed",
	    "cache",
	    "reps",
	    "fault_source",
	    "verdict",
	};
	static const char *const entry_keys[] = {
	    "name",
	    "family_index",
	    "per_family_instance_index",
	    "run_name",
	    "run_type",
	    "repetitions",
	    "threads",
	    "iterations",
	    "real_time",
	    "cpu_time",
	    "time_unit",
	    "bytes_per_second",
	    "items_per_second",
	    "backend",
	    "workload",
	    "ops",
	    "bytes_read",
	    "bytes_written",
	    "elapsed_ns",
	    "minor_faults",
	    "major_faults",
	    "faults",
	    "pages_touched",
	    "pages_per_fault",
	    "resident_before",
	    "file_pmd_mapped_kb",
	    "anon_huge_kb",
	    "setup_ns",
	};
	char json[128];

	ASSERT_OK(setup_path(json, sizeof(json), "r.json"));
	ASSERT_EQ(run("run", "--size", "16M", "--ops", "2000", "--reps", "2",
		      "--seed", "9", "--json", json, NULL),
		  0);
	char *out = th_slurp(in_dir("out"), NULL);
	ASSERT(out && strstr(out, "verdict: "));
	struct mmb_rval doc;
	ASSERT_OK(parse_file(json, &doc));
	const struct mmb_rval *ctx = mmb_rval_get(&doc, "context");
	const struct mmb_rval *arr = mmb_rval_get(&doc, "benchmarks");
	ASSERT(ctx && ctx->type == MMB_RT_OBJECT && arr &&
	       arr->type == MMB_RT_ARRAY);
	for (size_t i = 0; i < sizeof(ctx_keys) / sizeof(ctx_keys[0]); i++) {
		if (!has(ctx, ctx_keys[i]))
			fprintf(stderr, "context lacks %s\n", ctx_keys[i]);
		ASSERT(has(ctx, ctx_keys[i]));
	}
	ASSERT(strcmp(str(ctx, "workload"), "random-4k") == 0);
	ASSERT_EQ(num(ctx, "file_size"), 16 << 20);
	ASSERT_EQ(num(ctx, "block_size"), 4096);
	ASSERT_EQ(num(ctx, "ops"), 2000);
	ASSERT_EQ(num(ctx, "reps"), 2);
	ASSERT_EQ(num(ctx, "seed"), 9);
	ASSERT(strcmp(str(ctx, "cache"), "warm") == 0);
	ASSERT(strstr(str(ctx, "command_line"), "--seed 9"));
	/* the verdict printed is the verdict stored */
	ASSERT(strstr(out, str(ctx, "verdict")));
	/* Google Benchmark's caches: CPU 0 has at least an L1 (sysfs) */
	const struct mmb_rval *cache =
	    mmb_rval_at(mmb_rval_get(ctx, "caches"), 0);
	if (cache) {
		ASSERT(num(cache, "level") >= 1 && num(cache, "size") > 0);
		ASSERT(num(cache, "num_sharing") >= 1 && str(cache, "type"));
	}
	ASSERT_EQ(count(mmb_rval_get(ctx, "load_avg")), 3);
	/* pread: 2 iterations + mean, median, stddev, cv; then mmap the
	 * same, family 1 */
	ASSERT_EQ(count(arr), 12);
	const char *sum_pread = NULL;
	for (int i = 0; i < 12; i++) {
		const struct mmb_rval *e = mmb_rval_at(arr, (size_t)i);
		const char *be = i < 6 ? "pread" : "mmap";
		char name[64];
		for (size_t k = 0;
		     k < sizeof(entry_keys) / sizeof(entry_keys[0]); k++) {
			if (!has(e, entry_keys[k]))
				fprintf(stderr, "entry %d lacks %s\n", i,
					entry_keys[k]);
			ASSERT(has(e, entry_keys[k]));
		}
		ASSERT(strcmp(str(e, "backend"), be) == 0);
		snprintf(name, sizeof(name), "random-4k/%s", be);
		ASSERT(strcmp(str(e, "run_name"), name) == 0);
		ASSERT(strcmp(str(e, "time_unit"), "ns") == 0);
		ASSERT_EQ(num(e, "repetitions"), 2);
		int k = i % 6;
		ASSERT_EQ(num(e, "family_index"), i / 6);
		ASSERT_EQ(num(e, "per_family_instance_index"), 0);
		if (k < 2) {
			ASSERT(strcmp(str(e, "run_type"), "iteration") == 0);
			ASSERT_EQ(num(e, "repetition_index"), k);
			ASSERT(strcmp(str(e, "name"), name) == 0);
			ASSERT(!has(e, "aggregate_unit"));
		} else {
			static const char *const agg[] = {"mean", "median",
							  "stddev", "cv"};
			ASSERT(strcmp(str(e, "run_type"), "aggregate") == 0);
			ASSERT(strcmp(str(e, "aggregate_name"), agg[k - 2]) ==
			       0);
			ASSERT(strcmp(str(e, "aggregate_unit"),
				      k == 5 ? "percentage" : "time") == 0);
		}
		if (k == 5) {
			/* cv = stddev / mean */
			const struct mmb_rval *sd =
			    mmb_rval_at(arr, (size_t)i - 1);
			const struct mmb_rval *mean =
			    mmb_rval_at(arr, (size_t)i - 3);
			double want = num(sd, "items_per_second") /
				      num(mean, "items_per_second");
			ASSERT(fabs(num(e, "items_per_second") - want) <=
			       1e-9 * want);
		}
		if (k >= 4)
			continue; /* stddev, cv */
		ASSERT_EQ(num(e, "iterations"), 2000);
		ASSERT_EQ(num(e, "ops"), 2000);
		ASSERT_EQ(num(e, "bytes_read"), 2000 * 4096);
		ASSERT(num(e, "items_per_second") > 0);
		/* same ops, same bytes, whatever the backend */
		if (!sum_pread)
			sum_pread = str(e, "checksum");
		ASSERT(strlen(sum_pread) == 18);
		ASSERT(strcmp(str(e, "checksum"), sum_pread) == 0);
		if (k == 3) {
			/* the median holds the latency merged over reps */
			const struct mmb_rval *h =
			    mmb_rval_get(e, "latency_histogram");
			double total = 0, prev = -1;
			ASSERT(h && h->type == MMB_RT_ARRAY);
			const struct mmb_rval *pair;
			for (size_t j = 0; (pair = mmb_rval_at(h, j)); j++) {
				const struct mmb_rval *up =
				    mmb_rval_at(pair, 0);
				const struct mmb_rval *n = mmb_rval_at(pair, 1);
				ASSERT(is_num(up) && is_num(n));
				ASSERT(up->num > prev);
				prev = up->num;
				total += n->num;
			}
			/* the timed ops (one in lat_every, chosen from the
			 * warm-up by default, +1 at most per rep) are the
			 * histogram's */
			double every = num(e, "lat_every");
			ASSERT(every >= 1);
			ASSERT_EQ(total, num(e, "lat_timed_ops"));
			ASSERT(total >= 2 * floor(2000 / every) &&
			       total <= 2 * (floor(2000 / every) + 1));
			ASSERT(num(e, "lat_p50_ns") <= num(e, "lat_p99_ns"));
			ASSERT(num(e, "lat_p99_ns") <= num(e, "lat_max_ns"));
			ASSERT_EQ(num(e, "lat_max_ns"), prev);
		}
	}
	mmb_rval_clear(&doc);
	free(out);
	cleanup();
	return 0;
}

TEST_IMPL(cli_csv_rows)
{
	char csv[128];

	ASSERT_OK(setup_path(csv, sizeof(csv), "r.csv"));
	ASSERT_EQ(run("run", "--size", "16M", "--ops", "1000", "--reps", "3",
		      "--backends", "pread,mmap,mmap-populate", "--csv", csv,
		      "--no-warmup", NULL),
		  0);
	/* header + 3 backends x 3 reps */
	ASSERT_EQ(th_count_lines(csv), 1 + 9);
	char *s = th_slurp(csv, NULL);
	ASSERT(s && strncmp(s, "workload,backend,status,rep,", 28) == 0);
	ASSERT(strstr(s, "\"random-4k\",\"mmap-populate\",ok,2,"));
	free(s);
	cleanup();
	return 0;
}

/* Field `col` of the CSV line `line` (no quoted commas before it), in
 * out; 0 when the line is shorter. */
static int csv_field(const char *line, unsigned col, char *out, size_t n)
{
	for (unsigned c = 0; c < col; c++) {
		line = strpbrk(line, ",\n");
		if (!line || *line == '\n')
			return 0;
		line++;
	}
	snprintf(out, n, "%.*s", (int)strcspn(line, ",\n"), line);
	return 1;
}

/* The CSV's columns say their units, hold the latency percentiles, the
 * file size and the seed; integer counts are written as integers; a
 * skipped backend's value cells are empty. */
TEST_IMPL(cli_csv_columns)
{
	static const char *const want[] = {
	    "file_size_bytes", "seed",	      "ops_per_s",  "bytes_per_s",
	    "real_time_ns",    "cpu_time_ns", "lat_p50_us", "lat_p99_us",
	    "lat_max_us",      "ops",	      "faults",	    "block_size_bytes"};
	static const char *const ints[] = {"ops", "bytes_read", "faults",
					   "minor_faults", "elapsed_ns"};
	char csv[128], f[64];

	ASSERT_OK(setup_path(csv, sizeof(csv), "c.csv"));
	/* mmap-hugetlb skips where no huge pages are free (here: none
	 * reserved); when it can run, its rows are checked like pread's */
	ASSERT_EQ(run("run", "--size", "16M", "--ops", "1000", "--reps", "2",
		      "--seed", "7", "-b", "pread,mmap-hugetlb", "--csv", csv,
		      "--no-warmup", NULL),
		  0);
	char *s = th_slurp(csv, NULL);
	ASSERT(s);
	char *row = strchr(s, '\n');
	ASSERT(row);
	*row++ = 0;
	/* column index of each header name */
	unsigned ncol = 0, col[sizeof(want) / sizeof(*want)],
		 icol[sizeof(ints) / sizeof(*ints)];
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
		col[i] = ~0u;
	for (size_t i = 0; i < sizeof(ints) / sizeof(*ints); i++)
		icol[i] = ~0u;
	unsigned msg_col = ~0u;
	for (char *h = s, *end; h; h = end ? end + 1 : NULL, ncol++) {
		end = strchr(h, ',');
		size_t len = end ? (size_t)(end - h) : strlen(h);
		for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
			if (strlen(want[i]) == len && !strncmp(h, want[i], len))
				col[i] = ncol;
		for (size_t i = 0; i < sizeof(ints) / sizeof(*ints); i++)
			if (strlen(ints[i]) == len && !strncmp(h, ints[i], len))
				icol[i] = ncol;
		if (len == 7 && !strncmp(h, "message", 7))
			msg_col = ncol;
	}
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
		if (col[i] == ~0u)
			fprintf(stderr, "CSV header lacks %s\n", want[i]);
		ASSERT(col[i] != ~0u);
	}
	ASSERT(!strstr(s, "items_per_second") && msg_col != ~0u);
	unsigned ok = 0, skipped = 0;
	for (char *l = row; *l; l = strchr(l, '\n') + 1) {
		int is_ok =
		    strstr(l, ",ok,") && strstr(l, ",ok,") < strchr(l, '\n');
		if (is_ok) {
			ok++;
			ASSERT(csv_field(l, col[0], f, sizeof(f)));
			ASSERT(strcmp(f, "16777216") == 0);
			ASSERT(csv_field(l, col[1], f, sizeof(f)) &&
			       strcmp(f, "7") == 0);
			for (size_t i = 2; i < sizeof(want) / sizeof(*want);
			     i++)
				ASSERT(csv_field(l, col[i], f, sizeof(f)) &&
				       *f);
			for (size_t i = 0; i < sizeof(ints) / sizeof(*ints);
			     i++) {
				ASSERT(csv_field(l, icol[i], f, sizeof(f)) &&
				       *f);
				ASSERT(strspn(f, "0123456789") == strlen(f));
			}
		} else {
			skipped++;
			/* every value before the message is empty */
			for (size_t i = 2; i < sizeof(want) / sizeof(*want);
			     i++)
				if (strcmp(want[i], "block_size_bytes") != 0) {
					ASSERT(
					    csv_field(l, col[i], f, sizeof(f)));
					ASSERT(*f == 0);
				}
			ASSERT(csv_field(l, col[0], f, sizeof(f)) &&
			       strcmp(f, "16777216") == 0);
		}
	}
	ASSERT(ok == 2 || ok == 4);
	ASSERT_EQ(ok + 2 * skipped, 4);
	free(s);
	cleanup();
	return 0;
}

TEST_IMPL(cli_write_workload_and_threads)
{
	char json[128];

	ASSERT_OK(setup_path(json, sizeof(json), "w.json"));
	ASSERT_EQ(run("run", "--workload", "rw-mix", "--read-pct", "80",
		      "--size", "16M", "--ops", "2000", "--threads", "2",
		      "--reps", "1", "--sync", "fsync", "--cache", "cold",
		      "--json", json, NULL),
		  0);
	struct mmb_rval doc;
	ASSERT_OK(parse_file(json, &doc));
	const struct mmb_rval *arr = mmb_rval_get(&doc, "benchmarks");
	const struct mmb_rval *e;
	int n = 0;
	for (size_t i = 0; (e = mmb_rval_at(arr, i)); i++) {
		if (strcmp(str(e, "run_type"), "iteration") != 0)
			continue;
		n++;
		ASSERT_EQ(num(e, "threads"), 2);
		ASSERT_EQ(num(e, "ops"), 2000);
		ASSERT_EQ(num(e, "bytes_read") + num(e, "bytes_written"),
			  2000 * 4096);
		ASSERT(num(e, "bytes_written") > 0);
	}
	ASSERT_EQ(n, 2);
	mmb_rval_clear(&doc);
	cleanup();
	return 0;
}

TEST_IMPL(cli_run_report)
{
	char rep[128];

	if (system("command -v gnuplot >/dev/null 2>&1") != 0)
		SKIP("gnuplot is not installed (package gnuplot-nox)");
	ASSERT_OK(setup_path(rep, sizeof(rep), "report"));
	ASSERT_EQ(run("run", "--size", "16M", "--ops", "1000", "--reps", "2",
		      "--report", rep, NULL),
		  0);
	ASSERT(th_exists(in_dir("report/index.html")));
	/* without --json the results stay with the page, which names them
	 * there, not the temporary file they were rendered from */
	char *res = th_slurp(in_dir("report/results.json"), NULL);
	ASSERT(res && strstr(res, "\"benchmarks\": ["));
	free(res);
	char *html = th_slurp(in_dir("report/index.html"), NULL), want[300];
	snprintf(want, sizeof(want),
		 "Results file: <code>%s/results.json</code>", rep);
	ASSERT(html && strstr(html, want));
	ASSERT(!strstr(html, "mmbench-run-"));
	free(html);
	ASSERT_EQ(run("run", "--size", "16M", "--report", "", NULL), 2);
	cleanup();
	return 0;
}

/* A sweep point that fails without a results file (here: its test file
 * cannot be made, a directory is in the way) is left out of the merged
 * file, and the points after it keep their own values: size:3M holds the
 * 3 MiB run, not a label shifted onto it from the missing point. */
TEST_IMPL(cli_sweep_failed_point_keeps_values)
{
	char json[128];

	ASSERT_OK(setup());
	ASSERT_OK(mkdir(in_dir("mmbench-2M.dat"), 0755));
	snprintf(json, sizeof(json), "%s", in_dir("sweep.json"));
	ASSERT_EQ(run("sweep", "--param", "size=1M,2M,3M", "--workload",
		      "seq-read", "--backends", "pread", "--reps", "1",
		      "--json", json, NULL),
		  1);
	struct mmb_rval doc;
	ASSERT_OK(parse_file(json, &doc));
	const struct mmb_rval *ctx = mmb_rval_get(&doc, "context");
	ASSERT(is_bool(ctx, "partial", true));
	const struct mmb_rval *sv = mmb_rval_get(ctx, "sweep_values");
	ASSERT_EQ(count(sv), 2);
	ASSERT(is_num(mmb_rval_at(sv, 0)) && is_num(mmb_rval_at(sv, 1)));
	ASSERT_EQ(mmb_rval_at(sv, 0)->num, 1 << 20);
	ASSERT_EQ(mmb_rval_at(sv, 1)->num, 3 << 20);
	const struct mmb_rval *arr = mmb_rval_get(&doc, "benchmarks");
	const struct mmb_rval *e;
	int n = 0;
	for (size_t i = 0; (e = mmb_rval_at(arr, i)); i++) {
		if (strcmp(str(e, "run_type"), "iteration") != 0)
			continue;
		n++;
		/* seq-read reads the whole file once */
		ASSERT_EQ(num(e, "bytes_read"), num(e, "sweep_value"));
		ASSERT(num(e, "sweep_value") != 2 << 20);
	}
	ASSERT_EQ(n, 2);
	mmb_rval_clear(&doc);
	cleanup();
	return 0;
}

/* A sweep's outputs name the sweep, not its deleted per-point files: the
 * merged file's command_line is the sweep's, each point keeps its verdict
 * (sweep_points), the report names the merged file and shows a verdict
 * per point, --csv holds every point's rows led by the point; without
 * --json the merged results stay as DIR/sweep.json. */
TEST_IMPL(cli_sweep_outputs)
{
	char json[128], csv[128], rep[128], rep2[128], p[192];

	ASSERT_OK(setup_path(json, sizeof(json), "s.json"));
	snprintf(csv, sizeof(csv), "%s", in_dir("s.csv"));
	snprintf(rep, sizeof(rep), "%s", in_dir("rep"));
	snprintf(rep2, sizeof(rep2), "%s", in_dir("rep2"));
	ASSERT_EQ(run("sweep", "--param", "threads=1,2", "--size", "16M",
		      "--ops", "2000", "--reps", "2", "-b", "pread,mmap",
		      "--no-warmup", "--json", json, "--csv", csv, "--report",
		      rep, NULL),
		  0);
	struct mmb_rval doc;
	ASSERT_OK(parse_file(json, &doc));
	const struct mmb_rval *ctx = mmb_rval_get(&doc, "context");
	const char *cl = str(ctx, "command_line");
	ASSERT(cl &&
	       strncmp(cl, "mmbench sweep --param threads=1,2 ", 34) == 0);
	ASSERT(!strstr(cl, "p0.json") && !strstr(cl, "mmbench-sweep-"));
	ASSERT(!mmb_rval_get(ctx, "verdict_data"));
	ASSERT(strstr(str(ctx, "verdict"), "threads=1: ") &&
	       strstr(str(ctx, "verdict"), " | threads=2: "));
	const struct mmb_rval *pts = mmb_rval_get(ctx, "sweep_points");
	ASSERT_EQ(count(pts), 2);
	for (size_t i = 0; i < 2; i++) {
		const struct mmb_rval *pt = mmb_rval_at(pts, i);
		ASSERT_EQ(num(pt, "sweep_value"), i + 1);
		ASSERT(str(pt, "verdict"));
		const struct mmb_rval *vd = mmb_rval_get(pt, "verdict_data");
		ASSERT(vd && vd->type == MMB_RT_OBJECT);
	}
	/* Google Benchmark's instances of a family: the points */
	const struct mmb_rval *arr = mmb_rval_get(&doc, "benchmarks"), *e;
	for (size_t i = 0; (e = mmb_rval_at(arr, i)); i++)
		ASSERT_EQ(num(e, "per_family_instance_index"),
			  num(e, "sweep_value") - 1);
	mmb_rval_clear(&doc);
	snprintf(p, sizeof(p), "%s/index.html", rep);
	char *html = th_slurp(p, NULL);
	ASSERT(html);
	snprintf(p, sizeof(p), "Results file: <code>%s</code>", json);
	ASSERT(strstr(html, p));
	ASSERT(!strstr(html, "p0.json") && !strstr(html, "p1.json"));
	ASSERT(strstr(html, "<h2>random-4k, threads=1 <small>"));
	ASSERT(strstr(html, "<h2>random-4k, threads=2 <small>"));
	int verdicts = 0;
	for (const char *v = html; (v = strstr(v, "<b>Verdict:</b>")); v++)
		verdicts++;
	ASSERT_EQ(verdicts, 2);
	free(html);
	/* CSV: header + 2 points x 2 backends x 2 reps */
	ASSERT_EQ(th_count_lines(csv), 1 + 8);
	char *c = th_slurp(csv, NULL);
	ASSERT(c && strncmp(c, "sweep_threads,workload,backend,", 31) == 0);
	ASSERT(strstr(c, "\n2,\"random-4k\",\"mmap\",ok,1,2,"));
	free(c);
	ASSERT_EQ(run("sweep", "--param", "threads=1,2", "--size", "16M",
		      "--ops", "1000", "--reps", "1", "-b", "pread",
		      "--no-warmup", "--report", rep2, NULL),
		  0);
	snprintf(p, sizeof(p), "%s/sweep.json", rep2);
	ASSERT(th_exists(p));
	snprintf(p, sizeof(p), "%s/index.html", rep2);
	html = th_slurp(p, NULL);
	snprintf(p, sizeof(p), "Results file: <code>%s/sweep.json</code>",
		 rep2);
	ASSERT(html && strstr(html, p));
	free(html);
	cleanup();
	return 0;
}

/* docs/results.md holds, between its markers, exactly what `mmbench list
 * --params` prints: the option list is generated from the tables. */
TEST_IMPL(cli_params_doc_current)
{
	static const char begin[] = "<!-- begin: mmbench list --params -->\n";
	static const char end[] = "<!-- end: mmbench list --params -->";

	ASSERT_OK(setup());
	ASSERT_EQ(run("list", "--params", NULL), 0);
	char *out = th_slurp(in_dir("out"), NULL);
	char *doc = th_slurp(MMB_SOURCE_DIR "/docs/results.md", NULL);
	ASSERT(out && doc);
	char *a = strstr(doc, begin), *b = a ? strstr(a, end) : NULL;
	ASSERT(a && b);
	a += strlen(begin);
	*b = 0;
	if (strcmp(a, out) != 0) {
		fprintf(stderr,
			"docs/results.md is not the output of `mmbench list "
			"--params`; replace the lines between its markers with "
			"it:\n%s",
			out);
		free(out);
		free(doc);
		return 1;
	}
	/* every workload parameter is an option of run, with its help */
	ASSERT(strstr(out, "`--theta`") && strstr(out, "`--read-pct`") &&
	       strstr(out, "`--stride`"));
	ASSERT_EQ(run("run", "--help", NULL), 0);
	char *help = th_slurp(in_dir("out"), NULL);
	ASSERT(help && strstr(help, "--theta T") &&
	       strstr(help, "--read-pct P") && strstr(help, "--stride SIZE"));
	free(help);
	free(out);
	free(doc);
	cleanup();
	return 0;
}

/* The context keys of the option list ("context key" column of `mmbench
 * list --params`), each line's fifth column. */
static int doc_keys(const char *md, char keys[][40], int max, bool workload)
{
	int n = 0;
	const char *sep = strstr(md, "\nWorkload parameters");

	for (const char *l = md; *l && n < max;) {
		const char *nl = strchr(l, '\n');
		const char *line = l;
		l = nl ? nl + 1 : l + strlen(l);
		if (sep && (workload ? line < sep : line > sep))
			continue;
		if (*line != '|')
			continue;
		const char *c = line;
		for (int col = 0; col < 4 && c && c < l; col++)
			c = strchr(c + 1, '|');
		if (!c || c >= l || c[1] != ' ' || c[2] != '`')
			continue;
		snprintf(keys[n], 40, "%.*s", (int)strcspn(c + 3, "`"), c + 3);
		n++;
	}
	return n;
}

/* Every resolved option is in the context under its documented key: the
 * run options of the table (but those recorded only when given) and the
 * workload's own parameters, with the values given. */
TEST_IMPL(cli_context_has_every_option)
{
	char keys[64][40], json[128];

	ASSERT_OK(setup());
	ASSERT_EQ(run("list", "--params", NULL), 0);
	char *md = th_slurp(in_dir("out"), NULL);
	ASSERT(md);
	int n = doc_keys(md, keys, 64, false);
	ASSERT(n >= 15);
	snprintf(json, sizeof(json), "%s", in_dir("c.json"));
	ASSERT_EQ(run("run", "-w", "zipf", "--theta", "0.5", "--size", "16M",
		      "--ops", "1000", "--reps", "1", "--no-warmup", "--advice",
		      "random", "--window", "2M", "--sync", "fsync", "--json",
		      json, NULL),
		  0);
	struct mmb_rval doc;
	ASSERT_OK(parse_file(json, &doc));
	const struct mmb_rval *ctx = mmb_rval_get(&doc, "context");
	for (int i = 0; i < n; i++) {
		bool when_given = strcmp(keys[i], "duration_s") == 0 ||
				  strcmp(keys[i], "memory_limit") == 0 ||
				  strcmp(keys[i], "interval_ms") == 0;
		bool present = has(ctx, keys[i]);
		if (present == when_given)
			fprintf(stderr, "context key %s: %s\n", keys[i],
				present ? "present" : "missing");
		ASSERT(present != when_given);
	}
	ASSERT(strcmp(str(ctx, "advice"), "random") == 0);
	ASSERT(strcmp(str(ctx, "sync"), "fsync") == 0);
	ASSERT_EQ(num(ctx, "window"), 2 << 20);
	ASSERT(is_bool(ctx, "no_warmup", true));
	ASSERT(num(ctx, "theta") == 0.5);
	ASSERT(!has(ctx, "read_pct"));
	mmb_rval_clear(&doc);

	/* rw-mix: its own parameter, the defaults of the others */
	n = doc_keys(md, keys, 64, true);
	ASSERT(n >= 3); /* read_pct, theta, stride at least */
	ASSERT_EQ(run("run", "-w", "rw-mix", "--read-pct", "70", "--size",
		      "16M", "--ops", "1000", "--reps", "1", "--json", json,
		      NULL),
		  0);
	ASSERT_OK(parse_file(json, &doc));
	ctx = mmb_rval_get(&doc, "context");
	ASSERT_EQ(num(ctx, "read_pct"), 70);
	ASSERT(!has(ctx, "theta"));
	ASSERT(strcmp(str(ctx, "advice"), "none") == 0);
	ASSERT_EQ(num(ctx, "window"), 1 << 30);
	ASSERT(is_bool(ctx, "no_warmup", false));
	mmb_rval_clear(&doc);
	free(md);
	cleanup();
	return 0;
}

/* A bad value is one line that names the flag; the workloads library's
 * reason is in words, the CLI adds the flag the user typed. */
TEST_IMPL(cli_errors_name_the_flag)
{
	static const char *const cases[][4] = {
	    {"--threads", "2000", "--threads 2000 is outside 1..1024"},
	    {"--theta", "0", "--theta 0 must be > 0"},
	    {"--read-pct", "101", "--read-pct 101 is outside 0..100"},
	    {"--memory-limit", "1M", "--memory-limit 1M is outside 16M..1024T"},
	    {"--bs", "32M",
	     "--bs: block size 32 MiB is larger than the file (16 MiB)"},
	    {"--sync", "often", "--sync: unknown sync 'often' (one of none,"},
	};

	ASSERT_OK(setup());
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ASSERT_EQ(run("run", "-w", "random", "--size", "16M",
			      cases[i][0], cases[i][1], NULL),
			  2);
		char *err = th_slurp(in_dir("err"), NULL);
		ASSERT(err);
		if (!strstr(err, cases[i][2]))
			fprintf(stderr, "want '%s', got: %s", cases[i][2], err);
		ASSERT(strstr(err, cases[i][2]));
		free(err);
		ASSERT_EQ(th_count_lines(in_dir("err")), 1);
	}
	/* the block size came from the workload, not a flag: none named */
	int fd = open(in_dir("tiny"), O_WRONLY | O_CREAT, 0644);
	ASSERT(fd >= 0);
	ASSERT_EQ(write(fd, "0123456789", 10), 10);
	close(fd);
	ASSERT_EQ(run("run", "--file", in_dir("tiny"), NULL), 2);
	char *err = th_slurp(in_dir("err"), NULL);
	ASSERT(err && strstr(err, "mmbench run: block size 4 KiB is larger "
				  "than the file (10 bytes)"));
	free(err);
	cleanup();
	return 0;
}
