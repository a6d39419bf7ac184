/* SPDX-License-Identifier: MIT */
/* test_report.c - the reader and mmb_report_write() on fixtures. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "mmbench/report.h"
#include "mmbench/result.h"
#include "test.h"

#define DATA MMB_REPORTS_DATA

static const char *const basic[] = {DATA "/basic.json"};

TEST_IMPL(report_load_model)
{
	struct mmb_report_results r;
	const struct mmb_rval *c;
	char err[512];

	ASSERT_OK(th_report_load(basic[0], &r, err, sizeof(err)));
	ASSERT_EQ(r.nb, 3);
	ASSERT(strcmp(r.b[0].name, "pread") == 0);
	ASSERT(strcmp(r.b[1].name, "mmap") == 0);
	ASSERT(strcmp(r.b[1].workload, "random-4k") == 0);
	ASSERT_EQ(r.b[1].nreps, 3);
	ASSERT_EQ(r.b[1].rep_ops[1], 398000);
	ASSERT_EQ(r.b[1].ops_per_s, 410000);
	ASSERT_EQ(r.b[1].ops_stddev, 5000);
	ASSERT_EQ(r.b[1].minor_faults, 1234);
	ASSERT(fabs(r.b[1].pages_per_fault - 3.3) < 1e-9);
	ASSERT_EQ(r.b[1].lat_p999_ns, 25000);
	ASSERT_EQ(r.b[1].nhist, 10);
	ASSERT_EQ(r.b[1].hist[0].upper_ns, 1024);
	ASSERT_EQ(r.b[1].hist[9].count, 1);
	/* real_time per op, in ns, from the median aggregate */
	ASSERT(fabs(r.b[0].real_time_ns - 1e9 / 255500) < 1e-6);
	ASSERT(r.b[2].skipped);
	ASSERT_EQ(r.b[2].nreps, 0);
	ASSERT(strstr(r.b[2].reason, "no huge pages reserved"));
	ASSERT(isnan(r.b[2].ops_per_s));
	c = mmb_report_ctx_get(&r, "file_size");
	ASSERT(c && c->type == MMB_RT_NUMBER && c->num == 16777216);
	ASSERT(strcmp(c->text, "16777216") == 0);
	c = mmb_report_ctx_get(&r, "thp_enabled");
	ASSERT(c && c->type == MMB_RT_STRING &&
	       strcmp(c->text, "madvise") == 0);
	ASSERT(mmb_report_ctx_get(&r, "nonexistent") == NULL);
	mmb_report_results_free(&r);
	return 0;
}

/* Google Benchmark's own output: no run_type, no backend key, no
 * aggregates. The median comes from the iterations. */
TEST_IMPL(report_load_gbench_plain)
{
	static const char json[] =
	    "{\"context\": {\"num_cpus\": 2},\n \"benchmarks\": [\n"
	    " {\"name\": \"BM_read/4096\", \"items_per_second\": 100,"
	    "  \"real_time\": 2, \"time_unit\": \"us\"},\n"
	    " {\"name\": \"BM_read/4096\", \"items_per_second\": 300,"
	    "  \"real_time\": 4, \"time_unit\": \"us\"},\n"
	    " {\"name\": \"BM_read/4096\", \"items_per_second\": 200,"
	    "  \"real_time\": 3, \"time_unit\": \"us\", \"futurekey\": [1]}\n"
	    "]}\n";
	struct mmb_report_results r;
	char *dir = th_tmpdir("reports"), path[512], err[512];

	ASSERT(dir);
	snprintf(path, sizeof(path), "%s/gb.json", dir);
	ASSERT_OK(th_write(path, json, strlen(json)));
	ASSERT_OK(th_report_load(path, &r, err, sizeof(err)));
	ASSERT_EQ(r.nb, 1);
	ASSERT(strcmp(r.b[0].name, "4096") == 0);
	ASSERT(strcmp(r.b[0].workload, "BM_read") == 0);
	ASSERT_EQ(r.b[0].nreps, 3);
	ASSERT_EQ(r.b[0].ops_per_s, 200);
	ASSERT_EQ(r.b[0].real_time_ns, 3000);
	ASSERT(isnan(r.b[0].minor_faults));
	mmb_report_results_free(&r);
	th_tmpdir_free(dir);
	return 0;
}

static int check_plot(const char *dir, const char *stem)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/plots/%s.png", dir, stem);
	if (!th_is_png(p, 5000))
		return 0;
	snprintf(p, sizeof(p), "%s/plots/%s.svg", dir, stem);
	if (!th_is_svg(p, 5000))
		return 0;
	snprintf(p, sizeof(p), "%s/plots/%s.gp", dir, stem);
	if (!th_contains(p, "set terminal pngcairo") ||
	    !th_contains(p, "set terminal svg"))
		return 0;
	snprintf(p, sizeof(p), "%s/plots/%s.dat", dir, stem);
	return th_size(p) > 0;
}

/* The sweep-threads fixtures' mmap points in out/plots/sweep.dat: at 1, 2
 * and 4 threads, in increasing order. */
static int mmap_threads_in_order(const char *out)
{
	char p[1024], *dat, *a, *b, *c;
	int ordered;

	snprintf(p, sizeof(p), "%s/plots/sweep.dat", out);
	dat = th_slurp(p, NULL);
	if (!dat)
		return 0;
	a = strstr(dat, "\n 1 410000 ");
	b = strstr(dat, "\n 2 738000 ");
	c = strstr(dat, "\n 4 1271000 ");
	ordered = a && b && c && a < b && b < c;
	if (!ordered)
		fprintf(stderr, "%s: not mmap at 1, 2, 4 threads in order\n",
			p);
	free(dat);
	return ordered;
}

TEST_IMPL(report_fixture)
{
	NEED_GNUPLOT();
	/* Numbers of the fixture as the tables print them. */
	static const char *const numbers[] = {
	    "255,500", "250,000", "262,000", "410,000", "398,000", "421,500",
	    "1679.4",  "1046.5",  "2.10",    "3.40",	"9.80",	   "25.00",
	    "180.00",  "3.80",	  "6.10",    "15.20",	"41.00",   "250.00",
	    "1,234",   "4,096",	  "3.3",     "100.0",	"8,192",   "0.061"};
	static const char *const stems[] = {"throughput", "latency",
					    "latency-dist", "faults"};
	char *dir = th_tmpdir("reports"), out[512], p[1024];

	ASSERT(dir);
	snprintf(out, sizeof(out), "%s/rep", dir);
	ASSERT_OK(th_report(basic, 1, out));
	for (size_t i = 0; i < 4; i++)
		ASSERT(check_plot(out, stems[i]));
	snprintf(p, sizeof(p), "%s/plots/throughput.dat", out);
	ASSERT(th_contains(p, "\"mmap\" 410000 398000 421500"));
	ASSERT(th_contains(p, "\"pread\" 255500 250000 262000"));
	snprintf(p, sizeof(p), "%s/plots/faults.dat", out);
	ASSERT(th_contains(p, "\"mmap\" 1234 0"));

	snprintf(p, sizeof(p), "%s/index.html", out);
	ASSERT(th_contains(p, "<title>mmbench report: random-4k</title>"));
	for (size_t i = 0; i < sizeof(numbers) / sizeof(*numbers); i++)
		ASSERT(th_contains(p, numbers[i]));
	ASSERT(th_contains(p, "mmap is fastest: 1.6x pread"));
	ASSERT(th_contains(p, "<td>mmap-hugetlb</td>"));
	ASSERT(th_contains(p, "no huge pages reserved (/proc/sys/vm/"
			      "nr_hugepages is 0) &lt;b&gt;&amp;&lt;/b&gt;"));
	ASSERT(th_contains(p, "/tmp/a&amp;b&lt;c&gt;.dat"));
	ASSERT(th_contains(p, "16777216 (16 MiB)"));
	ASSERT(th_contains(p, "src=\"plots/throughput.png\""));
	ASSERT(th_contains(p, "src=\"plots/latency-dist.png\""));
	{
		char *html = th_slurp(p, NULL);
		int raw;

		ASSERT(html);
		/* Nothing from the JSON reaches the page unescaped, and the
		 * page fetches nothing from the network. */
		raw = strstr(html, "<b>&</b>") || strstr(html, "a&b<c>") ||
		      strstr(html, "http://") || strstr(html, "https://") ||
		      strstr(html, "<script");
		free(html);
		ASSERT(!raw);
	}
	snprintf(p, sizeof(p), "%s/.mmbench-report", out);
	ASSERT(th_exists(p));
	ASSERT(!th_has_entry_prefix(dir, "rep.tmp-"));

	/* The scripts re-run by hand, in the plot directory. */
	{
		const char *argv[] = {"gnuplot", "throughput.gp", NULL};
		char cwd[1024], plots[600];

		snprintf(plots, sizeof(plots), "%s/plots", out);
		snprintf(p, sizeof(p), "%s/throughput.png", plots);
		ASSERT_OK(unlink(p));
		ASSERT(getcwd(cwd, sizeof(cwd)));
		ASSERT_OK(chdir(plots));
		int rc = th_run(argv, NULL, NULL, NULL, 60);
		ASSERT_OK(chdir(cwd));
		ASSERT_EQ(rc, 0);
		ASSERT(th_is_png(p, 5000));
	}
	th_tmpdir_free(dir);
	return 0;
}

TEST_IMPL(report_sweep)
{
	NEED_GNUPLOT();
	/* Out of order on purpose: the sweep sorts by the parameter. */
	const char *const files[] = {DATA "/sweep-threads-4.json",
				     DATA "/sweep-threads-1.json",
				     DATA "/sweep-threads-2.json"};
	char *dir = th_tmpdir("reports"), out[512], p[1024];

	ASSERT(dir);
	snprintf(out, sizeof(out), "%s/sweep", dir);
	ASSERT_OK(th_report(files, 3, out));
	ASSERT(check_plot(out, "sweep"));
	ASSERT(check_plot(out, "throughput-1"));
	ASSERT(check_plot(out, "latency-dist-3"));
	ASSERT(mmap_threads_in_order(out));
	snprintf(p, sizeof(p), "%s/plots/sweep.gp", out);
	ASSERT(th_contains(p, "set xlabel 'threads'"));
	snprintf(p, sizeof(p), "%s/index.html", out);
	ASSERT(th_contains(p, "Sweep over <code>threads</code>"));
	ASSERT(th_contains(p, "src=\"plots/sweep.png\""));
	ASSERT(th_contains(p, "<tr><td>4</td><td>792,050</td>"
			      "<td>1,271,000</td>"));
	th_tmpdir_free(dir);
	return 0;
}

/* Two files that differ in threads and block_size are not a sweep. */
TEST_IMPL(report_no_sweep_two_params)
{
	NEED_GNUPLOT();
	char *dir = th_tmpdir("reports"), out[512], p[1024], *s, *at;
	const char *files[2];
	size_t len;

	ASSERT(dir);
	s = th_slurp(DATA "/sweep-threads-2.json", &len);
	ASSERT(s);
	at = strstr(s, "\"block_size\": 4096");
	ASSERT(at);
	memcpy(at, "\"block_size\": 8192", 18);
	snprintf(p, sizeof(p), "%s/bs8k.json", dir);
	ASSERT_OK(th_write(p, s, len));
	free(s);
	files[0] = DATA "/sweep-threads-1.json";
	files[1] = p;
	snprintf(out, sizeof(out), "%s/two", dir);
	ASSERT_OK(th_report(files, 2, out));
	snprintf(p, sizeof(p), "%s/plots/sweep.png", out);
	ASSERT(!th_exists(p));
	snprintf(p, sizeof(p), "%s/index.html", out);
	ASSERT(th_contains(p, "more than one parameter (block_size, "
			      "threads)"));
	ASSERT(th_contains(p, "bs8k.json"));
	th_tmpdir_free(dir);
	return 0;
}

TEST_IMPL(report_replace)
{
	NEED_GNUPLOT();
	char *dir = th_tmpdir("reports"), out[512], p[1024], err[512];

	ASSERT(dir);
	snprintf(out, sizeof(out), "%s/rep", dir);
	ASSERT_OK(mmb_report_write(basic, 1, out, err, sizeof(err)));
	/* A previous report is replaced as a whole. */
	snprintf(p, sizeof(p), "%s/stale.txt", out);
	ASSERT_OK(th_write(p, "x", 1));
	ASSERT_OK(mmb_report_write(basic, 1, out, err, sizeof(err)));
	ASSERT(!th_exists(p));
	snprintf(p, sizeof(p), "%s/index.html", out);
	ASSERT(th_exists(p));
	/* Trailing slashes name the same directory. */
	snprintf(p, sizeof(p), "%s/rep//", dir);
	ASSERT_OK(mmb_report_write(basic, 1, p, err, sizeof(err)));
	ASSERT(!th_has_entry_prefix(dir, "rep.tmp-"));
	ASSERT(!th_has_entry_prefix(dir, "rep.old-"));

	/* Someone else's directory is never touched. */
	snprintf(out, sizeof(out), "%s/theirs", dir);
	ASSERT_OK(mkdir(out, 0755));
	snprintf(p, sizeof(p), "%s/keep.txt", out);
	ASSERT_OK(th_write(p, "keep", 4));
	ASSERT_EQ(mmb_report_write(basic, 1, out, err, sizeof(err)),
		  MMB_EEXIST);
	ASSERT(strstr(err, "not an mmbench report"));
	ASSERT(th_contains(p, "keep"));
	ASSERT(!th_has_entry_prefix(dir, "theirs.tmp-"));

	/* Nor is a file. */
	snprintf(out, sizeof(out), "%s/afile", dir);
	ASSERT_OK(th_write(out, "data", 4));
	ASSERT_EQ(mmb_report_write(basic, 1, out, err, sizeof(err)),
		  MMB_EEXIST);
	ASSERT(th_contains(out, "data"));

	/* An empty directory becomes the report. */
	snprintf(out, sizeof(out), "%s/empty", dir);
	ASSERT_OK(mkdir(out, 0755));
	ASSERT_OK(mmb_report_write(basic, 1, out, err, sizeof(err)));
	snprintf(p, sizeof(p), "%s/index.html", out);
	ASSERT(th_exists(p));

	ASSERT_EQ(mmb_report_write(basic, 1, ".", err, sizeof(err)),
		  MMB_EINVAL);
	ASSERT_EQ(mmb_report_write(basic, 0, out, err, sizeof(err)),
		  MMB_EINVAL);
	th_tmpdir_free(dir);
	return 0;
}

struct bad {
	const char *name, *content, *why;
};

static const struct bad bad_inputs[] = {
    {"empty.json", "", "empty file"},
    {"blank.json", " \n\t\n", "empty file"},
    {"notjson.json", "hello, world\n", "invalid JSON at line 1, column 1"},
    {"truncated.json", NULL, "(truncated?)"},
    {"nobench.json", "{\"context\": {\"workload\": \"x\"}}\n", "no benchmarks"},
    {"emptybench.json", "{\"context\": {}, \"benchmarks\": []}",
     "no benchmarks"},
    {"array.json", "[1, 2]", "top level is not a JSON object"},
    {"trailing.json", "{\"benchmarks\": [{\"name\": \"a/b\"}]} xx",
     "unexpected data after the JSON value"},
    {"noname.json", "{\"benchmarks\": [{\"backend\": \"mmap\"}]}",
     "benchmarks[0] is not an object with a \"name\""},
    {"badhist.json",
     "{\"benchmarks\": [{\"name\": \"w/m\", \"run_type\": \"aggregate\","
     " \"aggregate_name\": \"median\", \"latency_histogram\": [[5, 1], "
     "[3, 1]]}]}",
     "latency_histogram[1]"},
};

TEST_IMPL(report_bad_inputs)
{
	char *dir = th_tmpdir("reports"), out[512], p[1024], err[512];
	size_t len;
	char *whole = th_slurp(basic[0], &len);

	ASSERT(dir && whole);
	snprintf(out, sizeof(out), "%s/rep", dir);
	for (size_t i = 0; i < sizeof(bad_inputs) / sizeof(*bad_inputs); i++) {
		const struct bad *b = &bad_inputs[i];
		const char *files[2] = {basic[0], p};
		int rc;

		snprintf(p, sizeof(p), "%s/%s", dir, b->name);
		if (b->content)
			ASSERT_OK(th_write(p, b->content, strlen(b->content)));
		else
			ASSERT_OK(th_write(p, whole, len / 2));
		/* The bad file second: a good first file must not leave
		 * anything behind either. */
		rc = mmb_report_write(files, 2, out, err, sizeof(err));
		if (rc != MMB_EPARSE || !strstr(err, p) ||
		    !strstr(err, b->why)) {
			fprintf(stderr, "%s: rc %d, message \"%s\"\n", b->name,
				rc, err);
			free(whole);
			th_tmpdir_free(dir);
			return 1;
		}
		ASSERT(!th_exists(out));
		ASSERT(!th_has_entry_prefix(dir, "rep.tmp-"));
	}
	free(whole);
	snprintf(p, sizeof(p), "%s/does-not-exist.json", dir);
	{
		const char *files[1] = {p};

		ASSERT_EQ(mmb_report_write(files, 1, out, err, sizeof(err)),
			  MMB_EPARSE);
		ASSERT(strstr(err, p) && strstr(err, "cannot open"));
	}
	ASSERT(!th_exists(out));
	th_tmpdir_free(dir);
	return 0;
}

/* mmb_read_file, the one whole-file read of the readers: exact bytes and
 * a NUL after them at sizes around its 64 KiB growth steps, and the
 * failing call recorded when there is nothing to read. */
TEST_IMPL(report_read_file)
{
	static const size_t sizes[] = {0, 1, 65535, 65536, 65537, 300001};
	char *dir = th_tmpdir("reports"), p[512], *data, *buf;
	size_t len;

	ASSERT(dir);
	data = malloc(300001);
	ASSERT(data);
	for (size_t i = 0; i < 300001; i++)
		data[i] = (char)(i * 7 + i / 251); /* NULs inside, too */
	snprintf(p, sizeof(p), "%s/f", dir);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		ASSERT_OK(th_write(p, data, sizes[k]));
		buf = NULL;
		len = 12345;
		ASSERT_OK(mmb_read_file(p, &buf, &len));
		ASSERT_EQ(len, sizes[k]);
		ASSERT(memcmp(buf, data, len) == 0);
		ASSERT_EQ(buf[len], '\0');
		free(buf);
	}
	free(data);

	char want[600];
	buf = (char *)"untouched";
	snprintf(p, sizeof(p), "%s/missing", dir);
	ASSERT_EQ(mmb_read_file(p, &buf, &len), MMB_ENOENT);
	snprintf(want, sizeof(want), "open(%s)", p);
	ASSERT(strcmp(mmb_last_error()->call, want) == 0);
	ASSERT(strcmp(buf, "untouched") == 0);
	/* a directory opens (on Linux) but does not read */
	ASSERT_EQ(mmb_read_file(dir, &buf, &len), MMB_EISDIR);
	snprintf(want, sizeof(want), "read(%s)", dir);
	ASSERT(strcmp(mmb_last_error()->call, want) == 0);
	ASSERT(strcmp(buf, "untouched") == 0);
	ASSERT_EQ(mmb_read_file("", &buf, &len), MMB_EINVAL);
	/* the results loader: the OS error for what cannot be opened, and
	 * what is not a regular file is refused before it is opened */
	{
		struct mmb_report_results r;
		char err[1024];

		ASSERT_EQ(th_report_load(p, &r, err, sizeof(err)), MMB_ENOENT);
		ASSERT(strstr(err, p) &&
		       strstr(err, ": cannot open: no such file"));
		ASSERT_EQ(th_report_load(dir, &r, err, sizeof(err)),
			  MMB_EPARSE);
		ASSERT(strstr(err, dir) &&
		       strstr(err, ": not a regular file (a directory)"));
	}
	th_tmpdir_free(dir);
	return 0;
}

TEST_IMPL(report_no_gnuplot)
{
	char *dir = th_tmpdir("reports"), out[512], empty[512], err[512];
	char *saved = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	int rc;

	ASSERT(dir);
	snprintf(empty, sizeof(empty), "%s/empty-bin", dir);
	ASSERT_OK(mkdir(empty, 0755));
	snprintf(out, sizeof(out), "%s/rep", dir);
	setenv("PATH", empty, 1);
	rc = mmb_report_write(basic, 1, out, err, sizeof(err));
	if (saved)
		setenv("PATH", saved, 1);
	free(saved);
	ASSERT_EQ(rc, MMB_ENOENT);
	ASSERT(strstr(err, "gnuplot-nox"));
	ASSERT(!th_exists(out));
	ASSERT(!th_has_entry_prefix(dir, "rep.tmp-"));
	th_tmpdir_free(dir);
	return 0;
}

/* Names from a results file end up in gnuplot scripts, data files and the
 * page: quotes, backslashes, newlines and markup must not break any. */
TEST_IMPL(report_hostile_strings)
{
	NEED_GNUPLOT();
	static const char json[] =
	    "{\"context\": {\"workload\": \"w<script>x\\\"y\",\n"
	    "  \"verdict\": \"it's <b>fast</b>\\nreally\"},\n"
	    " \"benchmarks\": [\n"
	    "  {\"name\": \"w/a'b\", \"backend\": \"a'b\\\"c\\nd\\\\e\","
	    "   \"items_per_second\": 1000, \"minor_faults\": 3,"
	    "   \"run_type\": \"aggregate\", \"aggregate_name\": \"median\","
	    "   \"lat_p50_ns\": 100, \"lat_max_ns\": 900,"
	    "   \"latency_histogram\": [[128, 5], [1024, 1]]},\n"
	    "  {\"name\": \"w/z\", \"backend\": \"' pause -1 '\","
	    "   \"items_per_second\": 2000, \"minor_faults\": 0}\n"
	    "]}\n";
	char *dir = th_tmpdir("reports"), in[512], out[512], p[1024];
	const char *files[1] = {in};
	char *html;
	int bad;

	ASSERT(dir);
	snprintf(in, sizeof(in), "%s/hostile.json", dir);
	ASSERT_OK(th_write(in, json, strlen(json)));
	snprintf(out, sizeof(out), "%s/rep", dir);
	ASSERT_OK(th_report(files, 1, out));
	ASSERT(check_plot(out, "throughput"));
	ASSERT(check_plot(out, "latency-dist"));
	snprintf(p, sizeof(p), "%s/index.html", out);
	ASSERT(th_contains(p, "w&lt;script&gt;x&quot;y"));
	ASSERT(th_contains(p, "it&#39;s &lt;b&gt;fast&lt;/b&gt;"));
	ASSERT(th_contains(p, "a&#39;b&quot;c"));
	html = th_slurp(p, NULL);
	ASSERT(html);
	bad = strstr(html, "<script") || strstr(html, "<b>fast");
	free(html);
	ASSERT(!bad);
	th_tmpdir_free(dir);
	return 0;
}

/* A parameter the context does not record (mmbench run --window) is
 * found in the command lines. */
TEST_IMPL(report_sweep_command_line)
{
	NEED_GNUPLOT();
	static const char *const win[] = {"4M", "1M", "16M"};
	char *dir = th_tmpdir("reports"), out[512], in[3][512], p[1024];
	const char *files[3] = {in[0], in[1], in[2]};
	size_t len;
	char *s = th_slurp(DATA "/basic.json", &len);

	ASSERT(dir && s);
	for (size_t i = 0; i < 3; i++) {
		const char *at = strstr(s, "--threads 1\"");
		FILE *f;

		ASSERT(at);
		snprintf(in[i], sizeof(in[i]), "%s/w%s.json", dir, win[i]);
		f = fopen(in[i], "w");
		ASSERT(f);
		fprintf(f, "%.*s--threads 1 --window %s --json w%s.json%s",
			(int)(at - s), s, win[i], win[i],
			at + strlen("--threads 1"));
		ASSERT_OK(fclose(f));
	}
	free(s);
	snprintf(out, sizeof(out), "%s/rep", dir);
	ASSERT_OK(th_report(files, 3, out));
	ASSERT(check_plot(out, "sweep"));
	snprintf(p, sizeof(p), "%s/plots/sweep.gp", out);
	ASSERT(th_contains(p, "set xtics ('1 MiB' 1048576, '4 MiB' 4194304, "
			      "'16 MiB' 16777216)"));
	snprintf(p, sizeof(p), "%s/index.html", out);
	ASSERT(th_contains(p, "Sweep over <code>window</code>"));
	ASSERT(th_contains(p, "<tr><td>16 MiB</td><td>255,500</td>"));
	th_tmpdir_free(dir);
	return 0;
}

/* The row of backend `name` in the Device I/O table, malloc'd; NULL if
 * absent. */
static char *io_row(const char *html_path, const char *name)
{
	char *html = th_slurp(html_path, NULL), *t, *row, *end, *out = NULL;
	char start[300];

	if (!html)
		return NULL;
	t = strstr(html, "<table class=\"num io\">");
	snprintf(start, sizeof(start), "<td>%s</td>", name);
	row = t ? strstr(t, start) : NULL;
	end = row ? strstr(row, "</tr>") : NULL;
	if (end) {
		out = malloc((size_t)(end - row) + 1);
		if (out) {
			memcpy(out, row, (size_t)(end - row));
			out[end - row] = '\0';
		}
	}
	free(html);
	return out;
}

/* Unavailable device counters (JSON null) show as dashes, never 0. */
TEST_IMPL(report_amp_nulls)
{
	NEED_GNUPLOT();
	const char *const files[] = {DATA "/amp.json"};
	struct mmb_report_results r;
	char *dir = th_tmpdir("reports"), out[512], p[1024], err[512], *row;
	int ok;

	ASSERT(dir);
	ASSERT_OK(th_report_load(files[0], &r, err, sizeof(err)));
	ASSERT_EQ(r.nb, 2);
	ASSERT(r.b[0].has_io && r.b[1].has_io);
	ASSERT_EQ(r.b[0].read_amp, 13);
	ASSERT_EQ(r.b[0].dev_read_bytes, 106496000);
	ASSERT_EQ(r.b[0].dev_write_bytes, 0);
	ASSERT(isnan(r.b[0].write_amp));
	ASSERT(isnan(r.b[1].read_amp) && isnan(r.b[1].dev_read_bytes) &&
	       isnan(r.b[1].disk_write_bytes));
	mmb_report_results_free(&r);

	snprintf(out, sizeof(out), "%s/rep", dir);
	ASSERT_OK(th_report(files, 1, out));
	snprintf(p, sizeof(p), "%s/index.html", out);
	ASSERT(th_contains(p, "<h3>Device I/O</h3>"));
	ASSERT(th_contains(p, "read amplification (&times;)"));
	ASSERT(th_contains(p, "readahead and fault-around inflate"));
	ASSERT(th_contains(p, "<td>block_device</td><td>vda</td>"));
	ASSERT(th_contains(p, "<td>read_ahead_kb</td><td>128</td>"));
	/* 106496000 B = 101.6 MiB; the real 0 written stays 0. */
	row = io_row(p, "pread");
	ASSERT(row);
	ok = strcmp(row, "<td>pread</td><td>13.00</td><td>101.6</td>"
			 "<td class=\"na\">&ndash;</td><td>0.0</td>"
			 "<td>105.0</td><td>0.1</td>") == 0;
	if (!ok)
		fprintf(stderr, "pread row: %s\n", row);
	free(row);
	ASSERT(ok);
	row = io_row(p, "mmap");
	ASSERT(row);
	{
		size_t dashes = 0;
		int zero = strstr(row, "<td>0") != NULL;

		for (const char *s = row; (s = strstr(s, "&ndash;")); s++)
			dashes++;
		if (zero || dashes != 6)
			fprintf(stderr, "mmap row: %s\n", row);
		free(row);
		ASSERT(!zero);
		ASSERT_EQ(dashes, 6);
	}

	/* A file from before the device counters has no such table. */
	ASSERT_OK(mmb_report_write(basic, 1, out, err, sizeof(err)));
	{
		char *html = th_slurp(p, NULL);
		int has = html && strstr(html, "Device I/O") != NULL;

		free(html);
		ASSERT(!has);
	}
	th_tmpdir_free(dir);
	return 0;
}

TEST_IMPL(report_timeseries)
{
	NEED_GNUPLOT();
	const char *const files[] = {DATA "/timeseries.json"};
	struct mmb_report_results r;
	char *dir = th_tmpdir("reports"), out[512], p[1024], err[512];

	ASSERT(dir);
	ASSERT_OK(th_report_load(files[0], &r, err, sizeof(err)));
	ASSERT_EQ(r.nb, 2);
	ASSERT_EQ(r.b[0].nreps, 3);
	/* The median entry's series: repetition 1's. */
	ASSERT_EQ(r.b[0].nts, 4);
	ASSERT_EQ(r.b[0].ts_rep, 1);
	ASSERT_EQ(r.b[0].ts[0].ops_per_s, 250000);
	ASSERT_EQ(r.b[0].ts[3].resident_pages, 4096);
	ASSERT_EQ(r.b[1].nts, 3);
	ASSERT_EQ(r.b[1].ts[2].tlb_shootdowns, 13);
	ASSERT(fabs(r.b[1].ts[1].t_s - 0.02) < 1e-12);
	mmb_report_results_free(&r);

	snprintf(out, sizeof(out), "%s/rep", dir);
	ASSERT_OK(th_report(files, 1, out));
	ASSERT(check_plot(out, "timeseries"));
	snprintf(p, sizeof(p), "%s/plots/timeseries.dat", out);
	ASSERT(th_contains(p, "\n 0.01 250000 2500 0 0 1024 3\n"));
	ASSERT(th_contains(p, "\n 0.04 220000 2200 21 3 4096 6\n"));
	ASSERT(th_contains(p, "\n 0.03 150000 1500 14 2 3072 13\n"));
	{
		char *dat = th_slurp(p, NULL);
		size_t samples = 0;

		ASSERT(dat);
		for (char *l = dat; l && *l;
		     l = strchr(l, '\n'), l = l ? l + 1 : l)
			samples += *l == ' ';
		free(dat);
		ASSERT_EQ(samples, 7);
	}
	snprintf(p, sizeof(p), "%s/plots/timeseries.gp", out);
	ASSERT(th_contains(p, "axes x1y2"));
	ASSERT(th_contains(p, "title 'mmap'"));
	snprintf(p, sizeof(p), "%s/index.html", out);
	ASSERT(th_contains(p, "src=\"plots/timeseries.png\""));
	ASSERT(th_contains(p, "ops/s over time"));

	/* No series in the file, no plot. */
	ASSERT_OK(mmb_report_write(basic, 1, out, err, sizeof(err)));
	snprintf(p, sizeof(p), "%s/plots/timeseries.png", out);
	ASSERT(!th_exists(p));
	th_tmpdir_free(dir);
	return 0;
}

/* A Google Benchmark file is drawn as its benchmarks: time per iteration
 * (in ns whatever its time_unit), its Complexity() fit and its errors,
 * never "No backend ran." */
TEST_IMPL(report_gbench_file)
{
	NEED_GNUPLOT();
	const char *const cx[] = {DATA "/gbench-complexity.json"};
	const char *const tu[] = {DATA "/gbench-time-units.json"};
	char *dir = th_tmpdir("reports"), out[512], p[1024];

	ASSERT(dir);
	snprintf(out, sizeof(out), "%s/cx", dir);
	ASSERT_OK(th_report(cx, 1, out));
	ASSERT(check_plot(out, "gb-time"));
	snprintf(p, sizeof(p), "%s/index.html", out);
	ASSERT(!th_contains(p, "No backend ran"));
	ASSERT(th_contains(p, "<td>BM_sort/4096</td>"));
	ASSERT(th_contains(p, "<h2>Complexity</h2>"));
	ASSERT(th_contains(p, "<h2>Errors</h2>"));
	snprintf(p, sizeof(p), "%s/plots/gb-time.dat", out);
	ASSERT(th_contains(p, "\"BM_sort/1024\" "));
	ASSERT(!th_contains(p, "BM_open")); /* an error: no time */
	snprintf(out, sizeof(out), "%s/tu", dir);
	ASSERT_OK(th_report(tu, 1, out));
	snprintf(p, sizeof(p), "%s/plots/gb-time.gp", out);
	/* 2 s .. 5 ns: a log axis */
	ASSERT(th_contains(p, "set logscale x"));
	ASSERT(th_contains(p, "real time per iteration (us)"));
	/* in the unit of the median time: us */
	snprintf(p, sizeof(p), "%s/plots/gb-time.dat", out);
	ASSERT(th_contains(p, "\"BM_ns\" 0.005\n"));
	ASSERT(th_contains(p, "\"BM_s\" 2000000\n"));
	th_tmpdir_free(dir);
	return 0;
}

/* Two Google Benchmark files: an old-vs-new page with the gate's rows. */
TEST_IMPL(report_gbench_compare)
{
	NEED_GNUPLOT();
	const char *const f[] = {DATA "/gbench-complexity.json",
				 DATA "/gbench-complexity.json"};
	char *dir = th_tmpdir("reports"), out[512], p[1024];

	ASSERT(dir);
	snprintf(out, sizeof(out), "%s/cmp", dir);
	ASSERT_OK(th_report(f, 2, out));
	ASSERT(check_plot(out, "compare"));
	snprintf(p, sizeof(p), "%s/index.html", out);
	ASSERT(th_contains(p, "<h1>Old vs new</h1>"));
	ASSERT(th_contains(p, "<b>PASS:</b>"));
	ASSERT(th_contains(p, "<tr><td>BM_sort/1024</td>"));
	ASSERT(th_contains(p, "<td>+0.0 %</td>"));
	th_tmpdir_free(dir);
	return 0;
}

/* One `mmbench sweep` file: its points stay apart and make the sweep;
 * each point has its own section, ranking and plots, which name it, and
 * no point shows the verdict the file's context took from its first. */
TEST_IMPL(report_sweep_file)
{
	NEED_GNUPLOT();
	const char *const files[] = {DATA "/sweep-file.json"};
	struct mmb_report_results r;
	char *dir = th_tmpdir("reports"), out[512], p[1024], err[512];

	ASSERT(dir);
	ASSERT_OK(th_report_load(files[0], &r, err, sizeof(err)));
	ASSERT_EQ(r.nb, 6);
	ASSERT(strcmp(r.b[3].name, "mmap") == 0);
	ASSERT_EQ(r.b[3].sweep_value, 2);
	ASSERT_EQ(r.b[3].ops_per_s, 738000);
	ASSERT_EQ(r.b[3].nreps, 1);
	ASSERT_EQ(r.b[4].sweep_value, 4);
	mmb_report_results_free(&r);

	snprintf(out, sizeof(out), "%s/rep", dir);
	ASSERT_OK(th_report(files, 1, out));
	ASSERT(check_plot(out, "sweep"));
	ASSERT(check_plot(out, "throughput-1"));
	ASSERT(check_plot(out, "throughput-3"));
	ASSERT(mmap_threads_in_order(out));
	snprintf(p, sizeof(p), "%s/plots/sweep.dat", out);
	ASSERT(th_contains(p, "\n 2 470000 "));
	snprintf(p, sizeof(p), "%s/plots/sweep.gp", out);
	ASSERT(th_contains(p, "set xlabel 'threads'"));
	ASSERT(th_contains(p, "set xtics ('1' 1, '2' 2, '4' 4)"));
	ASSERT(th_contains(p, "title 'pread'"));
	snprintf(p, sizeof(p), "%s/plots/throughput-3.dat", out);
	ASSERT(th_contains(p, "\"mmap threads=4\" 1271000"));
	ASSERT(!th_contains(p, "threads=1"));
	snprintf(p, sizeof(p), "%s/plots/throughput-1.gp", out);
	ASSERT(th_contains(p, "set title 'threads=1, random-4k: throughput"));
	snprintf(p, sizeof(p), "%s/index.html", out);
	ASSERT(th_contains(p, "Sweep over <code>threads</code>"));
	ASSERT(th_contains(p, "Results file: <code>"));
	for (int t = 1; t <= 4; t *= 2) {
		char h[64];
		snprintf(h, sizeof(h), "<h2>random-4k, threads=%d <small>", t);
		ASSERT(th_contains(p, h));
	}
	/* ranked within a point, never across points */
	ASSERT(th_contains(p, "<b>mmap threads=1</b>, 1.64&times; the "
			      "slowest (pread threads=1)"));
	ASSERT(th_contains(p, "<b>mmap threads=4</b>, 1.61&times; the "
			      "slowest (pread threads=4)"));
	ASSERT(th_contains(p, "(none per sweep point in this file)"));
	ASSERT(th_contains(p, "<tr><td>4</td><td>790,000</td>"
			      "<td>1,271,000</td></tr>"));
	ASSERT(th_contains(p, "<tr class=\"best\"><td>mmap threads=4</td>"
			      "<td>1,271,000</td>"));
	ASSERT(th_contains(p, "<tr><td>pread threads=1</td><td>250,000</td>"));
	/* the best of its own point */
	ASSERT(th_contains(p, "<tr class=\"best\"><td>mmap threads=2</td>"
			      "<td>738,000</td>"));
	th_tmpdir_free(dir);
	return 0;
}
