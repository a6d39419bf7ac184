/* SPDX-License-Identifier: MIT */
/* workloads/posix/perfbuf.c - the perf ring-buffer code of kevents.c and
 * profile.c (perfbuf.h). */
#include "perfbuf.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mmb/error.h"

#define MAX_CPUS     1024
#define RB_BUDGET    (16u << 20)
#define RB_MAX_PAGES 2048u
#define RB_MIN_PAGES 16u

int mmb__perf_open(struct perf_event_attr *a, int cpu)
{
	return (int)syscall(__NR_perf_event_open, a, 0, cpu, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

int mmb__perfbuf_alloc(int **fd, void ***rb, size_t *pages, const char *what)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);
	int ncpu = n < 1 ? 1 : n > MAX_CPUS ? MAX_CPUS : (int)n;
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);

	*fd = malloc((size_t)ncpu * sizeof(int));
	*rb = calloc((size_t)ncpu, sizeof(void *));
	if (!*fd || !*rb) {
		free(*fd);
		free(*rb);
		*fd = NULL;
		*rb = NULL;
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "calloc(%s)", what);
	}
	for (int c = 0; c < ncpu; c++)
		(*fd)[c] = -1;
	*pages = RB_MAX_PAGES;
	while (*pages > RB_MIN_PAGES && *pages * pg * (size_t)ncpu > RB_BUDGET)
		*pages /= 2;
	return ncpu;
}

void mmb__perfbuf_drain(void *rb, size_t pages, void *rec, size_t rec_size,
			mmb__perf_record_fn *fn, void *arg)
{
	struct perf_event_mmap_page *mp = rb;
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t size = pages * pg;
	const unsigned char *data = (const unsigned char *)mp + pg;
	uint64_t head = __atomic_load_n(&mp->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = mp->data_tail;

	while (tail + sizeof(struct perf_event_header) <= head) {
		struct perf_event_header h;
		for (size_t i = 0; i < sizeof(h); i++)
			((unsigned char *)&h)[i] = data[(tail + i) % size];
		if (h.size < sizeof(h) || tail + h.size > head)
			break;
		if (h.size <= rec_size) {
			for (size_t i = 0; i < h.size; i++)
				((unsigned char *)rec)[i] =
				    data[(tail + i) % size];
			fn(&h, rec, arg);
		}
		tail += h.size;
	}
	__atomic_store_n(&mp->data_tail, tail, __ATOMIC_RELEASE);
}
