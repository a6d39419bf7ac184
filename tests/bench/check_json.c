/* SPDX-License-Identifier: MIT */
/* check_json.c - checks the JSON of a short mmb_bench run: it loads with
 * the results loader, every benchmark family is there, and each benchmark
 * either ran (positive time, items counted) or was skipped with a reason.
 *   check_json FILE.json  -> exit 0 ok, 1 with the problems on stderr */
#include <stdio.h>
#include <string.h>

#include <mmbench/results.h>

static const char *const required[] = {
    "core/map_unmap/len:4096",
    "core/window_remap/window:1048576",
    "core/fault/warm/len:8388608/real_time",
    "core/fault/cold/len:8388608/real_time",
    "core/madvise_scan/normal/real_time",
    "core/madvise_scan/sequential/real_time",
    "core/madvise_scan/random/real_time",
    "bare/pread/random-4k/iterations:1/manual_time",
    "bare/mmap-memcpy/random-4k/iterations:1/manual_time",
    "backend/pread/random-4k/real_time",
    "backend/pread/seq-read/real_time",
    "backend/mmap/random-4k/real_time",
    "backend/mmap/seq-read/real_time",
    NULL,
};

/* The first repetition (or the median/mean aggregate) of b. */
static const struct mmb_rentry *first(const struct mmb_results *r,
				      const struct mmb_rbench *b)
{
	return b->nreps ? &r->e[b->reps[0]] : mmb_rbench_center(r, b);
}

static double counter(const struct mmb_rentry *e, const char *name)
{
	double v = e ? mmb_rentry_num(e, name) : -1;
	return v == v ? v : -1;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: check_json FILE.json\n");
		return 2;
	}
	struct mmb_results *r;
	char buf[512];
	if (mmb_results_load(argv[1], &r) < 0) {
		fprintf(stderr, "%s\n", mmb_results_errmsg(buf, sizeof(buf)));
		return 1;
	}
	int bad = 0;
	for (size_t i = 0; required[i]; i++)
		if (!mmb_results_find(r, required[i])) {
			fprintf(stderr, "missing benchmark %s\n", required[i]);
			bad++;
		}
	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_rbench *s = &r->b[i];
		const struct mmb_rentry *e = first(r, s);
		if (s->skipped) {
			if (!s->error || strncmp(s->error, "skipped: ", 9)) {
				fprintf(stderr, "%s failed: %s\n", s->name,
					s->error ? s->error : "?");
				bad++;
			} else {
				printf("%s: %s\n", s->name, s->error);
			}
			continue;
		}
		if (!e || !(e->real_ns > 0)) {
			fprintf(stderr, "%s: no positive time\n", s->name);
			bad++;
		}
		if (strncmp(s->name, "core/fault/", 11) == 0 &&
		    !(counter(e, "faults") > 0)) {
			fprintf(stderr, "%s: no page faults counted\n",
				s->name);
			bad++;
		}
		if (strstr(s->name, "/window_remap/") &&
		    counter(e, "remaps_per_op") != 1.0) {
			fprintf(stderr, "%s: remaps_per_op %g, want 1\n",
				s->name, counter(e, "remaps_per_op"));
			bad++;
		}
	}
	printf("%zu benchmarks, %d problem(s)\n", r->nb, bad);
	mmb_results_free(r);
	return bad ? 1 : 0;
}
