/* SPDX-License-Identifier: MIT */
/* switch_cost.c - what the kernel event counters add to a context switch:
 * a one-byte pipe round trip with another process (two switches when both
 * run on one CPU: run it under taskset -c 0), without and with the
 * counters of workloads/kevents.h open and enabled on this task.
 * usage: kevents_switch_cost [ROUND_TRIPS]   (default 50000) */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kevents.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Microseconds per round trip, with the counters when counted. */
static double round_trips(int n, bool counted)
{
	int to[2], from[2];
	char c = 'x';

	if (pipe(to) || pipe(from))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		while (read(to[0], &c, 1) == 1 && c != 'q')
			if (write(from[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	struct mmb__kevents *k = NULL;
	if (counted && mmb__kevents_open(&k) < 0)
		return -1;
	mmb__kevents_start(k);
	double t0 = now();
	for (int i = 0; i < n; i++)
		if (write(to[1], &c, 1) != 1 || read(from[0], &c, 1) != 1)
			return -1;
	double t = now() - t0;
	mmb__kevents_stop(k);
	mmb__kevents_close(k);
	c = 'q';
	if (write(to[1], &c, 1) != 1)
		return -1;
	waitpid(pid, NULL, 0);
	for (int i = 0; i < 2; i++) {
		close(to[i]);
		close(from[i]);
	}
	return t / n * 1e6;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 50000;

	for (int r = 0; r < 3; r++) {
		double off = round_trips(n, false), on = round_trips(n, true);
		if (off < 0 || on < 0) {
			fprintf(stderr,
				"kevents_switch_cost: pipe/fork failed\n");
			return 1;
		}
		printf("round trip: %.2f us without counters, %.2f us with\n",
		       off, on);
	}
	return 0;
}
