/* experiment.c - `mmbench experiment cidr22`: Crotty, Leis and Pavlo,
 * "Are You Sure You Want to Use MMAP in Your DBMS?" (CIDR 2022), in one
 * command: random 4 KiB reads and a sequential scan, pread-direct against
 * mmap, on a file 3x larger than the page cache a memory cgroup allows,
 * sampled over time; then, in plain words, whether and when mmap's
 * throughput collapsed. */
#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "mmb/error.h"
#include "mmb/map.h"
#include "mmbench/pressure.h"
#include "mmbench/report.h"
#include "mmbench/result.h"
#include "mmbench/results.h"

static const char usage_text[] =
    "usage: mmbench experiment cidr22 [options]\n"
    "\n"
    "Crotty, Leis, Pavlo (CIDR 2022): mmap keeps up with direct I/O only "
    "until the\npage cache is full. Runs random-4k and seq-read through "
    "pread-direct and mmap\non a file 3x the memory limit (cold cache, "
    "inside a memory cgroup: needs\nroot), samples throughput over time "
    "and says whether mmap collapsed.\n"
    "\n"
    "  --memory-limit SIZE  page cache the run may use (default 256M)\n"
    "  --size SIZE          file size (default 3x the limit)\n"
    "  --duration SEC       per workload and backend (default 20)\n"
    "  --interval MS        sampling interval (default 1000)\n"
    "  --threads N          (default 2)\n"
    "  --advice NAME        madvise/fadvise advice for both backends, e.g.\n"
    "                       random to take readahead out of the picture\n"
    "                       (default: none)\n"
    "  --json FILE          both workloads' results in one file\n"
    "  --report DIR         an HTML report\n"
    "  -h, --help           this text\n";

static const char *const workloads[] = {"random-4k", "seq-read"};
#define NWL 2

/* Plain words for one workload; the numbers come from the results model
 * (mmb_results_collapse). */
static void conclude(const char *wl, const char *file, uint64_t limit,
		     bool advised)
{
	struct mmb_results *r;
	struct mmb_collapse c;
	char msg[512];

	if (mmb_results_load(file, &r) < 0) {
		printf("%s: cannot judge: %s\n", wl,
		       mmb_results_errmsg(msg, sizeof(msg)));
		return;
	}
	if (mmb_results_collapse(r, "mmap", 4, &c) < 0) {
		printf("%s: not enough samples of mmap to judge (%zu)\n", wl,
		       c.nsamples);
		mmb_results_free(r);
		return;
	}
	double limit_pages = (double)limit / (double)mmb_page_size();
	if (c.collapsed)
		printf("%s: mmap COLLAPSED: %.0f ops/s early, %.0f ops/s late "
		       "(-%.0f%%), first below half at t=%.1f s with %.0f of "
		       "the file's pages resident (limit %.0f pages)",
		       wl, c.early, c.late, 100 * (1 - c.late / c.early),
		       c.when_s, c.resident_at, limit_pages);
	else
		printf("%s: mmap did not collapse over time: %.0f ops/s early, "
		       "%.0f ops/s late",
		       wl, c.early, c.late);
	printf("; %.0f major faults, %.0f TLB shootdowns", c.major_faults,
	       c.tlb_shootdowns);
	/* In a small cgroup, fault readahead can evict what it just read
	 * before it is used: then mmap is slow from the first second, for a
	 * reason that is not the paper's (eviction at scale). Say which. */
	if (c.read_amp >= 2)
		printf("; mmap read %.1fx the requested bytes from the device "
		       "(readahead/fault-around%s)",
		       c.read_amp,
		       advised ? ""
			       : ": run again with --advice random to see "
				 "mmap without it");
	struct mmb_collapse pd;
	int has_pd = mmb_results_collapse(r, "pread-direct", 0, &pd);
	if (has_pd != MMB_ENOENT) {
		double pv = pd.ops_per_s, mv = c.ops_per_s;
		if (pv > 0 && mv > 0)
			printf(
			    "; overall mmap %.0f vs pread-direct %.0f ops/s: "
			    "%s is %.1fx faster",
			    mv, pv, mv > pv ? "mmap" : "pread-direct",
			    mv > pv ? mv / pv : pv / mv);
	}
	printf("\n");
	mmb_results_free(r);
}

int cmd_experiment(int argc, char **argv)
{
	uint64_t limit = 256ull << 20, size = 0, threads = 2, interval = 1000;
	double duration = 20;
	const char *json = NULL, *report = NULL, *advice = NULL;
	char err[1024], dir[256];
	char files[NWL][300] = {{0}};
	/* The workloads that left a results file, and their names: one that
	 * failed without a file must not shift the later names. */
	const char *fp[NWL], *fw[NWL];
	unsigned nf = 0;
	int exit_code = MMB_EXIT_OK;

	if (argc >= 2 &&
	    (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		fputs(usage_text, stdout);
		return MMB_EXIT_OK;
	}
	if (argc < 2 || strcmp(argv[1], "cidr22") != 0) {
		fprintf(stderr, "mmbench experiment: %s '%s' (known: cidr22)\n",
			argc < 2 ? "no experiment given" : "unknown experiment",
			argc < 2 ? "" : argv[1]);
		return MMB_EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			return MMB_EXIT_OK;
		}
		if (!v) {
			fprintf(stderr,
				"mmbench experiment: unknown option or "
				"missing value: '%s'\n",
				a);
			return MMB_EXIT_USAGE;
		}
		if (strcmp(a, "--memory-limit") == 0)
			bad = mmb_cli_u64(v, true, &limit) < 0 ||
			      limit < (16u << 20);
		else if (strcmp(a, "--size") == 0)
			bad = mmb_cli_u64(v, true, &size) < 0 || size == 0;
		else if (strcmp(a, "--threads") == 0)
			bad = mmb_cli_u64(v, false, &threads) < 0 ||
			      threads < 1 || threads > 1024;
		else if (strcmp(a, "--interval") == 0)
			bad = mmb_cli_u64(v, false, &interval) < 0 ||
			      interval < 10;
		else if (strcmp(a, "--duration") == 0)
			bad =
			    mmb_cli_double(v, &duration) < 0 || !(duration > 0);
		else if (strcmp(a, "--advice") == 0) {
			if (mmb_advice_parse(advice = v) < 0) {
				fprintf(stderr,
					"mmbench experiment: unknown advice "
					"'%s' (see mmbench list)\n",
					v);
				return MMB_EXIT_USAGE;
			}
		} else if (strcmp(a, "--json") == 0)
			json = v;
		else if (strcmp(a, "--report") == 0)
			report = v;
		else {
			fprintf(stderr,
				"mmbench experiment: unknown option '%s'\n", a);
			return MMB_EXIT_USAGE;
		}
		if (bad) {
			fprintf(stderr,
				"mmbench experiment: %s '%s' is out of "
				"range or not a number\n",
				a, v);
			return MMB_EXIT_USAGE;
		}
		i++;
	}
	if (!size)
		size = 3 * limit;
	if (json && mmb_check_writable(json) < 0) {
		fprintf(stderr, "mmbench experiment: --json %s: %s\n", json,
			mmb_errmsg(err, sizeof(err)));
		return MMB_EXIT_USAGE;
	}
	/* Its parts that this build lacks (Windows), all named at once. */
	const char *why = mmb_cli_unavailable("memory-limit");
	if (why) {
		fprintf(stderr,
			"mmbench experiment: cidr22 needs Linux: a memory "
			"cgroup to cap the page cache, and the --interval "
			"sampler (mincore); --memory-limit is %s\n",
			why);
		return MMB_EXIT_USAGE;
	}
	/* Fail now, not after the file is written, without a cgroup. */
	struct mmb_cgroup probe;
	if (mmb_cgroup_create(&probe, limit) < 0) {
		fprintf(stderr,
			"mmbench experiment: needs a memory cgroup: %s\n",
			mmb_errmsg(err, sizeof(err)));
		return MMB_EXIT_USAGE;
	}
	mmb_cgroup_remove(&probe);
	mmb_interrupt_install();
	if (mmb_cli_tempdir(dir, sizeof(dir), "experiment") < 0)
		return MMB_EXIT_FAIL;
	char s_limit[32], s_size[32], s_dur[32], s_int[32], s_thr[32];
	snprintf(s_limit, sizeof(s_limit), "%llu", (unsigned long long)limit);
	snprintf(s_size, sizeof(s_size), "%llu", (unsigned long long)size);
	snprintf(s_dur, sizeof(s_dur), "%g", duration);
	snprintf(s_int, sizeof(s_int), "%llu", (unsigned long long)interval);
	snprintf(s_thr, sizeof(s_thr), "%llu", (unsigned long long)threads);
	for (unsigned w = 0; w < NWL && !mmb_interrupted(); w++) {
		char *args[] = {"-w",
				(char *)workloads[w],
				"-b",
				"pread-direct,mmap",
				"--size",
				s_size,
				"--memory-limit",
				s_limit,
				"--interval",
				s_int,
				"--duration",
				s_dur,
				"--threads",
				s_thr,
				"--cache",
				"cold",
				"--reps",
				"1",
				"--no-warmup",
				advice ? "--advice" : NULL,
				(char *)advice,
				NULL};
		snprintf(files[w], sizeof(files[w]), "%s/%s.json", dir,
			 workloads[w]);
		mmb_interrupt_tempfile(files[w]);
		printf("== cidr22: %s ==\n", workloads[w]);
		int rc = mmb_cli_child_run(args, files[w]);
		if (access(files[w], F_OK) == 0) {
			fw[nf] = workloads[w];
			fp[nf++] = files[w];
		}
		if (rc != 0 && exit_code == MMB_EXIT_OK)
			exit_code = rc > 128 ? rc : MMB_EXIT_FAIL;
	}
	printf("\ncidr22 conclusion (memory limit %llu MiB, file %llu MiB):\n",
	       (unsigned long long)(limit >> 20),
	       (unsigned long long)(size >> 20));
	for (unsigned i = 0; i < nf; i++)
		conclude(fw[i], fp[i], limit, advice != NULL);
	if (mmb_interrupted())
		exit_code = 128 + mmb_interrupted();
	if (nf && json &&
	    mmb_results_merge(fp, nf, NULL, NULL, "cidr22",
			      nf < NWL || mmb_interrupted(), json) < 0) {
		mmb_results_errmsg(err, sizeof(err));
		fprintf(stderr, "mmbench experiment: --json %s: %s\n", json,
			err);
		if (exit_code == MMB_EXIT_OK)
			exit_code = MMB_EXIT_FAIL;
	}
	if (nf && report &&
	    mmb_report_write(fp, (int)nf, report, err, sizeof(err)) < 0) {
		fprintf(stderr, "mmbench experiment: --report %s: %s\n", report,
			err);
		if (exit_code == MMB_EXIT_OK)
			exit_code = MMB_EXIT_FAIL;
	}
	for (unsigned w = 0; w < NWL && files[w][0]; w++) {
		mmb_interrupt_tempfile_done(files[w]);
		unlink(files[w]);
	}
	mmb_interrupt_tempfile_done(dir);
	rmdir(dir);
	return exit_code;
}
