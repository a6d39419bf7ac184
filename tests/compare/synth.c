/* SPDX-License-Identifier: MIT */
/* synth.c - synthetic results files for the gate's tests. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth.h"

static double uniform(uint64_t *s)
{
	/* xorshift64*: deterministic, so every run sees the same samples */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (double)((*s * 2685821657736338717ull) >> 11) /
	       9007199254740992.0;
}

int synth_write(const char *path, const struct synth_bench *b, size_t n,
		int reps, unsigned seed)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		return -1;
	}
	uint64_t s = 0x9e3779b97f4a7c15ull ^ seed;
	fprintf(f,
		"{\n  \"context\": {\"mmbench_version\": \"0.1.0\", "
		"\"reps\": %d},\n  \"benchmarks\": [\n",
		reps);
	const char *sep = "";
	for (size_t i = 0; i < n; i++) {
		if (b[i].skipped) {
			fprintf(
			    f,
			    "%s    {\"name\": \"%s\", \"run_name\": \"%s\", "
			    "\"run_type\": \"aggregate\", "
			    "\"aggregate_name\": \"median\", "
			    "\"skipped\": true, \"error_occurred\": true, "
			    "\"error_message\": \"skipped: synthetic\"}",
			    sep, b[i].name, b[i].name);
			sep = ",\n";
			continue;
		}
		for (int r = 0; r < reps; r++) {
			double t =
			    b[i].mean_ns *
			    (1.0 + b[i].noise * (2.0 * uniform(&s) - 1.0));
			fprintf(
			    f,
			    "%s    {\"name\": \"%s\", \"run_name\": \"%s\", "
			    "\"run_type\": \"iteration\", \"repetitions\": "
			    "%d, \"repetition_index\": %d, \"threads\": 1, "
			    "\"iterations\": 1000, \"real_time\": %.17g, "
			    "\"cpu_time\": %.17g, \"time_unit\": \"ns\", "
			    "\"items_per_second\": %.17g, \"faults\": %.17g, "
			    "\"backend\": \"x\", \"latency_histogram\": "
			    "[[1000, 5]]}",
			    sep, b[i].name, b[i].name, reps, r, t, t, 1e9 / t,
			    b[i].faults);
			sep = ",\n";
		}
		fprintf(
		    f,
		    ",\n    {\"name\": \"%s_median\", \"run_name\": \"%s\", "
		    "\"run_type\": \"aggregate\", \"aggregate_name\": "
		    "\"median\", \"repetitions\": %d, \"real_time\": 1e9, "
		    "\"cpu_time\": 1e9, \"time_unit\": \"ns\", "
		    "\"faults\": 1e9}",
		    b[i].name, b[i].name, reps);
	}
	fprintf(f, "\n  ]\n}\n");
	if (fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

int synth_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		return -1;
	}
	fputs(text, f);
	return fclose(f) == 0 ? 0 : -1;
}
