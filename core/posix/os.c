/* SPDX-License-Identifier: MIT */
/* posix/os.c - os.h on Linux/POSIX: files, mmap, madvise, msync, mlock,
 * mincore, POSIX shm, flock, pthread mutexes. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "../os.h"

#ifndef HUGETLBFS_MAGIC
#define HUGETLBFS_MAGIC 0x958458f6
#endif

#define ULL(x) ((unsigned long long)(x))

size_t mmb__os_page_size(void)
{
	long v = sysconf(_SC_PAGESIZE);

	return v > 0 ? (size_t)v : 4096;
}

size_t mmb__os_alloc_granularity(void)
{
	return mmb__os_page_size();
}

/* Read one "Name:   value kB" line of /proc/meminfo; -1 when missing. */
static long long meminfo(const char *name)
{
	char line[256];
	size_t n = strlen(name);
	long long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, n) == 0 && line[n] == ':') {
			v = strtoll(line + n + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

size_t mmb__os_huge_page_size(void)
{
	long long kb = meminfo("Hugepagesize");

	return kb > 0 ? (size_t)kb * 1024 : 0;
}

uint64_t mmb__os_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int mmb__os_open(const char *path, enum mmb_access access, unsigned how,
		 unsigned mode, int *fd)
{
	int flags = O_CLOEXEC;

	flags |= access == MMB_ACCESS_RDWR ? O_RDWR : O_RDONLY;
	if (how & MMB__OPEN_CREATE)
		flags |= O_CREAT;
	if (how & MMB__OPEN_CREATE && how & MMB__OPEN_EXCL)
		flags |= O_EXCL;
	if (!mode)
		mode = 0644;
	*fd = open(path, flags, (mode_t)mode);
	if (*fd < 0 && !(flags & O_CREAT))
		return mmb_seterr(-errno, errno, "open(%s, %s)", path,
				  access == MMB_ACCESS_RDWR ? "O_RDWR"
							    : "O_RDONLY");
	if (*fd < 0)
		return mmb_seterr(
		    -errno, errno, "open(%s, %s|O_CREAT%s, 0%o)", path,
		    access == MMB_ACCESS_RDWR ? "O_RDWR" : "O_RDONLY",
		    flags & O_EXCL ? "|O_EXCL" : "", mode);
	return 0;
}

int mmb__os_dup(int fd, int *out)
{
	*out = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (*out < 0)
		return mmb_seterr(-errno, errno,
				  "fcntl(fd=%d, F_DUPFD_CLOEXEC)", fd);
	return 0;
}

void mmb__os_close(int fd)
{
	close(fd);
}

int mmb__os_file_size(int fd, uint64_t *size)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return mmb_seterr(-errno, errno, "fstat(fd=%d)", fd);
	*size = (uint64_t)st.st_size;
	return 0;
}

int mmb__os_truncate(int fd, uint64_t size)
{
	if (size > (uint64_t)INT64_MAX)
		return mmb_seterr(MMB_EFBIG, 0, "ftruncate(size=%llu)",
				  ULL(size));
	if (ftruncate(fd, (off_t)size) < 0)
		return mmb_seterr(-errno, errno, "ftruncate(fd=%d, size=%llu)",
				  fd, ULL(size));
	return 0;
}

int mmb__os_hugetlb_ok(int fd)
{
	struct statfs sf;

	if (fstatfs(fd, &sf) == 0 &&
	    (unsigned long)sf.f_type == (unsigned long)HUGETLBFS_MAGIC)
		return 0;
	return mmb_seterr(MMB_EINVAL, 0,
			  "map(hugetlb): file is not on a hugetlbfs mount");
}

int mmb__os_file_lock(int fd, bool exclusive, bool wait)
{
	int op = (exclusive ? LOCK_EX : LOCK_SH) | (wait ? 0 : LOCK_NB);
	int rc;

	do
		rc = flock(fd, op);
	while (rc < 0 && errno == EINTR && wait);
	if (rc < 0) {
		/* EWOULDBLOCK == EAGAIN on Linux, but not by standard. */
		int e = errno == EWOULDBLOCK ? EAGAIN : errno;

		return mmb_seterr(-e, errno, "flock(fd=%d, %s%s)", fd,
				  exclusive ? "LOCK_EX" : "LOCK_SH",
				  wait ? "" : "|LOCK_NB");
	}
	return 0;
}

int mmb__os_file_unlock(int fd)
{
	if (flock(fd, LOCK_UN) < 0)
		return mmb_seterr(-errno, errno, "flock(fd=%d, LOCK_UN)", fd);
	return 0;
}

static const char *access_name(enum mmb_access a)
{
	switch (a) {
	case MMB_ACCESS_READ:
		return "PROT_READ, MAP_SHARED";
	case MMB_ACCESS_RDWR:
		return "PROT_READ|PROT_WRITE, MAP_SHARED";
	case MMB_ACCESS_COW:
		return "PROT_READ|PROT_WRITE, MAP_PRIVATE";
	}
	return "?";
}

int mmb__os_map(struct mmb__os_view *v, int fd, enum mmb_access access,
		uint64_t off, size_t len, unsigned flags)
{
	int prot = PROT_READ, mflags = MAP_SHARED;
	void *p;

	if (access != MMB_ACCESS_READ)
		prot |= PROT_WRITE;
	if (flags & MMB_MAP_EXEC)
		prot |= PROT_EXEC;
	if (access == MMB_ACCESS_COW)
		mflags = MAP_PRIVATE;
	if (flags & MMB_MAP_POPULATE)
		mflags |= MAP_POPULATE;
	if (flags & MMB_MAP_HUGETLB)
		mflags |= MAP_HUGETLB;
	if (off > (uint64_t)INT64_MAX)
		return mmb_seterr(MMB_EOVERFLOW, 0, "mmap(offset=%llu)",
				  ULL(off));
	p = mmap(NULL, len, prot, mflags, fd, (off_t)off);
	if (p == MAP_FAILED) {
		int e = errno;

		/* A hugetlbfs mapping reserves its pages up front; ENOMEM
		 * there almost always means the pool is empty. */
		if (flags & MMB_MAP_HUGETLB && e == ENOMEM)
			return mmb_seterr(
			    -e, e,
			    "mmap(hugetlb, offset=%llu, len=%zu; "
			    "HugePages_Free=%lld, reserve more with "
			    "/proc/sys/vm/nr_hugepages)",
			    ULL(off), len, meminfo("HugePages_Free"));
		return mmb_seterr(
		    -e, e, "mmap(%s%s, offset=%llu, len=%zu%s)",
		    access_name(access),
		    flags & MMB_MAP_EXEC ? ", PROT_EXEC" : "", ULL(off), len,
		    flags & MMB_MAP_POPULATE ? ", MAP_POPULATE" : "");
	}
	v->base = p;
	v->len = len;
	v->handle = NULL;
	return 0;
}

int mmb__os_unmap(struct mmb__os_view *v)
{
	if (!v->base)
		return 0;
	if (munmap(v->base, v->len) < 0)
		return mmb_seterr(-errno, errno, "munmap(len=%zu)", v->len);
	memset(v, 0, sizeof(*v));
	return 0;
}

static const struct {
	int advice;
	const char *name;
} advices[MMB_ADV__COUNT] = {
    [MMB_ADV_NORMAL] = {MADV_NORMAL, "MADV_NORMAL"},
    [MMB_ADV_SEQUENTIAL] = {MADV_SEQUENTIAL, "MADV_SEQUENTIAL"},
    [MMB_ADV_RANDOM] = {MADV_RANDOM, "MADV_RANDOM"},
    [MMB_ADV_WILLNEED] = {MADV_WILLNEED, "MADV_WILLNEED"},
    [MMB_ADV_DONTNEED] = {MADV_DONTNEED, "MADV_DONTNEED"},
    [MMB_ADV_FREE] = {MADV_FREE, "MADV_FREE"},
    [MMB_ADV_REMOVE] = {MADV_REMOVE, "MADV_REMOVE"},
    [MMB_ADV_HUGEPAGE] = {MADV_HUGEPAGE, "MADV_HUGEPAGE"},
    [MMB_ADV_NOHUGEPAGE] = {MADV_NOHUGEPAGE, "MADV_NOHUGEPAGE"},
};

int mmb__os_advise(void *addr, size_t len, enum mmb_advice a)
{
	if ((unsigned)a >= MMB_ADV__COUNT)
		return mmb_seterr(MMB_EINVAL, 0, "madvise(advice=%d)", (int)a);
	if (madvise(addr, len, advices[a].advice) < 0)
		return mmb_seterr(-errno, errno, "madvise(len=%zu, %s)", len,
				  advices[a].name);
	return 0;
}

int mmb__os_flush(void *addr, size_t len, bool async)
{
	if (msync(addr, len, async ? MS_ASYNC : MS_SYNC) < 0)
		return mmb_seterr(-errno, errno, "msync(len=%zu, %s)", len,
				  async ? "MS_ASYNC" : "MS_SYNC");
	return 0;
}

int mmb__os_invalidate(void *addr, size_t len)
{
	if (msync(addr, len, MS_INVALIDATE) < 0)
		return mmb_seterr(-errno, errno,
				  "msync(len=%zu, MS_INVALIDATE)", len);
	return 0;
}

int mmb__os_path_size(const char *path, uint64_t *size)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return mmb_seterr(-errno, errno, "stat(%s)", path);
	*size = (uint64_t)st.st_size;
	return 0;
}

/* The raw system calls: sanitizer runtimes replace mlock/munlock with
 * no-ops, and a sanitized build must still pin what it was asked to. */
int mmb__os_lock(void *addr, size_t len)
{
	if (syscall(SYS_mlock, addr, len) < 0)
		return mmb_seterr(-errno, errno, "mlock(len=%zu)", len);
	return 0;
}

int mmb__os_unlock(void *addr, size_t len)
{
	if (syscall(SYS_munlock, addr, len) < 0)
		return mmb_seterr(-errno, errno, "munlock(len=%zu)", len);
	return 0;
}

int mmb__os_resident(void *addr, size_t len, size_t *pages)
{
	size_t pg = mmb__os_page_size(), n = (len + pg - 1) / pg, count = 0;
	unsigned char *vec = malloc(n ? n : 1);

	if (!vec)
		return mmb_seterr(MMB_ENOMEM, 0, "malloc(%zu)", n);
	if (mincore(addr, len, vec) < 0) {
		int e = errno;

		free(vec);
		return mmb_seterr(-e, e, "mincore(len=%zu)", len);
	}
	for (size_t i = 0; i < n; i++)
		count += vec[i] & 1;
	free(vec);
	*pages = count;
	return 0;
}

int mmb__os_shm_map(struct mmb__os_view *v, const char *name, bool create,
		    enum mmb_access access, unsigned mode, uint64_t *size,
		    size_t *delta)
{
	int fd, rc;
	struct stat st;
	int oflags = access == MMB_ACCESS_READ ? O_RDONLY : O_RDWR;

	*delta = 0;
	fd =
	    shm_open(name, oflags | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0),
		     (mode_t)mode);
	if (fd < 0)
		return mmb_seterr(-errno, errno, "shm_open(%s, %s%s, 0%o)",
				  name,
				  oflags == O_RDONLY ? "O_RDONLY" : "O_RDWR",
				  create ? "|O_CREAT|O_EXCL" : "", mode);
	if (create) {
		rc = mmb__os_truncate(fd, *size);
		if (rc)
			goto err_unlink;
	} else {
		if (fstat(fd, &st) < 0) {
			rc = mmb_seterr(-errno, errno, "fstat(shm %s)", name);
			goto err_close;
		}
		*size = (uint64_t)st.st_size;
		if (*size == 0) {
			rc = mmb_seterr(MMB_EBADOFF, 0,
					"shm_open(%s): object is empty", name);
			goto err_close;
		}
	}
	rc = mmb__os_map(v, fd, access, 0, (size_t)*size, 0);
	if (rc)
		goto err_unlink;
	close(fd); /* the mapping keeps the object alive */
	return 0;

err_unlink:
	if (create)
		shm_unlink(name);
err_close:
	close(fd);
	return rc;
}

int mmb__os_shm_remove(const char *name)
{
	if (shm_unlink(name) < 0)
		return mmb_seterr(-errno, errno, "shm_unlink(%s)", name);
	return 0;
}

struct mmb__os_mutex {
	pthread_mutex_t mu;
};

int mmb__os_mutex_new(struct mmb__os_mutex **out)
{
	struct mmb__os_mutex *mu = malloc(sizeof(*mu));
	int e;

	if (!mu)
		return mmb_seterr(MMB_ENOMEM, 0, "malloc(mutex)");
	e = pthread_mutex_init(&mu->mu, NULL);
	if (e) {
		free(mu);
		return mmb_seterr(-e, e, "pthread_mutex_init()");
	}
	*out = mu;
	return 0;
}

void mmb__os_mutex_free(struct mmb__os_mutex *mu)
{
	if (!mu)
		return;
	pthread_mutex_destroy(&mu->mu);
	free(mu);
}

void mmb__os_mutex_lock(struct mmb__os_mutex *mu)
{
	pthread_mutex_lock(&mu->mu);
}

void mmb__os_mutex_unlock(struct mmb__os_mutex *mu)
{
	pthread_mutex_unlock(&mu->mu);
}

/* ---- process-wide lock and condition, threads ----------------------- */

static pthread_mutex_t global_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t global_cond;
static pthread_once_t global_once = PTHREAD_ONCE_INIT;

/* The condition waits on CLOCK_MONOTONIC, so a change of the wall clock
 * never stretches or cuts a flush interval. */
/* fork() while another thread holds the global lock (the flusher, during
 * a flush) would leave it locked forever in the child: take it around the
 * fork, and let the core forget the parent's threads in the child. */
static void fork_prepare(void)
{
	pthread_mutex_lock(&global_mu);
}

static void fork_parent(void)
{
	pthread_mutex_unlock(&global_mu);
}

static void fork_child(void)
{
	mmb__global_forked();
	pthread_mutex_unlock(&global_mu);
}

static void global_init(void)
{
	pthread_condattr_t a;

	pthread_atfork(fork_prepare, fork_parent, fork_child);
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&global_cond, &a);
	pthread_condattr_destroy(&a);
}

void mmb__os_global_lock(void)
{
	pthread_once(&global_once, global_init);
	pthread_mutex_lock(&global_mu);
}

void mmb__os_global_unlock(void)
{
	pthread_mutex_unlock(&global_mu);
}

void mmb__os_global_wait(uint64_t timeout_ms)
{
	struct timespec ts;

	if (timeout_ms == UINT64_MAX) {
		pthread_cond_wait(&global_cond, &global_mu);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)(timeout_ms / 1000);
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&global_cond, &global_mu, &ts);
}

void mmb__os_global_wake(void)
{
	pthread_cond_broadcast(&global_cond);
}

struct mmb__os_thread {
	pthread_t t;
	void (*fn)(void *);
	void *arg;
};

static void *thread_main(void *p)
{
	struct mmb__os_thread *t = p;

	t->fn(t->arg);
	return NULL;
}

int mmb__os_thread_start(struct mmb__os_thread **out, void (*fn)(void *),
			 void *arg)
{
	struct mmb__os_thread *t = malloc(sizeof(*t));
	sigset_t all, old;
	int e;

	if (!t)
		return mmb_seterr(MMB_ENOMEM, 0, "malloc(thread)");
	t->fn = fn;
	t->arg = arg;
	/* The library's thread takes none of the process's signals: they
	 * stay with the threads the program expects them on. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(&t->t, NULL, thread_main, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e) {
		free(t);
		return mmb_seterr(-e, e, "pthread_create(flusher)");
	}
	*out = t;
	return 0;
}

void mmb__os_thread_join(struct mmb__os_thread *t)
{
	pthread_join(t->t, NULL);
	free(t);
}

void mmb__os_thread_forget(struct mmb__os_thread *t)
{
	free(t);
}
