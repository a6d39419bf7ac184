/* SPDX-License-Identifier: MIT */
/* cgroup.c - a memory cgroup for the run.
 *
 * The whole process moves into the cgroup around each repetition (open,
 * cache preparation and the timed region) and back out afterwards, so the
 * page cache the backend faults in is charged to, and limited by, the
 * cgroup. Removing it on a second Ctrl-C is the CLI's (cli/posix/
 * interrupt.c), from the fields of struct mmb_cgroup; one left by a run
 * that was SIGKILLed is removed by the next create (sweep_stale). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "mmbench/pressure.h"

#define V1_ROOT "/sys/fs/cgroup/memory"
#define V2_ROOT "/sys/fs/cgroup"

static int write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return mmb_seterr(-errno, errno, "open(%s)", path);
	ssize_t len = (ssize_t)strlen(val);
	if (write(fd, val, (size_t)len) != len) {
		int e = errno ? errno : EIO;
		close(fd);
		return mmb_seterr(-e, e, "write(%s, %s)", path, val);
	}
	if (close(fd) < 0)
		return mmb_seterr(-errno, errno, "close(%s)", path);
	return 0;
}

/* The process's cgroup path in the hierarchy: for v1 the line
 * "N:memory:/path", for v2 "0::/path". */
static int own_cgroup(int version, char *out, size_t n)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[1024];
	int rc = mmb_seterr(MMB_ESKIP, 0,
			    "no memory cgroup for this process in "
			    "/proc/self/cgroup");

	if (!f)
		return mmb_seterr(-errno, errno, "fopen(/proc/self/cgroup)");
	while (fgets(line, sizeof(line), f)) {
		char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
		if (!b)
			continue;
		*b = 0;
		b[strcspn(b + 1, "\n") + 1] = 0;
		bool match = version == 2 ? strcmp(a + 1, "") == 0
					  : strstr(a + 1, "memory") != NULL;
		if (!match)
			continue;
		snprintf(out, n, "%s", strcmp(b + 1, "/") == 0 ? "" : b + 1);
		rc = 0;
		break;
	}
	fclose(f);
	return rc;
}

static bool v2_has_memory(void)
{
	FILE *f = fopen(V2_ROOT "/cgroup.controllers", "re");
	char buf[512] = "";
	bool ok = false;

	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f))
		for (char *s, *t = strtok_r(buf, " \n", &s); t;
		     t = strtok_r(NULL, " \n", &s))
			ok |= strcmp(t, "memory") == 0;
	fclose(f);
	return ok;
}

/* Whether the cgroup at dir has no process in it. */
static bool no_procs(const char *dir)
{
	char path[1024];
	int c;

	if (snprintf(path, sizeof(path), "%s/cgroup.procs", dir) >=
	    (int)sizeof(path))
		return false;
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	c = fgetc(f);
	fclose(f);
	return c == EOF;
}

/* Remove the mmbench-PID cgroups in parent whose process is gone (a run
 * killed with SIGKILL cannot remove its own) and that hold no process.
 * Best effort: what cannot be removed is left as it was. */
static void sweep_stale(const char *parent, int version)
{
	DIR *d = opendir(parent);
	struct dirent *de;
	char dir[900], path[1024];

	if (!d)
		return;
	while ((de = readdir(d))) {
		char *end;
		if (strncmp(de->d_name, "mmbench-", 8) != 0)
			continue;
		errno = 0;
		long pid = strtol(de->d_name + 8, &end, 10);
		if (errno || *end || end == de->d_name + 8 || pid <= 0 ||
		    pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue; /* alive, or not ours to judge */
		if (snprintf(dir, sizeof(dir), "%s/%s", parent, de->d_name) >=
			(int)sizeof(dir) ||
		    !no_procs(dir))
			continue;
		if (version == 1) {
			snprintf(path, sizeof(path), "%s/memory.force_empty",
				 dir);
			(void)write_str(path, "0");
		}
		rmdir(dir);
	}
	closedir(d);
}

int mmb_cgroup_create(struct mmb_cgroup *cg, uint64_t limit)
{
	char home[400], path[600], val[32];
	const char *root;
	int rc;

	memset(cg, 0, sizeof(*cg));
	if (access(V1_ROOT "/memory.limit_in_bytes", F_OK) == 0) {
		cg->version = 1;
		root = V1_ROOT;
	} else if (v2_has_memory()) {
		cg->version = 2;
		root = V2_ROOT;
	} else {
		return mmb_seterr(MMB_ESKIP, 0,
				  "no cgroup memory controller (neither "
				  "%s nor memory in %s/cgroup.controllers)",
				  V1_ROOT, V2_ROOT);
	}
	rc = own_cgroup(cg->version, home, sizeof(home));
	if (rc < 0)
		goto err_zero;
	/* v2 forbids processes in a cgroup whose children have controllers
	 * ("no internal processes"), so the child goes under the root. */
	const char *parent = cg->version == 2 ? "" : home;
	snprintf(cg->home_procs, sizeof(cg->home_procs), "%s%s/cgroup.procs",
		 root, home);
	snprintf(path, sizeof(path), "%s%s", root, parent);
	sweep_stale(path, cg->version);
	snprintf(cg->dir, sizeof(cg->dir), "%s%s/mmbench-%ld", root, parent,
		 (long)getpid());
	if (mkdir(cg->dir, 0755) < 0) {
		rc = mmb_seterr(-errno, errno, "mkdir(%s)", cg->dir);
		if (errno == EACCES || errno == EPERM || errno == EROFS)
			rc = mmb_seterr(-errno, errno,
					"mkdir(%s) (--memory-limit needs "
					"root)",
					cg->dir);
		goto err_zero;
	}
	snprintf(val, sizeof(val), "%llu", (unsigned long long)limit);
	if (cg->version == 2) {
		rc = write_str(V2_ROOT "/cgroup.subtree_control", "+memory");
		if (rc < 0)
			goto err_rmdir;
		snprintf(path, sizeof(path), "%s/memory.max", cg->dir);
		rc = write_str(path, val);
		if (rc < 0)
			goto err_rmdir;
		/* The limit is on the page cache, not on how far it can be
		 * pushed to swap. */
		snprintf(path, sizeof(path), "%s/memory.swap.max", cg->dir);
		if (access(path, F_OK) == 0 && write_str(path, "0") < 0)
			goto err_rmdir;
	} else {
		snprintf(path, sizeof(path), "%s/memory.limit_in_bytes",
			 cg->dir);
		rc = write_str(path, val);
		if (rc < 0)
			goto err_rmdir;
		snprintf(path, sizeof(path), "%s/memory.swappiness", cg->dir);
		(void)write_str(path, "0"); /* refused in some setups: fine */
	}
	cg->limit = limit;
	mmb_clearerr();
	return 0;

err_rmdir:
	rmdir(cg->dir);
err_zero:
	cg->version = 0;
	cg->dir[0] = 0;
	return rc;
}

static int move_self(const char *procs)
{
	char pid[24];

	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	return write_str(procs, pid);
}

int mmb_cgroup_enter(struct mmb_cgroup *cg)
{
	char procs[600];

	if (!cg->version)
		return mmb_seterr(MMB_EINVAL, 0, "cgroup not created");
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg->dir);
	int rc = move_self(procs);
	if (rc == 0)
		cg->entered = true;
	return rc;
}

int mmb_cgroup_leave(struct mmb_cgroup *cg)
{
	if (!cg->entered)
		return 0;
	int rc = move_self(cg->home_procs);
	if (rc == 0)
		cg->entered = false;
	return rc;
}

uint64_t mmb_cgroup_peak(const struct mmb_cgroup *cg)
{
	char path[600];
	unsigned long long v = 0;

	if (!cg->version)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", cg->dir,
		 cg->version == 1 ? "memory.max_usage_in_bytes"
				  : "memory.peak");
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

int mmb_cgroup_remove(struct mmb_cgroup *cg)
{
	int rc;

	if (!cg->version)
		return 0;
	rc = mmb_cgroup_leave(cg);
	if (rc < 0)
		return rc;
	/* A cgroup whose last task just left can read as busy for a moment;
	 * v1 also releases its page cache first with force_empty. */
	if (cg->version == 1) {
		char path[600];
		snprintf(path, sizeof(path), "%s/memory.force_empty", cg->dir);
		(void)write_str(path, "0");
	}
	for (int i = 0;; i++) {
		if (rmdir(cg->dir) == 0 || errno == ENOENT)
			break;
		if (errno != EBUSY || i == 50)
			return mmb_seterr(-errno, errno, "rmdir(%s)", cg->dir);
		nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
	}
	cg->version = 0;
	cg->dir[0] = 0;
	mmb_clearerr();
	return 0;
}
