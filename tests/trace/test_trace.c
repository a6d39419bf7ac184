/* SPDX-License-Identifier: MIT */
/* Trace replay (--workload trace): fio's own iologs, CSV traces and their
 * errors, the chunked op stream, the recorded pace, bounded memory, and
 * the README's strace one-liner. */
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <unistd.h>

#include "mmbench/results.h"
#include "mmbench/workload.h"

#include "test.h"
#include "testutil.h"

#define MiB (1024ull * 1024)

static char dir[64];

static int setup(void)
{
	if (th_mkdtemp(dir, sizeof(dir), "trace") < 0)
		return -1;
	/* the test file goes into the temp dir, not /var/tmp */
	return setenv("MMBENCH_DATA_DIR", dir, 1);
}

static void cleanup(void)
{
	th_rmtree(dir);
	dir[0] = 0;
}

static char *in_dir(const char *name)
{
	return th_path(dir, name);
}

/* mmbench with the NULL-terminated args; stdout, stderr into dir/out,
 * dir/err. The exit status. */
static int run(const char *arg, ...)
{
	const char *argv[64];
	va_list ap;

	va_start(ap, arg);
	th_argv(argv, 64, MMBENCH_EXE, arg, &ap);
	va_end(ap);
	return th_run(argv, in_dir("out"), in_dir("err"), NULL, 0);
}

static bool have(const char *prog)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

/* The trace workload resolved on path for a file of size bytes. */
static int resolve(const char *path, uint64_t size, uint64_t ops,
		   const char *pace, struct mmb_workload_opts *o)
{
	const struct mmb_workload *w = mmb_workload_find("trace");

	*o = (struct mmb_workload_opts){
	    .file_size = size, .ops = ops, .seed = 1, .threads = 1};
	if (!w ||
	    mmb_workload_set(w, o, "trace", (union mmb_value){.s = path}) < 0)
		return -1;
	if (pace) {
		const struct mmb_param *p =
		    &w->params[mmb_workload_param(w, "trace-pace")];
		if (mmb_workload_set(
			w, o, "trace-pace",
			(union mmb_value){.i = mmb_param_enum_parse(p, pace)}) <
		    0)
			return -1;
	}
	return mmb_workload_resolve(w, o);
}

/* ---- fio's iologs -------------------------------------------------------- */

struct logged {
	uint64_t n, writes, first_us, last_us;
	struct mmb_op op[4096];
};

/* Our own reading of a version 3 iolog: its read and write lines. */
static int parse_v3(const char *path, struct logged *l)
{
	char line[512], file[256], act[32];
	unsigned long long t, off, len;
	FILE *f = fopen(path, "r");

	memset(l, 0, sizeof(*l));
	if (!f || !fgets(line, sizeof(line), f) ||
	    strcmp(line, "fio version 3 iolog\n") != 0)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		int k = sscanf(line, "%llu %255s %31s %llu %llu", &t, file, act,
			       &off, &len);
		bool rd = k == 5 && strcmp(act, "read") == 0;
		bool wr = k == 5 && strcmp(act, "write") == 0;
		if (!rd && !wr)
			continue;
		if (l->n == 4096)
			return -1;
		if (l->n == 0)
			l->first_us = t;
		l->last_us = t;
		l->op[l->n++] = (struct mmb_op){
		    .off = off, .len = (uint32_t)len, .is_write = wr};
		l->writes += wr;
	}
	fclose(f);
	return 0;
}

/* The version 2 form of a version 3 log, as older fio wrote it: the same
 * lines without their time. */
static int to_v2(const char *v3, const char *v2)
{
	char line[512];
	FILE *in = fopen(v3, "r"), *out = fopen(v2, "w");

	if (!in || !out || !fgets(line, sizeof(line), in))
		return -1;
	fprintf(out, "fio version 2 iolog\n");
	while (fgets(line, sizeof(line), in)) {
		const char *sp = strchr(line, ' ');
		fputs(sp ? sp + 1 : line, out);
	}
	fclose(in);
	return fclose(out);
}

/* fio --write_iolog of a 1 MiB job with rw into dir/log. */
static int fio_log(const char *rw)
{
	char fname[128], log[128];
	snprintf(fname, sizeof(fname), "--filename=%s", in_dir("fio.dat"));
	snprintf(log, sizeof(log), "--write_iolog=%s", in_dir("log"));
	const char *argv[] = {"fio",
			      "--name=t",
			      fname,
			      "--size=1M",
			      rw,
			      "--bs=4k",
			      log,
			      "--ioengine=psync",
			      "--randseed=7",
			      "--output=/dev/null",
			      NULL};
	return th_run(argv, in_dir("fio.out"), in_dir("fio.err"), NULL, 60);
}

/* The ops the workload makes of path are exactly l's. */
static int same_ops(const char *path, const struct logged *l)
{
	struct mmb_workload_opts o;
	struct mmb_op *ops;

	ASSERT_OK(resolve(path, MiB, 0, NULL, &o));
	ASSERT_EQ(o.ops, l->n);
	ASSERT_EQ(o.block_size, 4096);
	ASSERT_EQ((o.input_flags & MMB_WL_WRITES) != 0, l->writes > 0);
	ASSERT_OK(mmb_workload_generate(mmb_workload_find("trace"), &o, &ops));
	for (uint64_t k = 0; k < l->n; k++) {
		ASSERT_EQ(ops[k].off, l->op[k].off);
		ASSERT_EQ(ops[k].len, l->op[k].len);
		ASSERT_EQ(ops[k].is_write, l->op[k].is_write);
	}
	free(ops);
	return 0;
}

static const char *ctx_str(const struct mmb_results *r, const char *key)
{
	const struct mmb_rval *v = mmb_results_ctx(r, key);
	return v && v->text ? v->text : "";
}

/* Every backend that ran did n ops per repetition with one checksum;
 * returns how many ran (-1: a failure). */
static int backends_agree(const struct mmb_results *r, double n)
{
	const char *sum = NULL;
	int ran = 0;

	for (size_t i = 0; i < r->ne; i++) {
		const struct mmb_rentry *e = &r->e[i];
		if (e->kind == MMB_RK_ERROR) {
			fprintf(stderr, "%s: %s\n", e->name,
				e->error ? e->error : "");
			continue;
		}
		if (e->kind != MMB_RK_ITERATION)
			continue;
		const char *c = mmb_rentry_str(e, "checksum");
		if (mmb_rentry_num(e, "ops") != n || !c)
			return -1;
		/* a non-blocking backend's unserved ops are not summed */
		double ns = mmb_rentry_num(e, "ops_not_served");
		if (ns == ns && ns > 0)
			continue;
		if (!sum)
			sum = c;
		if (strcmp(sum, c) != 0) {
			fprintf(stderr, "%s: checksum %s, others %s\n", e->name,
				c, sum);
			return -1;
		}
		ran++;
	}
	return ran;
}

TEST_IMPL(trace_fio_iolog_replayed)
{
	static struct logged l;
	struct mmb_results *r;

	if (!have("fio"))
		SKIP("fio is not installed (scripts/deps.sh test)");
	ASSERT_OK(setup());
	ASSERT_OK(fio_log("--rw=randread"));
	ASSERT_OK(parse_v3(in_dir("log"), &l));
	ASSERT_EQ(l.n, 256); /* 1 MiB in 4 KiB reads, each block once */
	ASSERT_EQ(l.writes, 0);
	ASSERT_OK(same_ops(in_dir("log"), &l));
	ASSERT_OK(to_v2(in_dir("log"), in_dir("log2")));
	ASSERT_OK(same_ops(in_dir("log2"), &l));

	/* Every backend replays the same ops: same count, same bytes. */
	ASSERT_EQ(run("run", "-w", "trace", "--trace", in_dir("log"), "--size",
		      "1M", "-b", "all", "--reps", "1", "--json",
		      in_dir("r.json"), NULL),
		  0);
	ASSERT_OK(mmb_results_load(in_dir("r.json"), &r));
	ASSERT_EQ(mmb_results_ctx_num(r, "trace_ops"), 256);
	ASSERT_EQ(mmb_results_ctx_num(r, "ops"), 256);
	ASSERT_EQ(mmb_results_ctx_num(r, "trace_writes"), 0);
	ASSERT(strcmp(ctx_str(r, "trace_format"), "fio-v3") == 0);
	ASSERT(strcmp(ctx_str(r, "trace"), in_dir("log")) == 0);
	ASSERT(mmb_results_ctx_num(r, "trace_span_us") > 0);
	ASSERT(backends_agree(r, 256) >= 3); /* pread, mmap, ... */
	mmb_results_free(r);

	/* v2 and two threads: the same ops, split */
	ASSERT_EQ(run("run", "-w", "trace", "--trace", in_dir("log2"), "--size",
		      "1M", "-b", "pread,mmap", "--threads", "2", "--reps", "1",
		      "--json", in_dir("r2.json"), NULL),
		  0);
	ASSERT_OK(mmb_results_load(in_dir("r2.json"), &r));
	ASSERT(strcmp(ctx_str(r, "trace_format"), "fio-v2") == 0);
	ASSERT(isnan(mmb_results_ctx_num(r, "trace_span_us")));
	ASSERT_EQ(backends_agree(r, 256), 2);
	mmb_results_free(r);
	cleanup();
	return 0;
}

TEST_IMPL(trace_fio_writes_are_a_write_workload)
{
	static struct logged l;
	struct mmb_results *r;

	if (!have("fio"))
		SKIP("fio is not installed (scripts/deps.sh test)");
	ASSERT_OK(setup());
	ASSERT_OK(fio_log("--rw=randrw"));
	ASSERT_OK(parse_v3(in_dir("log"), &l));
	ASSERT(l.writes > 0 && l.writes < l.n);
	ASSERT_OK(same_ops(in_dir("log"), &l));
	/* on the generated test file, whose contents writes keep */
	ASSERT_EQ(run("run", "-w", "trace", "--trace", in_dir("log"), "--size",
		      "1M", "-b", "pread,mmap", "--reps", "1", "--json",
		      in_dir("r.json"), NULL),
		  0);
	ASSERT_OK(mmb_results_load(in_dir("r.json"), &r));
	ASSERT_EQ(mmb_results_ctx_num(r, "trace_writes"), l.writes);
	ASSERT_EQ(backends_agree(r, (double)l.n), 2);
	mmb_results_free(r);
	/* the writes stored the file's own pattern: it is intact */
	char tf[256];
	size_t tlen;
	ASSERT_OK(mmb_testfile_path(tf, sizeof(tf), MiB));
	char *got = th_slurp(tf, &tlen), *want = malloc(MiB);
	ASSERT(got && want && tlen == MiB);
	mmb_pattern_fill(want, 0, MiB);
	ASSERT(memcmp(got, want, MiB) == 0);
	free(got);
	free(want);
	/* the rules of every write workload: not on the user's own file,
	 * no access mode, no hole punching */
	ASSERT_EQ(run("run", "-w", "trace", "--trace", in_dir("log"), "--file",
		      in_dir("fio.dat"), "-b", "pread", NULL),
		  2);
	ASSERT(th_contains(in_dir("err"), "writes; it runs only on the "
					  "generated test file"));
	ASSERT_EQ(run("run", "-w", "trace", "--trace", in_dir("log"), "--size",
		      "1M", "--access", "touch", "-b", "pread", NULL),
		  2);
	ASSERT_EQ(run("run", "-w", "trace", "--trace", in_dir("log"), "--size",
		      "1M", "--advice", "remove", "-b", "pread", "--reps", "1",
		      "--no-warmup", NULL),
		  1);
	ASSERT(th_contains(in_dir("err"), "punches holes"));
	cleanup();
	return 0;
}

/* ---- CSV ----------------------------------------------------------------- */

TEST_IMPL(trace_csv_ops_and_repeats)
{
	/* comments, blank lines, blanks, CRLF, r/w and the default r */
	static const char csv[] = "# offset,length[,r|w]\n"
				  "0,4096\n"
				  "\n"
				  "  8192 , 100 , w  # a write\r\n"
				  "4096,4096,r\n"
				  "   # only a comment\n"
				  "65436,100";
	const struct mmb_op want[] = {
	    {0, 4096, 0}, {8192, 100, 1}, {4096, 4096, 0}, {65436, 100, 0}};
	const struct mmb_workload *w = mmb_workload_find("trace");
	struct mmb_workload_opts o;
	struct mmb_op *all, *part;

	ASSERT_OK(setup());
	ASSERT_OK(th_write(in_dir("t.csv"), csv, sizeof(csv) - 1));
	ASSERT_OK(resolve(in_dir("t.csv"), 65536, 0, NULL, &o));
	ASSERT_EQ(o.ops, 4); /* one pass by default */
	ASSERT_EQ(o.block_size, 4096);
	ASSERT(o.input_flags & MMB_WL_WRITES);
	/* --ops past one pass starts the trace again; fewer stop early */
	ASSERT_OK(resolve(in_dir("t.csv"), 65536, 4003, NULL, &o));
	ASSERT_OK(mmb_workload_generate(w, &o, &all));
	for (uint64_t k = 0; k < o.ops; k++) {
		ASSERT_EQ(all[k].off, want[k % 4].off);
		ASSERT_EQ(all[k].len, want[k % 4].len);
		ASSERT_EQ(all[k].is_write, want[k % 4].is_write);
	}
	/* any chunking, and a copy taken between chunks, gives the same */
	part = calloc(o.ops, sizeof(*part));
	ASSERT(part);
	static const uint64_t chunk[] = {1, 3, 7, 1000};
	for (size_t c = 0; c < 4; c++) {
		struct mmb_gen g = {0}, mid = {0};
		for (uint64_t d = 0; d < o.ops;) {
			uint64_t k =
			    o.ops - d < chunk[c] ? o.ops - d : chunk[c];
			ASSERT_OK(mmb_gen_fill(w, &o, &g, part + d, k));
			d += k;
			if (d >= 2001 && !mid.next)
				ASSERT_OK(mmb_gen_copy(&mid, &g));
		}
		ASSERT(memcmp(all, part, o.ops * sizeof(*part)) == 0);
		uint64_t at = mid.next;
		ASSERT_OK(mmb_gen_fill(w, &o, &mid, part, o.ops - at));
		ASSERT(memcmp(all + at, part, (o.ops - at) * sizeof(*part)) ==
		       0);
		mmb_gen_free(&g);
		mmb_gen_free(&mid);
	}
	free(part);
	free(all);
	ASSERT_OK(resolve(in_dir("t.csv"), 65536, 3, NULL, &o));
	ASSERT_EQ(o.ops, 3);
	/* the file must hold the ops: 65436 + 100 is its end exactly */
	ASSERT_EQ(resolve(in_dir("t.csv"), 65535, 0, NULL, &o), MMB_EINVAL);
	ASSERT(strstr(mmb_last_error()->call,
		      "t.csv:7: offset 65436 + length 100 is past the end"));
	cleanup();
	return 0;
}

TEST_IMPL(trace_csv_errors_name_the_line)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"0,4096\n4096,4096\nx12,4096\n", "t.csv:3: offset 'x12' is not a "
					      "number"},
	    {"0,4096\n0,4k\n", "t.csv:2: length '4k' is not a number"},
	    {"0,4096\n1044480,4096\n1048576,4096\n",
	     "t.csv:3: offset 1048576 + length 4096 is past the end of the "
	     "file (1048576 bytes)"},
	    {"#\n0,4096,x\n", "t.csv:2: unknown op 'x' (r or w)"},
	    {"0,4096,r,1\n", "t.csv:1: more than 3 fields"},
	    {"0\n", "t.csv:1: '0' is not offset,length[,r|w]"},
	    {"0,0\n", "t.csv:1: length 0"},
	    {"18446744073709551616,1\n", "t.csv:1: offset "
					 "'18446744073709551616' is not a "
					 "number"},
	    {"# nothing\n\n", "has no read or write to replay"},
	    {"fio version 1 iolog\n", "t.csv:1: 'fio version 1 iolog' is not "
				      "supported"},
	    {"fio version 3 iolog\n1 a add\n2 a open\n3 a read 0 4096\n4 b "
	     "read 0 4096\n",
	     "t.csv:5: a second file 'b'"},
	    {"fio version 3 iolog\n1 a add\n2 a frob 0 4096\n",
	     "t.csv:3: unknown action 'frob'"},
	    {"fio version 2 iolog\na read 0\n",
	     "t.csv:2: expected FILE ACTION [OFFSET LENGTH], got 3 fields"},
	    {"fio version 3 iolog\nx a read 0 4096\n",
	     "t.csv:2: time 'x' is not a number"},
	    {"fio version 3 iolog\n1 a read 0 4096\nfio version 3 iolog\n",
	     "t.csv:3: a second iolog header"},
	};

	ASSERT_OK(setup());
	ASSERT_OK(chdir(dir)); /* the messages name the trace as given */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ASSERT_OK(th_write(in_dir("t.csv"), cases[i].text,
				   strlen(cases[i].text)));
		int rc =
		    run("run", "-w", "trace", "--trace", "t.csv", "--size",
			"1M", "-b", "pread", "--json", in_dir("r.json"), NULL);
		if (rc != 2 || th_count_lines(in_dir("err")) != 1 ||
		    !th_contains(in_dir("err"), cases[i].want)) {
			fprintf(stderr, "case %zu: exit %d\n", i, rc);
			return 1;
		}
		/* refused before anything ran: no results file */
		ASSERT(!th_exists(in_dir("r.json")));
	}
	/* no trace, a missing one, a block size of one's own */
	ASSERT_EQ(run("run", "-w", "trace", "--size", "1M", NULL), 2);
	ASSERT(th_contains(in_dir("err"), "--trace: "));
	ASSERT_EQ(run("run", "-w", "trace", "--trace", "nope.csv", "--size",
		      "1M", NULL),
		  2);
	ASSERT(th_contains(in_dir("err"), "nope.csv"));
	ASSERT_OK(th_write(in_dir("t.csv"), "0,4096\n", 7));
	ASSERT_EQ(run("run", "-w", "trace", "--trace", "t.csv", "--bs", "8K",
		      "--size", "1M", NULL),
		  2);
	ASSERT(th_contains(in_dir("err"), "--bs: each op of a trace"));
	ASSERT_OK(chdir("/"));
	cleanup();
	return 0;
}

/* ---- pace ---------------------------------------------------------------- */

TEST_IMPL(trace_recorded_pace_follows_the_times)
{
	/* four reads over 0.45 s of fio time, a sync not replayed */
	static const char log[] = "fio version 3 iolog\n"
				  "0 F add\n"
				  "5 F open\n"
				  "100 F read 0 4096\n"
				  "150100 F read 4096 4096\n"
				  "300100 F read 8192 4096\n"
				  "300200 F sync 0 0\n"
				  "450100 F read 12288 4096\n"
				  "450300 F close\n";
	const uint64_t span_ns = 450000ull * 1000;
	struct mmb_results *r;
	struct mmb_workload_opts o;

	ASSERT_OK(setup());
	ASSERT_OK(th_write(in_dir("t.log"), log, sizeof(log) - 1));
	/* the times, relative to the first op; a second pass one mean gap
	 * (150 ms) after the last */
	ASSERT_OK(resolve(in_dir("t.log"), MiB, 6, "recorded", &o));
	ASSERT(o.input_flags & MMB_WL_PACED);
	struct mmb_gen g = {0};
	struct mmb_op ops[6];
	ASSERT_OK(mmb_gen_fill(mmb_workload_find("trace"), &o, &g, ops, 6));
	static const uint64_t at_ms[] = {0, 150, 300, 450, 600, 750};
	for (int k = 0; k < 6; k++)
		ASSERT_EQ(g.at_ns[k], at_ms[k] * 1000000);
	mmb_gen_free(&g);

	ASSERT_EQ(run("run", "-w", "trace", "--trace", in_dir("t.log"),
		      "--trace-pace", "recorded", "--size", "1M", "-b",
		      "pread,mmap", "--reps", "1", "--no-warmup", "--json",
		      in_dir("r.json"), NULL),
		  0);
	ASSERT_OK(mmb_results_load(in_dir("r.json"), &r));
	ASSERT_EQ(mmb_results_ctx_num(r, "trace_ops"), 4);
	ASSERT_EQ(mmb_results_ctx_num(r, "trace_skipped"), 1);
	ASSERT_EQ(mmb_results_ctx_num(r, "trace_span_us"), 450000);
	ASSERT(strcmp(ctx_str(r, "trace_pace"), "recorded") == 0);
	unsigned paced = 0;
	for (size_t i = 0; i < r->ne; i++)
		if (r->e[i].kind == MMB_RK_ITERATION) {
			ASSERT(mmb_rentry_num(&r->e[i], "elapsed_ns") >=
			       (double)span_ns);
			paced++;
		}
	ASSERT_EQ(paced, 2);
	mmb_results_free(r);
	/* as fast as possible: four 4 KiB reads take nowhere near 0.45 s */
	ASSERT_EQ(run("run", "-w", "trace", "--trace", in_dir("t.log"),
		      "--size", "1M", "-b", "pread", "--reps", "1",
		      "--no-warmup", "--json", in_dir("r.json"), NULL),
		  0);
	ASSERT_OK(mmb_results_load(in_dir("r.json"), &r));
	for (size_t i = 0; i < r->ne; i++)
		if (r->e[i].kind == MMB_RK_ITERATION)
			ASSERT(mmb_rentry_num(&r->e[i], "elapsed_ns") <
			       (double)span_ns);
	mmb_results_free(r);

	/* formats without times cannot be paced: refused, one line */
	ASSERT_OK(to_v2(in_dir("t.log"), in_dir("t2.log")));
	ASSERT_OK(th_write(in_dir("t.csv"), "0,4096\n", 7));
	const char *untimed[] = {in_dir("t2.log"), in_dir("t.csv")};
	for (int i = 0; i < 2; i++) {
		char p[128];
		snprintf(p, sizeof(p), "%s", untimed[i]);
		ASSERT_EQ(run("run", "-w", "trace", "--trace", p,
			      "--trace-pace", "recorded", "--size", "1M", NULL),
			  2);
		ASSERT_EQ(th_count_lines(in_dir("err")), 1);
		ASSERT(th_contains(in_dir("err"),
				   "--trace-pace: recorded pace needs the "
				   "times of a fio version 3 iolog"));
	}
	cleanup();
	return 0;
}

/* ---- memory -------------------------------------------------------------- */

TEST_IMPL(trace_large_trace_bounded_memory)
{
	/* 3M ops: 48 MiB as one array of ops, 40 MiB of text; the chunked
	 * stream holds 262144 ops (4 MiB) and a 64 KiB read buffer. */
	const uint64_t n = 3000000, size = 64 * MiB;
	struct mmb_results *r;
	struct rusage ru;

#if defined(__SANITIZE_ADDRESS__)
	/* mmbench of this build too: its RSS is mostly shadow memory */
	SKIP("max RSS under AddressSanitizer is not the program's");
#endif
	ASSERT_OK(setup());
	FILE *f = fopen(in_dir("big.csv"), "w");
	ASSERT(f);
	for (uint64_t k = 0; k < n; k++)
		fprintf(f, "%llu,4096\n",
			(unsigned long long)(k * 7919 % (size / 4096) * 4096));
	ASSERT_OK(fclose(f));
	ASSERT(th_size(in_dir("big.csv")) > 30 * (long)MiB);
	ASSERT_EQ(run("run", "-w", "trace", "--trace", in_dir("big.csv"),
		      "--size", "64M", "-b", "pread", "--reps", "1",
		      "--no-warmup", "--lat-every", "0", "--json",
		      in_dir("r.json"), NULL),
		  0);
	ASSERT_OK(getrusage(RUSAGE_CHILDREN, &ru));
	fprintf(stderr, "mmbench max RSS: %ld KiB\n", ru.ru_maxrss);
	ASSERT(ru.ru_maxrss > 0);
	ASSERT(ru.ru_maxrss < 24 * 1024); /* KiB */
	ASSERT_OK(mmb_results_load(in_dir("r.json"), &r));
	ASSERT_EQ(mmb_results_ctx_num(r, "trace_ops"), (double)n);
	ASSERT_EQ(backends_agree(r, (double)n), 1);
	mmb_results_free(r);
	cleanup();
	return 0;
}

/* ---- the README's recipe: strace -e trace=pread64 into CSV --------------- */

/* The preads the helper run makes: every 3rd 4 KiB block of 256 KiB, then
 * 100 bytes at 1000, then one that reads 10 bytes at the end. */
#define HELPER_ENV "MMB_TRACE_HELPER_FILE"

static int helper_preads(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 1;
	for (int k = 0; k < 64; k += 3)
		if (pread(fd, buf, 4096, (off_t)k * 4096) != 4096)
			return 1;
	if (pread(fd, buf, 100, 1000) != 100 ||
	    pread(fd, buf, 4096, 256 * 1024 - 10) != 10)
		return 1;
	return close(fd);
}

/* The awk line of README.md's recipe, its placeholders replaced. */
static int readme_awk(char *cmd, size_t n, const char *data,
		      const char *strace_out, const char *csv)
{
	char *doc = th_slurp(MMB_SOURCE_DIR "/README.md", NULL);
	/* an indented code line of the README */
	char *a = doc ? strstr(doc, "\n    awk -v f=") : NULL;
	char line[1024], *e;

	if (!a)
		return -1;
	a += 5;
	e = strchr(a, '\n');
	snprintf(line, sizeof(line), "%.*s", (int)(e ? e - a : 1000), a);
	free(doc);
	/* awk -v f=/path/to/data.db '...' app.strace > app.csv */
	const char *pat[] = {"/path/to/data.db", "app.strace", "app.csv"};
	const char *rep[] = {data, strace_out, csv};
	char out[2048] = "";
	const char *p = line;
	for (;;) {
		const char *best = NULL;
		int which = -1;
		for (int i = 0; i < 3; i++) {
			const char *q = strstr(p, pat[i]);
			if (q && (!best || q < best)) {
				best = q;
				which = i;
			}
		}
		if (!best)
			break;
		strncat(out, p, (size_t)(best - p));
		strncat(out, rep[which], sizeof(out) - strlen(out) - 1);
		p = best + strlen(pat[which]);
	}
	strncat(out, p, sizeof(out) - strlen(out) - 1);
	snprintf(cmd, n, "%s", out);
	return 0;
}

TEST_IMPL(trace_strace_awk_recipe)
{
	const char *helper = getenv(HELPER_ENV);
	char self[512], data[128], st[128], csv[128], cmd[2048];
	struct mmb_results *r;

	if (helper)
		return helper_preads(helper);
	if (!have("strace"))
		SKIP("strace is not installed (scripts/deps.sh test)");
	if (system("strace -o /dev/null true >/dev/null 2>&1") != 0)
		SKIP("strace cannot trace here (ptrace not permitted?)");
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	ASSERT(len > 0);
	self[len] = 0;
	ASSERT_OK(setup());
	snprintf(data, sizeof(data), "%s", in_dir("data.db"));
	snprintf(st, sizeof(st), "%s", in_dir("app.strace"));
	snprintf(csv, sizeof(csv), "%s", in_dir("app.csv"));
	char *zero = calloc(1, 256 * 1024);
	ASSERT(zero && th_write(data, zero, 256 * 1024) == 0);
	free(zero);
	/* The README's strace line, on this test as the program
	 * (LeakSanitizer cannot run under ptrace: off in the helper). */
	const char *asan = getenv("ASAN_OPTIONS");
	char asan_was[512];
	snprintf(asan_was, sizeof(asan_was), "%s", asan ? asan : "");
	char asan_now[600];
	snprintf(asan_now, sizeof(asan_now), "%s%sdetect_leaks=0", asan_was,
		 asan_was[0] ? ":" : "");
	ASSERT_OK(setenv("ASAN_OPTIONS", asan_now, 1));
	ASSERT_OK(setenv(HELPER_ENV, data, 1));
	const char *argv[] = {"strace",
			      "-f",
			      "-y",
			      "-e",
			      "trace=pread64",
			      "-o",
			      st,
			      self,
			      "trace_strace_awk_recipe",
			      NULL};
	int rc = th_run(argv, NULL, in_dir("strace.err"), NULL, 60);
	unsetenv(HELPER_ENV);
	if (asan)
		setenv("ASAN_OPTIONS", asan_was, 1);
	else
		unsetenv("ASAN_OPTIONS");
	ASSERT_EQ(rc, 0);
	ASSERT_OK(readme_awk(cmd, sizeof(cmd), data, st, csv));
	ASSERT_EQ(system(cmd), 0);

	/* exactly the preads, in order */
	char want[2048] = "";
	for (int k = 0; k < 64; k += 3)
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
			 "%d,4096\n", k * 4096);
	snprintf(want + strlen(want), sizeof(want) - strlen(want),
		 "1000,100\n%d,10\n", 256 * 1024 - 10);
	char *got = th_slurp(csv, NULL);
	ASSERT(got);
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "awk made:\n%s\nwanted:\n%s", got, want);
		free(got);
		return 1;
	}
	free(got);
	/* and mmbench replays it on the same file */
	ASSERT_EQ(run("run", "-w", "trace", "--trace", csv, "--file", data,
		      "-b", "pread,mmap", "--reps", "1", "--json",
		      in_dir("r.json"), NULL),
		  0);
	ASSERT_OK(mmb_results_load(in_dir("r.json"), &r));
	ASSERT_EQ(mmb_results_ctx_num(r, "trace_ops"), 24);
	ASSERT_EQ(backends_agree(r, 24), 2);
	mmb_results_free(r);
	cleanup();
	return 0;
}
