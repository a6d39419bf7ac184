/* SPDX-License-Identifier: MIT */
/* backends/bufferpool.c - a DBMS-style buffer pool: the file is read with
 * O_DIRECT into a user-space cache of frames, and ops are served by memcpy
 * from (or into) the frames. What Crotty, Leis and Pavlo (CIDR 2022)
 * compare mmap with, at the same memory budget.
 *
 * Frames: --pool-size bytes (o->pool_size; 0 = a quarter of the file, at
 * least 8 frames or the whole file when smaller) of 4 KiB frames, or of
 * --bs when it is a power of two between 4 KiB and 2 MiB; never more frames
 * than the file has pages. The frames are one anonymous mapping (advised
 * MADV_HUGEPAGE, as DBMS pools use huge pages), touched at open, so they are
 * charged to the memory cgroup the process is in when the runner opens the
 * backend (--memory-limit: workloads/posix/cgroup.c moves the process in before
 * open); a pool that does not fit the cgroup's limit beside the anonymous
 * memory already charged is refused at open rather than killed by the OOM
 * killer.
 *
 * Page table: a hash map page -> frame, chained through the frames, one
 * mutex per stripe of buckets, taken on misses only. The hit path takes
 * no lock: it walks the chain with atomic loads, pins the frame it found
 * with one atomic add on the frame's state word and then checks that the
 * frame still holds the page (a frame is only reused after a CAS of its
 * state from 0 pins to BP_LOCKED, which a pin prevents); a stale chain
 * only sends it to the miss path, which looks again under the stripe's
 * lock. Each frame's state word is its latch: readers pin it (shared),
 * a writer and the loader hold BP_LOCKED (exclusive).
 *
 * Eviction: CLOCK (second chance) over the frames; a frame's reference bit
 * is set when it is loaded and on every hit. A dirty victim is written
 * back with pwrite before it is reused, while still in the page table (a
 * reader of its page waits rather than read the stale bytes from the
 * file). At the end of the run (.sync) every dirty frame is written back,
 * then fsync under --sync fsync; --sync msync and msync-async write every
 * written frame through at once (msync: and fdatasync). The last frame of
 * a file that is not a multiple of the frame size is written with a
 * buffered pwrite of its valid bytes (O_DIRECT would extend the file).
 *
 * Ops have no alignment constraint (the frames' I/O is aligned, not the
 * ops): the backend does not claim MMB_CAP_DIRECT. It claims
 * MMB_CAP_USERCACHE: a page it holds is served from the pool even when the
 * file changed (or shrank) behind its back.
 *
 * Metrics per repetition (docs/results.md): pool_hits, pool_misses (frame
 * accesses; an op spanning two frames is two), pool_evictions,
 * pool_writebacks (during the ops: evictions and write-through),
 * pool_hit_ratio, pool_frames, pool_dirty_end (frames the end-of-run
 * write-back then writes) and pool_cgroup_other (anonymous bytes charged
 * to the memory cgroup just before the pool was allocated: what the
 * process needs besides it; NaN outside a limited cgroup).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define BP "bufferpool"

#define BP_LOCKED    (1u << 31) /* state: exclusive (loading, evicting, write) */
#define BP_NONE	     UINT64_MAX /* page of a frame that holds none */
#define BP_NIL	     UINT32_MAX /* end of a chain */
#define BP_STRIPES   64u
#define BP_MAX_FRAME (2u << 20)

struct bp_frame {
	uint32_t state; /* pins | BP_LOCKED (atomic) */
	uint8_t ref;	/* CLOCK's reference bit (atomic) */
	uint8_t dirty;	/* under BP_LOCKED */
	uint32_t len;	/* valid bytes; written under BP_LOCKED */
	uint32_t next;	/* chain; written under the stripe lock (atomic) */
	uint64_t page;	/* written under both locks, read racily (atomic) */
} __attribute__((aligned(64)));

struct bp_stripe {
	pthread_mutex_t mu;
} __attribute__((aligned(64)));

/* Counters of one thread, plain (one writer): summed at thread_close. A
 * cache line of its own, or two threads' hit counters would share one. */
struct bp_thread {
	struct bp *p;
	uint64_t hits, misses, evictions, writebacks;
} __attribute__((aligned(64)));

struct bp {
	struct bp_thread self; /* first: the open state serves as a thread's */
	int fd;		       /* O_DIRECT */
	int bfd;	       /* buffered, for the short last frame; or -1 */
	enum mmb_wsync sync;
	bool writable;
	uint64_t size;	 /* the file's size at open */
	uint64_t npages; /* frames the file spans */
	size_t fsz;	 /* frame size, a power of two */
	unsigned shift;	 /* log2(fsz) */
	uint32_t nframes;
	uint64_t mask; /* buckets - 1 */
	unsigned hbits;
	double cgroup_other;
	char *data; /* nframes * fsz, page-aligned */
	size_t data_len;
	struct bp_frame *fr;
	uint32_t *head; /* buckets (atomic) */
	struct bp_stripe *stripe;
	uint64_t hand; /* CLOCK (atomic) */
	/* closed threads' counters (atomic) */
	uint64_t c_hits, c_misses, c_evictions, c_writebacks;
};

/* ---- the memory cgroup's room ------------------------------------------ */

static int bp_read_u64(const char *path, const char *key, uint64_t *out)
{
	FILE *f = fopen(path, "re");
	char line[256];
	size_t kl = key ? strlen(key) : 0;
	int rc = -1;

	if (!f)
		return -1;
	while (rc < 0 && fgets(line, sizeof(line), f)) {
		if (key && (strncmp(line, key, kl) != 0 || line[kl] != ' '))
			continue;
		const char *v = key ? line + kl + 1 : line;
		if (strncmp(v, "max", 3) == 0) {
			*out = UINT64_MAX;
			rc = 0;
		} else {
			char *end;
			errno = 0;
			*out = strtoull(v, &end, 10);
			rc = end != v && errno == 0 ? 0 : -1;
		}
		if (!key)
			break;
	}
	fclose(f);
	return rc;
}

/* The limit of the process's memory cgroup and the anonymous memory
 * charged to it; 0 when both are known and the limit is finite. */
static int bp_cgroup(uint64_t *limit, uint64_t *anon)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[1024], path[1200];
	int rc = -1;

	if (!f)
		return -1;
	while (rc < 0 && fgets(line, sizeof(line), f)) {
		char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
		if (!b)
			continue;
		*b++ = 0;
		b[strcspn(b, "\n")] = 0;
		if (strcmp(a + 1, "") == 0) { /* v2 */
			snprintf(path, sizeof(path),
				 "/sys/fs/cgroup%s/memory.max", b);
			if (bp_read_u64(path, NULL, limit) < 0)
				continue;
			snprintf(path, sizeof(path),
				 "/sys/fs/cgroup%s/memory.stat", b);
			rc = bp_read_u64(path, "anon", anon);
		} else if (strstr(a + 1, "memory")) { /* v1 */
			snprintf(
			    path, sizeof(path),
			    "/sys/fs/cgroup/memory%s/memory.limit_in_bytes", b);
			if (bp_read_u64(path, NULL, limit) < 0)
				continue;
			snprintf(path, sizeof(path),
				 "/sys/fs/cgroup/memory%s/memory.stat", b);
			rc = bp_read_u64(path, "rss", anon);
		}
	}
	fclose(f);
	/* v1 says "no limit" as a huge page-rounded number */
	return rc == 0 && *limit < (1ull << 62) ? 0 : -1;
}

/* ---- open and close ---------------------------------------------------- */

static void bp_free(struct bp *p)
{
	if (p->stripe) {
		for (unsigned i = 0; i < BP_STRIPES; i++)
			pthread_mutex_destroy(&p->stripe[i].mu);
		free(p->stripe);
	}
	if (p->data)
		munmap(p->data, p->data_len);
	free(p->fr);
	free(p->head);
	if (p->bfd >= 0)
		close(p->bfd);
	if (p->fd >= 0)
		close(p->fd);
	free(p);
}

/* The frame size: 4 KiB, or the block size when it is a power of two in
 * [4 KiB, 2 MiB]; at least the direct-I/O alignment. */
static size_t bp_frame_size(size_t bs, size_t align)
{
	size_t f = 4096;

	if (bs > f && bs <= BP_MAX_FRAME && (bs & (bs - 1)) == 0)
		f = bs;
	while (f < align)
		f <<= 1;
	return f;
}

/* The frames: anonymous memory, 2 MiB-aligned and advised
 * MADV_HUGEPAGE, as a DBMS backs its pool with huge pages: a hit then
 * costs no TLB miss (the kernel's direct map that pread copies from has
 * none either). Where THP is off the advice does nothing and the frames
 * are 4 KiB pages. */
static int bp_map(struct bp *p)
{
	const size_t huge = 2u << 20;
	size_t len = p->data_len + huge;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return mmb_seterr(-errno, errno, "mmap(pool, len=%zu)", len);
	char *a = (char *)mmb_align_up((uintptr_t)m, huge);
	if (a > m)
		munmap(m, (size_t)(a - m));
	if (a + p->data_len < m + len)
		munmap(a + p->data_len, (size_t)(m + len - a - p->data_len));
	p->data = a;
	(void)madvise(a, p->data_len, MADV_HUGEPAGE); /* a hint */
	return 0;
}

static int bp_alloc(struct bp *p, char *why, size_t whylen)
{
	uint64_t limit, anon, meta;
	size_t buckets = 1;

	while (buckets < p->nframes)
		buckets <<= 1;
	p->mask = buckets - 1;
	while ((1ull << p->hbits) < buckets)
		p->hbits++;
	p->data_len = (size_t)p->nframes * p->fsz;
	meta = (uint64_t)p->nframes * sizeof(struct bp_frame) +
	       buckets * sizeof(uint32_t);
	p->cgroup_other = NAN;
	if (bp_cgroup(&limit, &anon) == 0) {
		p->cgroup_other = (double)anon;
		if (anon + p->data_len + meta > limit)
			return mmb__why(
			    MMB_EINVAL, why, whylen,
			    BP ": a pool of %llu frames of %zu bytes (%llu "
			       "MiB, %llu KiB of page table) does not fit in "
			       "the memory cgroup's limit of %llu MiB beside "
			       "the %llu MiB of anonymous memory already "
			       "charged: give a smaller --pool-size",
			    (unsigned long long)p->nframes, p->fsz,
			    (unsigned long long)(p->data_len >> 20),
			    (unsigned long long)(meta >> 10),
			    (unsigned long long)(limit >> 20),
			    (unsigned long long)(anon >> 20));
	}
	int rc = bp_map(p);
	if (rc < 0)
		return mmb__why_err(rc, BP, why, whylen);
	/* Touched now: the pool is charged to the memory cgroup the process
	 * is in, as a DBMS's pool is, and no op pays its first fault. */
	memset(p->data, 0, p->data_len);
	p->fr = aligned_alloc(64, (size_t)p->nframes * sizeof(*p->fr));
	p->head = malloc(buckets * sizeof(*p->head));
	p->stripe = aligned_alloc(64, BP_STRIPES * sizeof(*p->stripe));
	if (!p->fr || !p->head || !p->stripe) {
		free(p->stripe);
		p->stripe = NULL;
		return mmb__why(MMB_ENOMEM, why, whylen,
				BP ": out of memory for %llu frames",
				(unsigned long long)p->nframes);
	}
	for (uint32_t f = 0; f < p->nframes; f++)
		p->fr[f] = (struct bp_frame){.page = BP_NONE, .next = BP_NIL};
	memset(p->head, 0xff, buckets * sizeof(*p->head)); /* BP_NIL */
	for (unsigned i = 0; i < BP_STRIPES; i++)
		pthread_mutex_init(&p->stripe[i].mu, NULL);
	return 0;
}

static int bp_open(const char *path, uint64_t size,
		   const struct mmb_backend_opts *o, void **state, char *why,
		   size_t whylen)
{
	struct statx stx;
	size_t align = 512;
	uint64_t pool, frames;
	struct bp *p;
	int rc;

	if (size == 0)
		return mmb__why(MMB_EINVAL, why, whylen, BP ": empty file");
	if (statx(AT_FDCWD, path, 0, STATX_DIOALIGN, &stx) < 0) {
		rc = -errno;
		mmb_seterr(rc, errno, "statx(%s)", path);
		return mmb__why_err(rc, BP, why, whylen);
	}
	if (stx.stx_mask & STATX_DIOALIGN) {
		if (stx.stx_dio_offset_align == 0)
			return mmb__why(MMB_ESKIP, why, whylen,
					BP ": the file system of %s does not "
					   "support O_DIRECT",
					path);
		align = stx.stx_dio_offset_align;
		if (stx.stx_dio_mem_align > align)
			align = stx.stx_dio_mem_align;
	}
	if (align > BP_MAX_FRAME)
		return mmb__why(MMB_ESKIP, why, whylen,
				BP ": O_DIRECT alignment %zu of %s is larger "
				   "than the largest frame",
				align, path);
	p = aligned_alloc(64, sizeof(*p)); /* self is cache-line aligned */
	if (!p)
		return mmb__why(MMB_ENOMEM, why, whylen, BP ": out of memory");
	memset(p, 0, sizeof(*p));
	p->self.p = p;
	p->fd = p->bfd = -1;
	p->sync = o->sync;
	p->writable = o->writable;
	p->size = size;
	p->fsz = bp_frame_size(o->block_size, align);
	while ((1ull << p->shift) < p->fsz)
		p->shift++;
	p->npages = (size + p->fsz - 1) >> p->shift;
	pool = o->pool_size;
	if (pool) {
		frames = pool >> p->shift;
		if (frames == 0) {
			rc = mmb__why(MMB_EINVAL, why, whylen,
				      BP ": --pool-size %llu is smaller than "
					 "one frame (%zu bytes)",
				      (unsigned long long)pool, p->fsz);
			goto err_free;
		}
	} else {
		frames = p->npages / 4;
		if (frames < 8)
			frames = p->npages < 8 ? p->npages : 8;
	}
	if (frames > p->npages)
		frames = p->npages;
	if (frames >= BP_NIL / 2) {
		rc = mmb__why(MMB_EINVAL, why, whylen,
			      BP ": %llu frames are too many",
			      (unsigned long long)frames);
		goto err_free;
	}
	p->nframes = (uint32_t)frames;

	rc = p->fd = mmb__open_file(BP, path, o, O_DIRECT, why, whylen);
	if (rc == MMB_EINVAL)
		/* open(2) says EINVAL when the file system has no O_DIRECT */
		rc = mmb__why(MMB_ESKIP, why, whylen,
			      BP ": open(%s, O_DIRECT) failed with EINVAL: the "
				 "file system does not support O_DIRECT",
			      path);
	if (rc < 0)
		goto err_free;
	if (o->writable && (size & (p->fsz - 1)) != 0) {
		rc = p->bfd = mmb__open_file(BP, path, o, 0, why, whylen);
		if (rc < 0)
			goto err_free;
	}
	rc = mmb__fadvise(BP, p->fd, o, why, whylen);
	if (rc < 0)
		goto err_free;
	rc = bp_alloc(p, why, whylen);
	if (rc < 0)
		goto err_free;
	*state = p;
	return 0;

err_free:
	bp_free(p);
	return rc;
}

/* ---- the page table ---------------------------------------------------- */

static inline uint64_t bp_bucket(const struct bp *p, uint64_t page)
{
	return p->hbits ? (page * 0x9e3779b97f4a7c15ull) >> (64 - p->hbits) : 0;
}

static inline pthread_mutex_t *bp_stripe(struct bp *p, uint64_t page)
{
	return &p->stripe[bp_bucket(p, page) & (BP_STRIPES - 1)].mu;
}

/* The frame the table says holds page, or BP_NIL. Without the stripe's
 * lock this is a hint (the caller pins and checks); with it, the truth. */
static inline uint32_t bp_find(const struct bp *p, uint64_t page)
{
	uint32_t f =
	    __atomic_load_n(&p->head[bp_bucket(p, page)], __ATOMIC_ACQUIRE);

	/* Bounded: a chain read while frames move between chains may not
	 * end where it began. */
	for (uint32_t k = 0; f != BP_NIL && k < p->nframes; k++) {
		if (__atomic_load_n(&p->fr[f].page, __ATOMIC_RELAXED) == page)
			return f;
		f = __atomic_load_n(&p->fr[f].next, __ATOMIC_RELAXED);
	}
	return BP_NIL;
}

/* Under page's stripe lock. */
static void bp_link(struct bp *p, uint32_t f, uint64_t page)
{
	uint32_t *h = &p->head[bp_bucket(p, page)];

	__atomic_store_n(&p->fr[f].next, __atomic_load_n(h, __ATOMIC_RELAXED),
			 __ATOMIC_RELAXED);
	__atomic_store_n(&p->fr[f].page, page, __ATOMIC_RELAXED);
	__atomic_store_n(h, f, __ATOMIC_RELEASE);
}

/* Under page's stripe lock: take f out of page's chain and mark it free. */
static void bp_unlink(struct bp *p, uint32_t f, uint64_t page)
{
	uint32_t *at = &p->head[bp_bucket(p, page)];
	uint32_t g;

	while ((g = __atomic_load_n(at, __ATOMIC_RELAXED)) != BP_NIL && g != f)
		at = &p->fr[g].next;
	if (g == f)
		__atomic_store_n(
		    at, __atomic_load_n(&p->fr[f].next, __ATOMIC_RELAXED),
		    __ATOMIC_RELEASE);
	__atomic_store_n(&p->fr[f].page, BP_NONE, __ATOMIC_RELAXED);
}

/* ---- latches ----------------------------------------------------------- */

/* Wait a little for a latch: spin first (the holder is copying a frame),
 * then give the CPU away (it is waiting for the device). */
static inline void bp_relax(unsigned *spins)
{
	if (++*spins >= 64)
		sched_yield();
#if defined(__x86_64__) || defined(__i386__)
	else
		__builtin_ia32_pause();
#elif defined(__aarch64__)
	else
		__asm__ __volatile__("yield");
#endif
}

/* Pin f if it holds page: 1 pinned, 0 it holds another, -1 it is locked
 * (being loaded, evicted or written: wait and look again). */
static inline int bp_try_pin(struct bp_frame *fr, uint64_t page)
{
	uint32_t old = __atomic_fetch_add(&fr->state, 1, __ATOMIC_ACQUIRE);

	if (!(old & BP_LOCKED) &&
	    __atomic_load_n(&fr->page, __ATOMIC_RELAXED) == page)
		return 1;
	__atomic_fetch_sub(&fr->state, 1, __ATOMIC_RELEASE);
	return (old & BP_LOCKED) ? -1 : 0;
}

static inline void bp_unpin(struct bp_frame *fr)
{
	__atomic_fetch_sub(&fr->state, 1, __ATOMIC_RELEASE);
}

/* Lock f exclusively if it holds page: 1, 0 another page, -1 busy. */
static inline int bp_try_lock(struct bp_frame *fr, uint64_t page)
{
	uint32_t z = 0;

	if (!__atomic_compare_exchange_n(&fr->state, &z, BP_LOCKED, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return -1;
	if (__atomic_load_n(&fr->page, __ATOMIC_RELAXED) == page)
		return 1;
	__atomic_fetch_sub(&fr->state, BP_LOCKED, __ATOMIC_RELEASE);
	return 0;
}

static inline void bp_unlock(struct bp_frame *fr)
{
	__atomic_fetch_sub(&fr->state, BP_LOCKED, __ATOMIC_RELEASE);
}

/* ---- misses ------------------------------------------------------------ */

/* A frame to reuse, locked: CLOCK from the hand, skipping pinned and
 * locked frames, clearing reference bits. */
static uint32_t bp_victim(struct bp *p)
{
	unsigned spins = 0;

	for (uint64_t k = 0;; k++) {
		uint64_t h = __atomic_fetch_add(&p->hand, 1, __ATOMIC_RELAXED);
		struct bp_frame *fr = &p->fr[h % p->nframes];
		uint32_t z = 0;

		if (k >= 2ull * p->nframes) /* all pinned: let them finish */
			bp_relax(&spins);
		if (__atomic_load_n(&fr->state, __ATOMIC_RELAXED) != 0)
			continue;
		if (__atomic_load_n(&fr->ref, __ATOMIC_RELAXED)) {
			__atomic_store_n(&fr->ref, 0, __ATOMIC_RELAXED);
			continue;
		}
		if (__atomic_compare_exchange_n(&fr->state, &z, BP_LOCKED,
						false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return (uint32_t)(h % p->nframes);
	}
}

/* Write frame f (locked, dirty) back to the file. */
static int bp_writeback(struct bp *p, uint32_t f)
{
	struct bp_frame *fr = &p->fr[f];
	uint64_t off = fr->page << p->shift;
	const char *src = p->data + ((size_t)f << p->shift);
	int64_t n;

	if (fr->len == p->fsz)
		n = mmb__fd_pwrite_full(p->fd, src, p->fsz, off,
					"pwrite(O_DIRECT");
	else /* the file's short last frame: only its bytes */
		n = mmb__fd_pwrite_full(p->bfd, src, fr->len, off, "pwrite");
	if (n < 0)
		return (int)n;
	fr->dirty = 0;
	return 0;
}

/* Bring page into a frame: 1 with it pinned (excl: locked) in *out, 0
 * when another thread has it in the pool (look again), or MMB_E*. fill:
 * read its bytes from the file (false: the caller overwrites the whole
 * frame). */
static int bp_fault(struct bp_thread *t, uint64_t page, bool excl, bool fill,
		    uint32_t *out)
{
	struct bp *p = t->p;
	pthread_mutex_t *mu = bp_stripe(p, page);
	uint32_t f;
	bool there;
	int64_t n;
	int rc;

	/* The lock-free lookup can miss a page that is there (its chain
	 * changed under it): look again before evicting anything. */
	pthread_mutex_lock(mu);
	there = bp_find(p, page) != BP_NIL;
	pthread_mutex_unlock(mu);
	if (there)
		return 0;

	f = bp_victim(p);
	struct bp_frame *fr = &p->fr[f];
	uint64_t old = __atomic_load_n(&fr->page, __ATOMIC_RELAXED);
	if (old != BP_NONE) {
		/* Written back while still in the table: a reader of the old
		 * page waits on the lock instead of reading the file's stale
		 * bytes. */
		if (fr->dirty) {
			rc = bp_writeback(p, f);
			if (rc < 0) {
				bp_unlock(fr);
				return rc;
			}
			t->writebacks++;
		}
		pthread_mutex_t *omu = bp_stripe(p, old);
		pthread_mutex_lock(omu);
		bp_unlink(p, f, old);
		pthread_mutex_unlock(omu);
		t->evictions++;
	}
	pthread_mutex_lock(mu);
	if (bp_find(p, page) != BP_NIL) {
		pthread_mutex_unlock(mu);
		bp_unlock(fr); /* a free frame now */
		return 0;
	}
	bp_link(p, f, page);
	pthread_mutex_unlock(mu);

	uint64_t off = page << p->shift;
	char *dst = p->data + ((size_t)f << p->shift);
	if (fill) {
		n = mmb__fd_pread_full(p->fd, dst, p->fsz, off,
				       "pread(O_DIRECT");
	} else {
		n = (int64_t)(p->size - off < p->fsz ? p->size - off : p->fsz);
	}
	if (n < 0) {
		pthread_mutex_lock(mu);
		bp_unlink(p, f, page);
		pthread_mutex_unlock(mu);
		bp_unlock(fr);
		return (int)n;
	}
	fr->len = (uint32_t)n;
	fr->dirty = 0;
	__atomic_store_n(&fr->ref, 1, __ATOMIC_RELAXED);
	if (!excl) /* locked -> one pin (ours), in one step */
		__atomic_fetch_sub(&fr->state, BP_LOCKED - 1, __ATOMIC_RELEASE);
	t->misses++;
	*out = f;
	return 1;
}

/* The frame holding page, pinned (excl: locked): the hit path. */
static int bp_get(struct bp_thread *t, uint64_t page, bool excl, bool fill,
		  uint32_t *out)
{
	struct bp *p = t->p;
	unsigned spins = 0;

	for (;;) {
		uint32_t f = bp_find(p, page);

		if (f != BP_NIL) {
			struct bp_frame *fr = &p->fr[f];
			int r =
			    excl ? bp_try_lock(fr, page) : bp_try_pin(fr, page);
			if (r > 0) {
				if (!__atomic_load_n(&fr->ref,
						     __ATOMIC_RELAXED))
					__atomic_store_n(&fr->ref, 1,
							 __ATOMIC_RELAXED);
				t->hits++;
				*out = f;
				return 0;
			}
			if (r < 0) {
				bp_relax(&spins);
				continue;
			}
		}
		int rc = bp_fault(t, page, excl, fill, out);
		if (rc != 0)
			return rc < 0 ? rc : 0;
	}
}

/* ---- ops --------------------------------------------------------------- */

static int64_t bp_read(void *tstate, void *buf, size_t len, uint64_t off)
{
	struct bp_thread *t = tstate;
	struct bp *p = t->p;
	size_t done = 0;

	if (off >= p->size)
		return 0;
	if (len > p->size - off)
		len = (size_t)(p->size - off);
	while (done < len) {
		uint64_t pos = off + done, page = pos >> p->shift;
		size_t in = (size_t)(pos & (p->fsz - 1));
		uint32_t f;
		int rc = bp_get(t, page, false, true, &f);

		if (rc < 0)
			return rc;
		struct bp_frame *fr = &p->fr[f];
		size_t avail = fr->len > in ? fr->len - in : 0;
		size_t n = avail < len - done ? avail : len - done;
		memcpy((char *)buf + done,
		       p->data + ((size_t)f << p->shift) + in, n);
		bp_unpin(fr);
		done += n;
		if (avail < p->fsz - in && done < len)
			break; /* the file ended early: it shrank */
	}
	return (int64_t)done;
}

static int64_t bp_write(void *tstate, const void *buf, size_t len, uint64_t off)
{
	struct bp_thread *t = tstate;
	struct bp *p = t->p;
	size_t done = 0;
	bool through =
	    p->sync == MMB_WSYNC_MSYNC || p->sync == MMB_WSYNC_MSYNC_ASYNC;

	if (!p->writable)
		return mmb_seterr(MMB_EREADONLY, 0,
				  BP " write(off=%llu, len=%zu): opened "
				     "read-only",
				  (unsigned long long)off, len);
	/* Like a mapping, the pool does not grow the file. */
	if (off >= p->size)
		return 0;
	if (len > p->size - off)
		len = (size_t)(p->size - off);
	while (done < len) {
		uint64_t pos = off + done, page = pos >> p->shift;
		size_t in = (size_t)(pos & (p->fsz - 1));
		size_t n = p->fsz - in < len - done ? p->fsz - in : len - done;
		bool whole = in == 0 && n == p->fsz;
		uint32_t f;
		int rc = bp_get(t, page, true, !whole, &f);

		if (rc < 0)
			return rc;
		struct bp_frame *fr = &p->fr[f];
		memcpy(p->data + ((size_t)f << p->shift) + in,
		       (const char *)buf + done, n);
		if (in + n > fr->len)
			fr->len = (uint32_t)(in + n);
		fr->dirty = 1;
		if (through) {
			rc = bp_writeback(p, f);
			if (rc == 0)
				t->writebacks++;
		}
		bp_unlock(fr);
		if (rc < 0)
			return rc;
		done += n;
	}
	if (p->sync == MMB_WSYNC_MSYNC && fdatasync(p->fd) < 0)
		return mmb_seterr(-errno, errno, "fdatasync()");
	return (int64_t)done;
}

/* Write every dirty frame back; the first error, or 0. */
static int bp_flush(struct bp *p)
{
	int first = 0;

	for (uint32_t f = 0; f < p->nframes; f++) {
		struct bp_frame *fr = &p->fr[f];
		uint32_t z = 0;
		unsigned spins = 0;

		while (!__atomic_compare_exchange_n(&fr->state, &z, BP_LOCKED,
						    false, __ATOMIC_ACQUIRE,
						    __ATOMIC_RELAXED)) {
			z = 0;
			bp_relax(&spins);
		}
		if (fr->dirty &&
		    __atomic_load_n(&fr->page, __ATOMIC_RELAXED) != BP_NONE) {
			int rc = bp_writeback(p, f);
			if (rc < 0 && first == 0)
				first = rc;
		}
		bp_unlock(fr);
	}
	return first;
}

static int bp_sync(void *state)
{
	struct bp *p = state;
	int rc;

	if (!p->writable)
		return 0;
	rc = bp_flush(p);
	if (rc < 0)
		return rc;
	if (p->sync == MMB_WSYNC_FSYNC && fsync(p->fd) < 0)
		return mmb_seterr(-errno, errno, "fsync()");
	return 0;
}

static void bp_close(void *state)
{
	struct bp *p = state;

	if (!p)
		return;
	/* What .sync has not written (a caller that skips it): written, as
	 * a DBMS writes its dirty pages at shutdown. */
	if (p->writable)
		(void)bp_flush(p);
	bp_free(p);
}

/* ---- threads and metrics ----------------------------------------------- */

static int bp_thread_open(void *state, unsigned idx, void **tstate)
{
	struct bp_thread *t = aligned_alloc(64, sizeof(*t));

	(void)idx;
	if (!t)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, BP ": aligned_alloc");
	*t = (struct bp_thread){.p = state};
	*tstate = t;
	return 0;
}

static void bp_thread_close(void *tstate)
{
	struct bp_thread *t = tstate;

	if (!t)
		return;
	__atomic_fetch_add(&t->p->c_hits, t->hits, __ATOMIC_RELAXED);
	__atomic_fetch_add(&t->p->c_misses, t->misses, __ATOMIC_RELAXED);
	__atomic_fetch_add(&t->p->c_evictions, t->evictions, __ATOMIC_RELAXED);
	__atomic_fetch_add(&t->p->c_writebacks, t->writebacks,
			   __ATOMIC_RELAXED);
	free(t);
}

static unsigned bp_metrics(void *state, struct mmb_backend_metric *out,
			   unsigned max)
{
	struct bp *p = state;
	double hits = (double)(__atomic_load_n(&p->c_hits, __ATOMIC_RELAXED) +
			       p->self.hits);
	double misses =
	    (double)(__atomic_load_n(&p->c_misses, __ATOMIC_RELAXED) +
		     p->self.misses);
	double dirty = 0;
	struct mmb_backend_metric m[] = {
	    {"pool_hits", "accesses", hits},
	    {"pool_misses", "accesses", misses},
	    {"pool_evictions", "frames",
	     (double)(__atomic_load_n(&p->c_evictions, __ATOMIC_RELAXED) +
		      p->self.evictions)},
	    {"pool_writebacks", "frames",
	     (double)(__atomic_load_n(&p->c_writebacks, __ATOMIC_RELAXED) +
		      p->self.writebacks)},
	    {"pool_hit_ratio", "fraction",
	     hits + misses > 0 ? hits / (hits + misses) : NAN},
	    {"pool_frames", "frames", (double)p->nframes},
	    {"pool_dirty_end", "frames", 0},
	    {"pool_cgroup_other", "bytes", p->cgroup_other},
	};
	unsigned n = sizeof(m) / sizeof(m[0]);

	/* After the threads are gone: the frames hold still. */
	for (uint32_t f = 0; f < p->nframes; f++)
		dirty += p->fr[f].dirty;
	m[6].value = dirty;
	if (n > max)
		n = max;
	memcpy(out, m, n * sizeof(*out));
	return n;
}

const struct mmb_backend mmb_backend_bufferpool = {
    .name = "bufferpool",
    .help = "a DBMS-style buffer pool: O_DIRECT into --pool-size of 4 KiB "
	    "frames (default a quarter of the file), CLOCK eviction, memcpy "
	    "out/in",
    .caps = MMB_CAP_READ | MMB_CAP_WRITE | MMB_CAP_USERCACHE,
    .open = bp_open,
    .thread_open = bp_thread_open,
    .thread_close = bp_thread_close,
    .read = bp_read,
    .write = bp_write,
    .sync = bp_sync,
    .metrics = bp_metrics,
    .close = bp_close,
};
