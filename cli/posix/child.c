/* SPDX-License-Identifier: MIT */
/* posix/child.c - child processes of the subcommands that drive other
 * runs: run one and wait for it, a signal this process got passed on once
 * (sweep, experiment, ab); the child `mmbench run` of sweep and experiment
 * (execv of /proc/self/exe); and their temp directory (mkdtemp under
 * $TMPDIR); commands.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "mmb/error.h"

/* As sweep.c: its forwarded options, plus run's own. */
#define MAX_ARGS 128

int mmb_cli_spawn_wait(const char *who, const char *path, char *const argv[],
		       bool quiet, int *status)
{
	bool forwarded = false;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: fork: %s\n", who, mmb_strerror(-errno));
		return -1;
	}
	if (pid == 0) {
		if (quiet) {
			int fd = open("/dev/null", O_WRONLY);

			if (fd >= 0) {
				dup2(fd, 1);
				close(fd);
			}
		}
		execv(path, argv);
		fprintf(stderr, "%s: exec(%s): %s\n", who, path,
			mmb_strerror(-errno));
		_exit(127);
	}
	mmb_interrupt_child(pid);
	/* A Ctrl-C at a terminal reaches the child too; a signal sent to
	 * this process alone is passed on, once. */
	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			fprintf(stderr, "%s: waitpid: %s\n", who,
				mmb_strerror(-errno));
			mmb_interrupt_child(0);
			return -1;
		}
		if (mmb_interrupted() && !forwarded) {
			kill(pid, mmb_interrupted());
			forwarded = true;
		}
		nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
	}
	mmb_interrupt_child(0);
	return 0;
}

int mmb_cli_tempdir(char *dir, size_t n, const char *what)
{
	const char *t = getenv("TMPDIR");

	if (!t || !*t)
		t = "/tmp";
	if ((size_t)snprintf(dir, n, "%s/mmbench-%s-XXXXXX", t, what) >= n) {
		fprintf(stderr, "mmbench %s: TMPDIR is too long (%s)\n", what,
			t);
		return -1;
	}
	if (!mkdtemp(dir)) {
		fprintf(stderr, "mmbench %s: mkdtemp(%s): %s\n", what, dir,
			mmb_strerror(-errno));
		return -1;
	}
	mmb_interrupt_tempfile(dir);
	return 0;
}

int mmb_cli_child_run(char *const *args, const char *json)
{
	char *argv[MAX_ARGS + 4];
	int n = 0, status;

	argv[n++] = "mmbench";
	argv[n++] = "run";
	for (; *args && n < MAX_ARGS; args++)
		argv[n++] = *args;
	argv[n++] = "--json";
	argv[n++] = (char *)json;
	argv[n] = NULL;
	if (mmb_cli_spawn_wait("mmbench", "/proc/self/exe", argv, false,
			       &status))
		return MMB_EXIT_FAIL;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
