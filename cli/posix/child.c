/* posix/child.c - run a child process and wait for it, for the
 * subcommands that drive other runs (sweep, experiment, ab). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "mmb/error.h"

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
