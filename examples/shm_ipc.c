/* SPDX-License-Identifier: MIT */
/* shm_ipc.c - two processes talk through named shared memory, ordered by
 * a file lock: the parent takes the lock, starts a second copy of this
 * program, writes a message and releases the lock; the child, blocked on
 * the lock until then, reads the message and writes its answer.
 *
 *   shm_ipc DIR    prints "child read: ping from the parent" and
 *                  "parent read: pong from the child"
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <mmb/map.h>

#ifdef _WIN32
#include <process.h>
#else
#include <spawn.h>
#include <sys/wait.h>
extern char **environ;
#endif

#ifndef O_BINARY
#define O_BINARY 0
#endif

struct mailbox {
	char msg[64];
	char reply[64];
};

static int fail(const char *who, const char *what)
{
	char e[256];

	fprintf(stderr, "shm_ipc %s: %s: %s\n", who, what,
		mmb_errmsg(e, sizeof(e)));
	return 1;
}

static int child(const char *name, const char *lock)
{
	struct mmb_map *m;
	struct mailbox *box;
	int fd = open(lock, O_RDWR | O_BINARY), ok;

	if (fd < 0 || mmb_shm_open(&m, name))
		return fail("child", "open");
	/* blocks until the parent has written and unlocked */
	if (mmb_file_lock(fd, true, true))
		return fail("child", "lock");
	box = mmb_map_data(m);
	printf("child read: %s\n", box->msg);
	fflush(stdout);
	snprintf(box->reply, sizeof(box->reply), "pong from the child");
	ok = strcmp(box->msg, "ping from the parent") == 0;
	mmb_file_unlock(fd);
	close(fd);
	mmb_map_close(m);
	return ok ? 0 : 1;
}

/* Start `self child NAME LOCK`; returns a handle to wait on, or -1. */
static long start_child(const char *self, const char *name, const char *lock)
{
#ifdef _WIN32
	return (long)_spawnl(_P_NOWAIT, self, self, "child", name, lock, NULL);
#else
	char *args[] = {(char *)self, "child", (char *)name, (char *)lock,
			NULL};
	pid_t pid;

	return posix_spawn(&pid, self, NULL, NULL, args, environ) ? -1
								  : (long)pid;
#endif
}

static int wait_child(long h)
{
#ifdef _WIN32
	int status;

	return _cwait(&status, (intptr_t)h, 0) == -1 ? -1 : status;
#else
	int status;

	if (waitpid((pid_t)h, &status, 0) != (pid_t)h || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
#endif
}

int main(int argc, char **argv)
{
	char name[64], lock[512];
	struct mmb_map *m;
	struct mailbox *box;
	long h;
	int fd, rc;

	if (argc == 4 && strcmp(argv[1], "child") == 0)
		return child(argv[2], argv[3]);
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	snprintf(name, sizeof(name), "/mmb-example-%ld", (long)getpid());
	snprintf(lock, sizeof(lock), "%s/shm_ipc.lock", argv[1]);
	fd = open(lock, O_RDWR | O_CREAT | O_BINARY, 0600);
	if (fd < 0) {
		perror("shm_ipc: lock file");
		return 1;
	}
	if (mmb_file_lock(fd, true, true))
		return fail("parent", "lock");
	if (mmb_shm_create(&m, name, sizeof(struct mailbox)))
		return fail("parent", "create");
	h = start_child(argv[0], name, lock);
	if (h == -1) {
		perror("shm_ipc: start the child");
		return 1;
	}
	box = mmb_map_data(m);
	snprintf(box->msg, sizeof(box->msg), "ping from the parent");
	mmb_file_unlock(fd);
	rc = wait_child(h);
	if (rc != 0) {
		fprintf(stderr, "shm_ipc: child failed (%d)\n", rc);
		return 1;
	}
	printf("parent read: %s\n", box->reply);
	fflush(stdout);
	rc = strcmp(box->reply, "pong from the child") == 0 ? 0 : 1;
	close(fd);
	remove(lock);
	mmb_shm_remove(name);
	mmb_map_close(m);
	return rc;
}
