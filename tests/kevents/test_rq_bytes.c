/* SPDX-License-Identifier: MIT */
/* block_rq_issue_bytes leaves discards out (issue 13): a discard
 * request's "bytes" is the range discarded, which no data crosses, and
 * the discards other processes' deletions made, dispatched by our task,
 * had made it 3x the device reads of a cold run. The row's tracepoint
 * filter (mmb__kevents_sum_filter) is checked on real requests of a loop
 * device: a 1 MiB discard and a 64 KiB O_DIRECT read, counted on every
 * CPU (the loop driver's discards are dispatched by a kworker) with and
 * without it. Counts only. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kevents.h"
#include "fixture.h"
#include "test.h"

#define NCPU_MAX 256

static long long tracepoint_id(const char *path)
{
	char buf[32] = "";
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return buf[0] ? atoll(buf) : -1;
}

/* Counting events of the tracepoint on every online CPU, all tasks, with
 * filter; how many opened (0 with errno on failure). */
static int open_all(long long id, const char *filter, int *fd, int ncpu)
{
	struct perf_event_attr a;
	int n = 0;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_TRACEPOINT;
	a.config = (unsigned long long)id;
	a.disabled = 1;
	for (int c = 0; c < ncpu; c++) {
		fd[c] = (int)syscall(SYS_perf_event_open, &a, -1, c, -1, 0);
		if (fd[c] < 0 && errno == ENODEV)
			continue;
		if (fd[c] < 0 ||
		    ioctl(fd[c], PERF_EVENT_IOC_SET_FILTER, filter) != 0)
			return 0;
		n++;
	}
	return n;
}

static unsigned long long sum_all(const int *fd, int ncpu)
{
	unsigned long long s = 0, x;

	for (int c = 0; c < ncpu; c++)
		if (fd[c] >= 0 && read(fd[c], &x, sizeof(x)) == sizeof(x))
			s += x;
	return s;
}

static void each(const int *fd, int ncpu, unsigned long req)
{
	for (int c = 0; c < ncpu; c++)
		if (fd[c] >= 0)
			ioctl(fd[c], req, 0);
}

TEST_IMPL(kevents_rq_bytes_leave_discards_out)
{
	const char *only = mmb__kevents_sum_filter(MMB_KEV_BLK_RQ_BYTES);
	int all[NCPU_MAX], ours[NCPU_MAX],
	    ncpu = (int)sysconf(_SC_NPROCESSORS_CONF);
	char path[64], f_all[64], f_ours[160], disc[96];
	const char *skip = NULL;
	int ctl = -1, loop = -1, dio = -1, back = -1, n;
	struct stat st;

	ASSERT(only[0]);
	if (geteuid() != 0)
		SKIP("not root: loop devices and system-wide events need root");
	long long id =
	    tracepoint_id("/sys/kernel/tracing/events/block/block_rq_issue/id");
	if (id < 0)
		SKIP("no block:block_rq_issue in tracefs");
	if (ncpu > NCPU_MAX)
		ncpu = NCPU_MAX;
	for (int c = 0; c < ncpu; c++)
		all[c] = ours[c] = -1;
	ASSERT_OK(kev_setup(16 * MiB));
	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	n = ctl < 0 ? -1 : ioctl(ctl, LOOP_CTL_GET_FREE);
	if (n < 0) {
		skip = "no free loop device (/dev/loop-control)";
		goto out;
	}
	snprintf(path, sizeof(path), "/dev/loop%d", n);
	back = open(kev_path, O_RDWR | O_CLOEXEC);
	loop = open(path, O_RDWR | O_CLOEXEC);
	ASSERT(back >= 0);
	if (loop < 0 || ioctl(loop, LOOP_SET_FD, back) != 0) {
		skip = "cannot attach a loop device";
		goto out;
	}
	snprintf(disc, sizeof(disc),
		 "/sys/block/loop%d/queue/discard_max_bytes", n);
	if (tracepoint_id(disc) <= 0) {
		skip = "the loop device takes no discards here";
		goto out;
	}
	ASSERT_OK(fstat(loop, &st));
	/* the tracepoint's dev: the kernel's MKDEV, major << 20 | minor */
	unsigned long long dev =
	    (unsigned long long)major(st.st_rdev) << 20 | minor(st.st_rdev);
	snprintf(f_all, sizeof(f_all), "dev == %llu", dev);
	snprintf(f_ours, sizeof(f_ours), "%sdev == %llu", only, dev);
	if (!open_all(id, f_all, all, ncpu) ||
	    !open_all(id, f_ours, ours, ncpu)) {
		fprintf(stderr, "filter '%s': %s\n", f_ours, strerror(errno));
		ASSERT(!"the filter is refused");
	}
	dio = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	ASSERT(dio >= 0);
	void *buf = NULL;
	ASSERT_OK(posix_memalign(&buf, 4096, 65536));
	each(all, ncpu, PERF_EVENT_IOC_ENABLE);
	each(ours, ncpu, PERF_EVENT_IOC_ENABLE);
	uint64_t range[2] = {0, 1 << 20};
	int drc = ioctl(loop, BLKDISCARD, range);
	ssize_t got = pread(dio, buf, 65536, 4 << 20);
	each(all, ncpu, PERF_EVENT_IOC_DISABLE);
	each(ours, ncpu, PERF_EVENT_IOC_DISABLE);
	free(buf);
	ASSERT_EQ(drc, 0);
	ASSERT_EQ(got, 65536);
	unsigned long long na = sum_all(all, ncpu), no = sum_all(ours, ncpu);
	fprintf(stderr, "loop%d requests: %llu in all, %llu without discards\n",
		n, na, no);
	/* the read is counted, the discard (one request or more) is not */
	ASSERT(no >= 1);
	ASSERT(na >= no + 1);
out:
	for (int c = 0; c < ncpu; c++) {
		if (all[c] >= 0)
			close(all[c]);
		if (ours[c] >= 0)
			close(ours[c]);
	}
	if (dio >= 0)
		close(dio);
	if (loop >= 0) {
		ioctl(loop, LOOP_CLR_FD, 0);
		close(loop);
	}
	if (back >= 0)
		close(back);
	if (ctl >= 0)
		close(ctl);
	kev_cleanup();
	if (skip)
		SKIP("%s", skip);
	return 0;
}
