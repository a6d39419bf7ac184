/* SPDX-License-Identifier: MIT */
/* The verdict as data around its computation: the one renderer turns the
 * fields into the words docs/results.md shows, "verdict_data" in the JSON
 * reads back to the same struct (and the report renders it), a file
 * without it still shows its text, and ops a non-blocking backend did not
 * serve are a note, not a checksum mismatch. */
#include <math.h>
#include <unistd.h>

#include "../reports/helpers.h"
#include "iostat.h"
#include "mmb/map.h"
#include "mmbench/backend.h"
#include "mmbench/report.h"
#include "mmbench/results.h"
#include "test.h"
#include "vtest.h"

/* ---- rendering ----------------------------------------------------------- */

/* mmap against pread, 3 reps each, ranges apart: the README's case. */
static void two_sided(struct mmb_run_verdict *v)
{
	mmb_run_verdict_clear(v);
	snprintf(v->cache, sizeof(v->cache), "warm");
	v->decision = MMB_RV_FASTER;
	v->winner = (struct mmb_rv_side){.index = 1,
					 .name = "mmap",
					 .mapped = true,
					 .reps = 3,
					 .ops_per_s = 1.4e6};
	v->runner_up = (struct mmb_rv_side){
	    .index = 0, .name = "pread", .reps = 3, .ops_per_s = 1.0e6};
	v->ref = v->runner_up;
	v->vs_runner_up = (struct mmb_rv_cmp){.decision = MMB_RV_FASTER,
					      .rule = MMB_RV_RANGES,
					      .ratio = 1.4,
					      .p = NAN,
					      .reps = {3, 3}};
	v->faster_than_ref = true;
	v->term[MMB_RV_T_SYS_US_PER_OP] = (struct mmb_rv_term_value){0.2, 1.1};
	v->term[MMB_RV_T_USER_US_PER_OP] =
	    (struct mmb_rv_term_value){0.15, 0.16};
	v->term[MMB_RV_T_FAULTS] = (struct mmb_rv_term_value){2048, 0};
	v->term[MMB_RV_T_MAJOR_FAULTS] = (struct mmb_rv_term_value){0, 0};
	v->term[MMB_RV_T_PAGES_TOUCHED] =
	    (struct mmb_rv_term_value){4096, 4096};
	v->term[MMB_RV_T_PAGES_PER_FAULT] = (struct mmb_rv_term_value){2, NAN};
}

TEST_IMPL(verdict_text_from_fields)
{
	struct mmb_run_verdict v;
	char t[MMB_VERDICT_TEXT];

	two_sided(&v);
	ASSERT(strcmp(mmb_verdict_text(&v, t, sizeof(t)),
		      "mmap was 1.4× faster than pread. How sure: 3 "
		      "repetitions each, and their ops/s ranges do not "
		      "overlap. CPU per op: mmap 0.20 µs system and 0.15 µs "
		      "user time, pread 1.10 µs system and 0.16 µs user. mmap "
		      "made no system call per op; its 2048 page faults (none "
		      "waited for the disk) mapped 4096 pages, 2.0 per "
		      "fault.") == 0);

	/* What ran, in the first sentence. */
	snprintf(v.workload, sizeof(v.workload), "random-4k");
	v.block_size = 4096;
	v.file_size = 1ull << 30;
	ASSERT(strncmp(mmb_verdict_text(&v, t, sizeof(t)),
		       "mmap was 1.4× faster than pread on random 4 KiB reads "
		       "of a warm 1 GiB file (cached). How sure: ",
		       80) == 0);

	/* The rule as kept: the p, and the reps of each side. */
	v.vs_runner_up.rule = MMB_RV_UTEST;
	v.vs_runner_up.p = 0.0286;
	v.vs_runner_up.reps[0] = 4;
	v.vs_runner_up.reps[1] = 5;
	ASSERT(strstr(mmb_verdict_text(&v, t, sizeof(t)),
		      "How sure: Mann-Whitney test on the repetitions' ops/s, "
		      "p=0.029 (4 vs 5 repetitions)."));
	v.vs_runner_up.p = 0.0002;
	ASSERT(strstr(mmb_verdict_text(&v, t, sizeof(t)), ", p<0.001 (4 vs"));

	/* Notes: amplification before the counters, advice, not served. */
	two_sided(&v);
	v.note[v.nnotes++] =
	    (struct mmb_rv_note){MMB_RV_N_READ_AMP, "mmap", 13.1, 0.96};
	v.note[v.nnotes++] =
	    (struct mmb_rv_note){MMB_RV_N_ADVICE_RANDOM, "mmap", NAN, NAN};
	v.note[v.nnotes++] =
	    (struct mmb_rv_note){MMB_RV_N_FAULT_AROUND, "mmap", 2, NAN};
	v.note[v.nnotes++] =
	    (struct mmb_rv_note){MMB_RV_N_NOT_SERVED, "pread", 12, NAN};
	mmb_verdict_text(&v, t, sizeof(t));
	fprintf(stderr, "verdict: %s\n", t);
	ASSERT(strstr(t, "ranges do not overlap. But mmap read 13× the "
			 "requested bytes from the device (pread: 0.96×): "
			 "readahead reads beyond each access, and "
			 "fault-around maps the neighbouring pages of each "
			 "fault. --advice random turns readahead off: try "
			 "it. CPU per op: mmap 0.20 µs system"));
	ASSERT(strstr(t, "2.0 per fault: each fault mapped the neighbouring "
			 "cached pages too (fault-around, or large folios)."));
	ASSERT(strstr(t, " pread left 12 ops not served"));
	/* No jargon left unexplained. */
	ASSERT(!strstr(t, "PMD") && !strstr(t, "U test") &&
	       !strstr(t, "vs 1.10"));

	/* The access modes: what each side did with the bytes. */
	two_sided(&v);
	snprintf(v.access, sizeof(v.access), "inplace");
	v.term[MMB_RV_T_OPS] = (struct mmb_rv_term_value){1000, 1000};
	v.term[MMB_RV_T_OPS_VIEWED] = (struct mmb_rv_term_value){1000, 0};
	v.term[MMB_RV_T_BYTES_CONSUMED] =
	    (struct mmb_rv_term_value){4096000, 4096000};
	v.term[MMB_RV_T_USER_US_PER_OP] = (struct mmb_rv_term_value){1.6, 1.64};
	mmb_verdict_text(&v, t, sizeof(t));
	fprintf(stderr, "verdict: %s\n", t);
	ASSERT(strstr(t,
		      " inplace: mmap consumed 3.91 MiB where it lies, in the "
		      "mapping (ops_viewed = ops); pread copied every byte "
		      "(3.91 MiB) into the buffer first; consumer 0.40 "
		      "ns/byte of user time on both."));
	snprintf(v.access, sizeof(v.access), "touch");
	v.term[MMB_RV_T_BYTES_CONSUMED] =
	    (struct mmb_rv_term_value){8000, 4096000};
	mmb_verdict_text(&v, t, sizeof(t));
	fprintf(stderr, "verdict: %s\n", t);
	ASSERT(strstr(t, " touch: mmap loaded 1000 8-byte words where they lie "
			 "(one per op, 7.81 KiB in all); pread moved 4 KiB per "
			 "op into the buffer to read its 8 bytes (3.91 MiB in "
			 "all)."));

	/* Nothing to compare. */
	mmb_run_verdict_clear(&v);
	ASSERT(strcmp(mmb_verdict_text(&v, t, sizeof(t)), "no backend ran") ==
	       0);
	v.decision = MMB_RV_ONLY_ONE;
	v.winner = (struct mmb_rv_side){
	    .index = 0, .name = "pread", .reps = 3, .ops_per_s = 1234};
	ASSERT(strcmp(mmb_verdict_text(&v, t, sizeof(t)),
		      "only pread ran: 1.2k ops/s, nothing to compare it "
		      "with.") == 0);

	/* A short buffer is cut, never overrun. */
	two_sided(&v);
	char small[16];
	memset(small, 'x', sizeof(small));
	mmb_verdict_text(&v, small, sizeof(small));
	ASSERT_EQ(strlen(small), sizeof(small) - 1);
	return 0;
}

/* ---- verdict_data in the results file ----------------------------------- */

#define NREPS 3

struct synth {
	struct mmb_run_result r;
	struct mmb_backend_result b[3];
	struct mmb_rep reps[3][NREPS];
};

/* mmap, preadv2-nowait (non-blocking, `unserved` ops not served per rep)
 * and pread, 3 reps each, ranges apart: mmap 2.0M, preadv2-nowait 1.5M,
 * pread 0.75M ops/s. */
static void synth(struct synth *s, double unserved)
{
	static const char *const names[3] = {"mmap", "preadv2-nowait", "pread"};
	static const double ops[3] = {2.0e6, 1.5e6, 0.75e6};

	memset(s, 0, sizeof(*s));
	snprintf(s->r.workload, sizeof(s->r.workload), "random-4k");
	snprintf(s->r.cache, sizeof(s->r.cache), "cold");
	s->r.advice = -1;
	s->r.reps = NREPS;
	s->r.threads = 1;
	s->r.nbackends = 3;
	s->r.b = s->b;
	for (int i = 0; i < 3; i++) {
		struct mmb_backend_result *b = &s->b[i];
		snprintf(b->name, sizeof(b->name), "%s", names[i]);
		b->caps = MMB_CAP_READ | (i == 0 ? MMB_CAP_MAPPED : 0) |
			  (i == 1 ? MMB_CAP_NONBLOCK : 0);
		if (i == 1) {
			b->nx = 1;
			snprintf(b->xdef[0].name, sizeof(b->xdef[0].name),
				 "ops_not_served");
			snprintf(b->xdef[0].unit, sizeof(b->xdef[0].unit),
				 "ops");
		}
		b->nreps = NREPS;
		b->reps = s->reps[i];
		for (int k = 0; k < NREPS; k++) {
			double *m = s->reps[i][k].m;
			for (unsigned j = 0; j < MMB_M__COUNT; j++)
				m[j] = 0;
			m[MMB_M_OPS] = 100000;
			m[MMB_M_BYTES_READ] = 100000.0 * 4096;
			m[MMB_M_ITEMS_PER_SECOND] = ops[i] * (1 + 0.01 * k);
			m[MMB_M_ELAPSED_NS] = 1e11 / ops[i];
			/* the loader refuses a real_time <= 0 */
			m[MMB_M_REAL_TIME] = m[MMB_M_ELAPSED_NS] / 100000;
			m[MMB_M_SYS_NS] = i == 0 ? 1e6 : 5e7;
			m[MMB_M_USER_NS] = 2e6;
			m[MMB_M_READ_AMP] = i == 0 ? 8.0 : 1.0;
			m[MMB_M_WRITE_AMP] = NAN;
			m[MMB_M_FAULTS] = i == 0 ? 30000 : 0;
			m[MMB_M_PAGES_TOUCHED] = 95000;
			m[MMB_M_PAGES_PER_FAULT] = i == 0 ? 3.2 : NAN;
			s->reps[i][k].x[0] = i == 1 ? unserved : NAN;
		}
		b->min = s->reps[i][0];
		b->median = s->reps[i][1];
		b->max = s->reps[i][2];
		b->mean = b->median;
		b->stddev = b->median;
		b->checksum_stable = true;
	}
}

static bool same_num(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static bool same_side(const struct mmb_rv_side *a, const struct mmb_rv_side *b)
{
	return a->index == b->index && strcmp(a->name, b->name) == 0 &&
	       a->mapped == b->mapped && a->reps == b->reps &&
	       same_num(a->ops_per_s, b->ops_per_s);
}

static bool same_cmp(const struct mmb_rv_cmp *a, const struct mmb_rv_cmp *b)
{
	return a->rule == b->rule &&
	       (a->rule == MMB_RV_NO_RULE ||
		(a->decision == b->decision && same_num(a->ratio, b->ratio) &&
		 same_num(a->p, b->p) && a->overlap == b->overlap &&
		 a->reps[0] == b->reps[0] && a->reps[1] == b->reps[1]));
}

/* Every field the JSON carries, equal after the round trip. */
static int same_verdict(const struct mmb_run_verdict *a,
			const struct mmb_run_verdict *b)
{
	ASSERT_EQ(a->decision, b->decision);
	ASSERT(same_side(&a->winner, &b->winner));
	ASSERT(same_side(&a->runner_up, &b->runner_up));
	ASSERT(same_side(&a->pread, &b->pread));
	ASSERT(same_side(&a->ref, &b->ref));
	ASSERT(same_cmp(&a->vs_runner_up, &b->vs_runner_up));
	ASSERT(same_cmp(&a->vs_pread, &b->vs_pread));
	ASSERT_EQ(a->faster_than_ref, b->faster_than_ref);
	ASSERT(strcmp(a->cache, b->cache) == 0);
	for (unsigned k = 0; k < MMB_RV__TERMS; k++)
		ASSERT(same_num(a->term[k].winner, b->term[k].winner) &&
		       same_num(a->term[k].ref, b->term[k].ref));
	ASSERT_EQ(a->nnotes, b->nnotes);
	for (unsigned i = 0; i < a->nnotes; i++)
		ASSERT(a->note[i].code == b->note[i].code &&
		       strcmp(a->note[i].backend, b->note[i].backend) == 0 &&
		       same_num(a->note[i].value, b->note[i].value) &&
		       same_num(a->note[i].other, b->note[i].other));
	return 0;
}

TEST_IMPL(verdict_notes_not_served)
{
	struct synth s;
	const struct mmb_run_verdict *v = &s.r.verdict;
	const struct mmb_rv_note *n;

	synth(&s, 4337);
	mmb__make_verdict(&s.r);
	vt_print(&s.r);
	ASSERT(strcmp(v->winner.name, "mmap") == 0);
	ASSERT(strcmp(v->runner_up.name, "preadv2-nowait") == 0);
	ASSERT(strcmp(v->ref.name, "pread") == 0);
	/* The runner-up served fewer ops than asked: said, with how many. */
	n = mmb_verdict_note(v, MMB_RV_N_NOT_SERVED, NULL);
	ASSERT(n && strcmp(n->backend, "preadv2-nowait") == 0);
	ASSERT_EQ(n->value, 4337);
	ASSERT(isnan(v->term[MMB_RV_T_OPS_NOT_SERVED].winner));
	/* Every op served: no note. */
	synth(&s, 0);
	mmb__make_verdict(&s.r);
	ASSERT(!mmb_verdict_note(v, MMB_RV_N_NOT_SERVED, NULL));
	/* The non-blocking backend as the winner: its own note, its term. */
	synth(&s, 900);
	s.b[0].status = MMB_ESKIP;
	s.b[0].nreps = 0;
	mmb__make_verdict(&s.r);
	ASSERT(strcmp(v->winner.name, "preadv2-nowait") == 0);
	ASSERT_EQ(v->term[MMB_RV_T_OPS_NOT_SERVED].winner, 900);
	n = mmb_verdict_note(v, MMB_RV_N_NOT_SERVED, "preadv2-nowait");
	ASSERT(n && n->value == 900);
	return 0;
}

TEST_IMPL(verdict_data_round_trip)
{
	struct synth s;
	struct mmb_report_results rr;
	struct mmb_run_verdict back;
	char path[512], err[256], t1[MMB_VERDICT_TEXT], t2[MMB_VERDICT_TEXT];
	char *dir = th_tmpdir("vdata");

	ASSERT(dir);
	snprintf(path, sizeof(path), "%s/r.json", dir);
	synth(&s, 4337);
	mmb__make_verdict(&s.r);
	ASSERT(s.r.verdict.nnotes >= 3); /* read_amp, advice, not served */
	ASSERT(s.r.verdict.pread.index == 2);
	ASSERT_OK(mmb_report_json(&s.r, path));
	ASSERT_OK(th_report_load(path, &rr, err, sizeof(err)));
	ASSERT_OK(mmb_report_verdict(&rr, &back));
	if (same_verdict(&s.r.verdict, &back) != 0)
		return 1;
	/* The text written is the text the data renders to. */
	const struct mmb_rval *text = mmb_report_ctx_get(&rr, "verdict");
	ASSERT(text && text->type == MMB_RT_STRING);
	mmb_verdict_text(&s.r.verdict, t1, sizeof(t1));
	mmb_verdict_text(&back, t2, sizeof(t2));
	ASSERT(strcmp(text->text, t1) == 0 && strcmp(t1, t2) == 0);
	mmb_report_results_free(&rr);

	/* No backend ran: the decision alone. */
	synth(&s, 0);
	for (int i = 0; i < 3; i++) {
		s.b[i].status = MMB_ESKIP;
		s.b[i].nreps = 0;
	}
	mmb__make_verdict(&s.r);
	ASSERT_EQ(s.r.verdict.decision, MMB_RV_NONE_RAN);
	ASSERT_OK(mmb_report_json(&s.r, path));
	ASSERT_OK(th_report_load(path, &rr, err, sizeof(err)));
	ASSERT_OK(mmb_report_verdict(&rr, &back));
	if (same_verdict(&s.r.verdict, &back) != 0)
		return 1;
	mmb_report_results_free(&rr);
	th_rmtree(dir);
	free(dir);
	return 0;
}

/* A results file with the given context members and one benchmark. */
static int write_results(const char *path, const char *ctx)
{
	char doc[4096];
	int n = snprintf(doc, sizeof(doc),
			 "{\"context\": {\"workload\": \"random-4k\"%s},\n"
			 " \"benchmarks\": [{\"name\": \"random-4k/pread\", "
			 "\"backend\": \"pread\", \"run_type\": \"aggregate\", "
			 "\"aggregate_name\": \"median\", "
			 "\"items_per_second\": 1000}]}\n",
			 ctx);
	return n > 0 && (size_t)n < sizeof(doc) ? th_write(path, doc, (size_t)n)
						: -1;
}

static int verdict_of(const char *path, const char *ctx,
		      struct mmb_run_verdict *v)
{
	struct mmb_report_results rr;
	char err[256];
	int rc;

	if (write_results(path, ctx) != 0 ||
	    th_report_load(path, &rr, err, sizeof(err)) != 0)
		return 999;
	rc = mmb_report_verdict(&rr, v);
	mmb_report_results_free(&rr);
	return rc;
}

TEST_IMPL(verdict_data_absent_or_bad)
{
	struct mmb_run_verdict v;
	char path[512];
	char *dir = th_tmpdir("vdata");

	ASSERT(dir);
	snprintf(path, sizeof(path), "%s/v.json", dir);
	/* Version 1 (and Google Benchmark): no data, the text stands. */
	ASSERT_EQ(verdict_of(path, ", \"verdict\": \"pread ran\"", &v),
		  MMB_ENOENT);
	/* Not an object, an unknown decision, a comparison without its
	 * sides: refused, and v is left empty. */
	ASSERT_EQ(verdict_of(path, ", \"verdict_data\": 3", &v), MMB_EPARSE);
	ASSERT_EQ(verdict_of(path,
			     ", \"verdict_data\": {\"decision\": \"bogus\"}",
			     &v),
		  MMB_EPARSE);
	ASSERT_EQ(verdict_of(path,
			     ", \"verdict_data\": {\"decision\": \"faster\", "
			     "\"winner\": {\"backend\": \"mmap\"}}",
			     &v),
		  MMB_EPARSE);
	ASSERT_EQ(v.decision, MMB_RV_NONE_RAN);
	ASSERT_EQ(v.winner.index, -1);
	/* What a later mmbench may add is ignored: keys, terms, codes. */
	ASSERT_OK(verdict_of(
	    path,
	    ", \"verdict_data\": {\"decision\": \"only_one\", \"future\": 1, "
	    "\"winner\": {\"index\": 0, \"backend\": \"pread\", \"reps\": 3, "
	    "\"ops_per_s\": 1000, \"mapped\": false}, "
	    "\"terms\": [{\"key\": \"sys_us_per_op\", \"winner\": 1.5}, "
	    "{\"key\": \"warp_factor\", \"winner\": 9}], "
	    "\"notes\": [{\"code\": \"from_the_future\", \"backend\": \"x\"}, "
	    "{\"code\": \"ops_not_served\", \"backend\": \"pread\", "
	    "\"value\": 7}]}",
	    &v));
	ASSERT_EQ(v.decision, MMB_RV_ONLY_ONE);
	ASSERT(strcmp(v.winner.name, "pread") == 0 && v.winner.reps == 3);
	ASSERT_EQ(v.term[MMB_RV_T_SYS_US_PER_OP].winner, 1.5);
	ASSERT(isnan(v.term[MMB_RV_T_FAULTS].winner));
	ASSERT_EQ(v.nnotes, 1);
	ASSERT(v.note[0].code == MMB_RV_N_NOT_SERVED && v.note[0].value == 7);
	th_rmtree(dir);
	free(dir);
	return 0;
}

/* The report renders from verdict_data (text and evidence table), and
 * shows the text of a file without it. */
TEST_IMPL(verdict_report_renders_data)
{
	NEED_GNUPLOT();
	struct synth s;
	char path[512], old[512], out[512], html[600], t[MMB_VERDICT_TEXT];
	char *dir = th_tmpdir("vdata");
	const char *files[1] = {path};

	ASSERT(dir);
	snprintf(path, sizeof(path), "%s/r.json", dir);
	snprintf(out, sizeof(out), "%s/rep", dir);
	snprintf(html, sizeof(html), "%s/index.html", out);
	synth(&s, 0);
	mmb__make_verdict(&s.r);
	ASSERT_OK(mmb_report_json(&s.r, path));
	ASSERT_OK(th_report(files, 1, out));
	mmb_verdict_text(&s.r.verdict, t, sizeof(t));
	/* The first sentence; the page escapes nothing in it. */
	*strchr(t, ':') = 0;
	ASSERT(th_contains(html, t));
	ASSERT(th_contains(html, "verdict evidence"));
	ASSERT(th_contains(html, "<td>sys_us_per_op</td>"));
	/* The data is the verdict's, not a context row. */
	char *page = th_slurp(html, NULL);
	ASSERT(page && !strstr(page, "<td>verdict_data</td>"));
	free(page);

	snprintf(old, sizeof(old), "%s/v1.json", dir);
	files[0] = old;
	ASSERT_OK(write_results(old, ", \"verdict\": \"pread alone, v1\""));
	ASSERT_OK(th_report(files, 1, out));
	ASSERT(th_contains(html, "pread alone, v1"));
	th_rmtree(dir);
	free(dir);
	return 0;
}

/* ---- the console: checksums of ops not served --------------------------- */

/* mmbench run on a cold file with preadv2-nowait: the ops it could not
 * serve read no bytes, so its checksum differs from pread's; the run must
 * say why rather than warn that it read different bytes. */
TEST_IMPL(run_not_served_is_no_checksum_warning)
{
	char *dir, out[512], err[512];
	char *text;

	if (geteuid() != 0)
		SKIP("not root: cannot drop the page cache for a cold run");
	dir = th_tmpdir("vdata");
	ASSERT(dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(err, sizeof(err), "%s/err", dir);
	ASSERT_OK(setenv("MMBENCH_DATA_DIR", dir, 1));
	const char *argv[] = {MMBENCH_EXE,
			      "run",
			      "--size",
			      "32M",
			      "--ops",
			      "2000",
			      "--reps",
			      "1",
			      "--no-warmup",
			      "--cache",
			      "cold",
			      "--backends",
			      "pread,preadv2-nowait",
			      NULL};
	int rc = th_run(argv, out, err, NULL, 120);
	text = th_slurp(out, NULL);
	if (text)
		fputs(text, stderr);
	ASSERT(text);
	if (rc == 2 || strstr(text, "preadv2-nowait skipped")) {
		free(text);
		th_rmtree(dir);
		free(dir);
		SKIP("preadv2-nowait or a cold cache cannot run here");
	}
	ASSERT_EQ(rc, 0);
	ASSERT(!strstr(text, "read different bytes"));
	if (!strstr(text, "ops were not served")) {
		free(text);
		th_rmtree(dir);
		free(dir);
		SKIP("every op was served (the file stayed cached)");
	}
	ASSERT(strstr(text, "note: preadv2-nowait's checksum differs from "
			    "pread's because "));
	free(text);
	th_rmtree(dir);
	free(dir);
	return 0;
}
