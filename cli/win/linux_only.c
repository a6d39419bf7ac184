/* SPDX-License-Identifier: MIT */
/* win/linux_only.c - the subcommand this Windows build does not have:
 * `mmbench ab` runs two builds (or shell commands) through fork, execv
 * and /bin/sh, in many short rounds; it is not ported to CreateProcess.
 * It says so in one line and exits 2, so scripts tell "not here" from a
 * failed run. (report, compare, baseline, sweep and experiment are the
 * shared cli/ files; experiment's one preset, cidr22, needs a memory
 * cgroup and says so itself.) */
#include <stdio.h>

#include "commands.h"

int cmd_ab(int argc, char **argv)
{
	(void)argc, (void)argv;
	fprintf(stderr, "mmbench ab: not available on Windows (it runs the "
			"two builds through fork, execv and /bin/sh); use "
			"mmbench compare or baseline check as the gate\n");
	return MMB_EXIT_USAGE;
}
