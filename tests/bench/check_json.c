/* check_json.c - checks the JSON of a short mmb_bench run: it loads with
 * the gate's reader, every benchmark family is there, and each benchmark
 * either ran (positive time, items counted) or was skipped with a reason.
 *   check_json FILE.json  -> exit 0 ok, 1 with the problems on stderr */
#include <stdio.h>
#include <string.h>

#include <mmbench/compare.h>

static const char *const required[] = {
    "core/map_unmap/len:4096",
    "core/window_remap/window:1048576",
    "core/fault/warm/len:8388608/real_time",
    "core/fault/cold/len:8388608/real_time",
    "core/madvise_scan/normal/real_time",
    "core/madvise_scan/sequential/real_time",
    "core/madvise_scan/random/real_time",
    "bare/pread/random-4k/real_time",
    "bare/mmap-memcpy/random-4k/real_time",
    "backend/pread/random-4k/real_time",
    "backend/pread/seq-read/real_time",
    "backend/mmap/random-4k/real_time",
    "backend/mmap/seq-read/real_time",
    NULL,
};

static double counter(const struct mmb_cmp_series *s, const char *name)
{
	for (size_t i = 0; i < s->ncounters; i++)
		if (strcmp(s->counters[i].name, name) == 0 &&
		    s->counters[i].n > 0)
			return s->counters[i].v[0];
	return -1;
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
		fprintf(stderr, "%s\n", mmb_errmsg(buf, sizeof(buf)));
		return 1;
	}
	int bad = 0;
	for (size_t i = 0; required[i]; i++)
		if (!mmb_results_find(r, required[i])) {
			fprintf(stderr, "missing benchmark %s\n", required[i]);
			bad++;
		}
	for (size_t i = 0; i < r->n; i++) {
		const struct mmb_cmp_series *s = &r->s[i];
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
		if (s->n < 1 || !(s->real[0] > 0)) {
			fprintf(stderr, "%s: no positive time\n", s->name);
			bad++;
		}
		if (strncmp(s->name, "core/fault/", 11) == 0 &&
		    !(counter(s, "faults") > 0)) {
			fprintf(stderr, "%s: no page faults counted\n",
				s->name);
			bad++;
		}
		if (strstr(s->name, "/window_remap/") &&
		    counter(s, "remaps_per_op") != 1.0) {
			fprintf(stderr, "%s: remaps_per_op %g, want 1\n",
				s->name, counter(s, "remaps_per_op"));
			bad++;
		}
	}
	printf("%zu benchmarks, %d problem(s)\n", r->n, bad);
	mmb_results_free(r);
	return bad ? 1 : 0;
}
