/* baseline.c - `mmbench baseline save|check`: keep a results file as the
 * baseline of the regression gate, and check a new run against it.
 *   baseline save RESULT.json BASELINE.json    validate, copy atomically
 *   baseline check BASELINE.json RESULT.json [compare options]
 * `check` is `mmbench compare` with the same options and exit codes. */
#include <stdio.h>
#include <string.h>

#include <mmbench/compare.h>

#include "commands.h"

/* The recorded error as one line. Input problems (MMB_EPARSE, MMB_EINVAL)
 * carry their whole explanation in the context; OS errors get the
 * message of the code appended ("open(x): no such file or directory"). */
static const char *errline(char *buf, size_t n)
{
	const struct mmb_errctx *e = mmb_last_error();
	if (e->code == MMB_EPARSE || e->code == MMB_EINVAL) {
		snprintf(buf, n, "%s", e->call);
		return buf;
	}
	return mmb_errmsg(buf, n);
}

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
			errline(msg, sizeof(msg)));
		return MMB_EXIT_USAGE;
	}
	/* what the gate will need at its default alpha (a check with a
	 * stricter --alpha needs more; compare warns about that itself) */
	size_t need = mmb_utest_min_reps(MMB_COMPARE_ALPHA);
	size_t few = 0, minreps = (size_t)-1;
	for (size_t i = 0; i < r->n; i++) {
		if (r->s[i].skipped)
			continue;
		minreps = r->s[i].n < minreps ? r->s[i].n : minreps;
		few += r->s[i].n < need;
	}
	size_t n = r->n;
	mmb_results_free(r);
	if (mmb_results_copy(argv[1], argv[2]) < 0) {
		fprintf(stderr, "mmbench baseline save: %s\n",
			errline(msg, sizeof(msg)));
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
	return MMB_EXIT_OK;
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
