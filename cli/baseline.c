/* SPDX-License-Identifier: MIT */
/* baseline.c - `mmbench baseline save|check`: keep a results file as the
 * baseline of the regression gate, and check a new run against it.
 *   baseline save RESULT.json BASELINE.json    validate, copy atomically
 *   baseline check BASELINE.json RESULT.json [compare options]
 * `check` is `mmbench compare` with the same options and exit codes. */
#include <stdio.h>
#include <string.h>

#include <mmbench/compare.h>

#include "commands.h"
#include "stage.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mmbench baseline save RESULT.json BASELINE.json\n"
		"       mmbench baseline check [compare options] BASELINE.json "
		"RESULT.json\n"
		"\n"
		"save:  check that RESULT.json is a results file and copy it "
		"to BASELINE.json\n"
		"       atomically (a reader never sees a half-written "
		"baseline)\n"
		"check: compare RESULT.json against the baseline; options "
		"and exit status as\n"
		"       for `mmbench compare` (0 pass, 1 regression, 2 bad "
		"usage or input)\n");
}

static int save(int argc, char **argv)
{
	if (argc == 2 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return MMB_EXIT_OK;
	}
	if (argc != 3) {
		fprintf(stderr, "mmbench baseline save: want RESULT.json and "
				"BASELINE.json\n");
		return MMB_EXIT_USAGE;
	}
	char msg[512];
	struct mmb_results *r;
	if (mmb_results_load(argv[1], &r) < 0) {
		fprintf(stderr, "mmbench baseline save: %s\n",
			mmb_results_errmsg(msg, sizeof(msg)));
		return MMB_EXIT_USAGE;
	}
	/* what the gate will need at its default alpha (a check with a
	 * stricter --alpha needs more; compare warns about that itself) */
	size_t need = mmb_utest_min_reps(MMB_COMPARE_ALPHA);
	size_t few = 0, minreps = (size_t)-1;
	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_rbench *b = &r->b[i];
		/* a benchmark with only aggregates has one sample */
		size_t reps =
		    b->nreps ? b->nreps : mmb_rbench_center(r, b) != NULL;
		if (b->skipped || (!reps && !b->nreps))
			continue;
		minreps = reps < minreps ? reps : minreps;
		few += reps < need;
	}
	size_t n = r->nb;
	mmb_results_free(r);
	/* The copy whole or not at all, whatever Ctrl-Cs come. */
	mmb_interrupt_install();
	mmb_interrupt_hold();
	int rc = mmb_results_copy(argv[1], argv[2]);
	mmb_interrupt_release();
	if (rc < 0) {
		fprintf(stderr, "mmbench baseline save: %s\n",
			mmb_results_errmsg(msg, sizeof(msg)));
		return MMB_EXIT_FAIL;
	}
	printf("saved %zu benchmark(s) from %s as baseline %s\n", n, argv[1],
	       argv[2]);
	if (few)
		fprintf(stderr,
			"mmbench baseline save: warning: %zu benchmark(s) "
			"have as few as %zu repetitions; the gate needs at "
			"least %zu (at alpha %g) to detect a slow-down\n",
			few, minreps, need, MMB_COMPARE_ALPHA);
	return mmb_cli_stopped("mmbench baseline save");
}

int cmd_baseline(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "mmbench baseline: want 'save' or 'check' "
				"(see mmbench baseline --help)\n");
		return MMB_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return MMB_EXIT_OK;
	}
	if (strcmp(argv[1], "save") == 0)
		return save(argc - 1, argv + 1);
	if (strcmp(argv[1], "check") == 0) {
		/* the compare parser, named for the messages */
		char name[] = "baseline check";
		argv[1] = name;
		return cmd_compare(argc - 1, argv + 1);
	}
	fprintf(stderr,
		"mmbench baseline: unknown action '%s': want 'save' or "
		"'check'\n",
		argv[1]);
	return MMB_EXIT_USAGE;
}
