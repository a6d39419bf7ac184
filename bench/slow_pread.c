/* SPDX-License-Identifier: MIT */
/* slow_pread.c - an LD_PRELOAD shim that makes every pread(2) slower by
 * a fixed spin, for measuring the regression gate (bench/gate-rates.sh):
 * the "new build" of an A/A/B experiment is the same mmbench with this
 * shim loaded, so the injected slow-down sits exactly in the measured
 * path and nowhere else.
 *
 *   LD_PRELOAD=libmmb_slow_pread.so MMB_SLOW_NS=80 mmbench run -b pread
 *
 * MMB_SLOW_NS: nanoseconds to spin after each pread/pread64 (0 or unset:
 * none, only the cost of the wrapper itself). The spin is a calibrated
 * busy loop, so it costs CPU time like real work would; gate-rates.sh
 * loads the shim on both sides (spin 0 on the old one), so the injected
 * difference is the spin alone. */
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

typedef ssize_t (*pread_fn)(int, void *, size_t, off_t);

static pread_fn real_pread;
static uint64_t spin_iters;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void spin(uint64_t iters)
{
	for (uint64_t i = 0; i < iters; i++)
		__asm__ volatile("" ::: "memory");
}

/* How many loop iterations take MMB_SLOW_NS: timed over 2 ms at start-up
 * (the best of 5 tries, so a preemption does not shrink the spin), so
 * each pread then spins without reading a clock. */
__attribute__((constructor)) static void init(void)
{
	const char *s = getenv("MMB_SLOW_NS");
	uint64_t ns = s ? strtoull(s, NULL, 10) : 0;
	double best = 0.0;

	real_pread = (pread_fn)dlsym(RTLD_NEXT, "pread64");
	if (!ns)
		return;
	for (int t = 0; t < 5; t++) {
		uint64_t n = 1u << 20, t0 = now_ns();
		spin(n);
		uint64_t dt = now_ns() - t0;
		double rate = dt ? (double)n / (double)dt : 0.0;
		if (rate > best)
			best = rate;
	}
	spin_iters = (uint64_t)(best * (double)ns + 0.5);
}

static ssize_t slow(int fd, void *buf, size_t n, off_t off)
{
	ssize_t r = real_pread(fd, buf, n, off);
	spin(spin_iters);
	return r;
}
ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	return slow(fd, buf, n, off);
}

ssize_t pread64(int fd, void *buf, size_t n, off_t off)
{
	return slow(fd, buf, n, off);
}
