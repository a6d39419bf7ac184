/* SPDX-License-Identifier: MIT */
/* mmbench/kevents.h - kernel event counts of a repetition's timed region.
 *
 * The one table of the events mmbench counts: MMB_KEVENTS below. The
 * runner (workloads/posix/kevents.c) opens what each row names, the
 * writers (reports/json.c, csv.c) and the console only read the keys,
 * the units and the values. docs/results.md documents the keys.
 *
 * Each row: X(ENUM, key, source, field, how, arg, unit, description)
 *   source  "SUBSYS:EVENT", a tracepoint of tracefs
 *           (/sys/kernel/tracing/events/SUBSYS/EVENT), or "hw:NAME", a
 *           generic hardware counter (arg: its perf_event config)
 *   field   the tracepoint's field the value is computed from, "" none
 *   how     COUNT  events (counting, no samples)
 *           EQ     events whose field == arg (counting, in-kernel filter)
 *           PAGES  sum of 2^field over the events (field: a folio order;
 *                  counted per order with in-kernel filters, exact)
 *           BYTES  the PAGES row of the same source x page size
 *           SUM    sum of field over the events. Those whose field == arg
 *                  (the common value, e.g. one page; 0: none) are
 *                  counted in the kernel with a filter; the others are
 *                  sampled (PERF_SAMPLE_RAW, per-CPU ring buffers read
 *                  after the region) and summed. Unavailable when a
 *                  buffer overflowed, never a partial sum.
 *           HW     a hardware counter
 *
 * What is counted: the events of this process's own tasks (the thread
 * that runs the timed region and the worker threads it creates), only
 * while the timed region runs. Work the kernel does for us in other tasks
 * (kswapd reclaim, block requests a kworker issues, write-back) is not
 * included. A value that could not be had here is NAN with a reason,
 * never 0.
 */
#ifndef MMB_KEVENTS_H
#define MMB_KEVENTS_H

#include <stdbool.h>

#define MMB_KEVENTS(X)                                                         \
	X(PC_ADD, pagecache_add, "filemap:mm_filemap_add_to_page_cache", "",   \
	  COUNT, 0, "folios", "folios inserted into the page cache")           \
	X(PC_ADD_PAGES, pagecache_add_pages,                                   \
	  "filemap:mm_filemap_add_to_page_cache", "order", PAGES, 0, "pages",  \
	  "pages inserted into the page cache")                                \
	X(PC_ADD_BYTES, pagecache_add_bytes,                                   \
	  "filemap:mm_filemap_add_to_page_cache", "order", BYTES, 0, "bytes",  \
	  "bytes inserted into the page cache")                                \
	X(PC_DEL, pagecache_delete,                                            \
	  "filemap:mm_filemap_delete_from_page_cache", "", COUNT, 0, "folios", \
	  "folios deleted from the page cache")                                \
	X(PC_DEL_PAGES, pagecache_delete_pages,                                \
	  "filemap:mm_filemap_delete_from_page_cache", "order", PAGES, 0,      \
	  "pages", "pages deleted from the page cache")                        \
	X(PC_DEL_BYTES, pagecache_delete_bytes,                                \
	  "filemap:mm_filemap_delete_from_page_cache", "order", BYTES, 0,      \
	  "bytes", "bytes deleted from the page cache")                        \
	X(RA_ORDER, ra_order, "readahead:page_cache_ra_order", "", COUNT, 0,   \
	  "calls", "readahead windows read (page_cache_ra_order)")             \
	X(RA_ORDER_PAGES, ra_order_pages, "readahead:page_cache_ra_order",     \
	  "size", SUM, 1, "pages", "pages of those windows (their size)")      \
	X(RA_SYNC, ra_sync, "readahead:page_cache_sync_ra", "", COUNT, 0,      \
	  "calls", "synchronous readahead calls (a miss)")                     \
	X(RA_SYNC_PAGES, ra_sync_pages, "readahead:page_cache_sync_ra",        \
	  "req_count", SUM, 1, "pages", "pages those calls were asked for")    \
	X(RA_ASYNC, ra_async, "readahead:page_cache_async_ra", "", COUNT, 0,   \
	  "calls", "asynchronous readahead calls (a PG_readahead mark hit)")   \
	X(RA_ASYNC_PAGES, ra_async_pages, "readahead:page_cache_async_ra",     \
	  "req_count", SUM, 1, "pages", "pages those calls were asked for")    \
	X(RA_UNBOUNDED, ra_unbounded, "readahead:page_cache_ra_unbounded", "", \
	  COUNT, 0, "calls", "page_cache_ra_unbounded calls")                  \
	X(RA_UNBOUNDED_PAGES, ra_unbounded_pages,                              \
	  "readahead:page_cache_ra_unbounded", "nr_to_read", SUM, 1, "pages",  \
	  "pages those calls were to read")                                    \
	X(PF_USER, page_faults_user, "exceptions:page_fault_user", "", COUNT,  \
	  0, "faults", "page faults from user mode")                           \
	X(PF_KERNEL, page_faults_kernel, "exceptions:page_fault_kernel", "",   \
	  COUNT, 0, "faults", "page faults from kernel mode")                  \
	X(BLK_RQ, block_rq_issue, "block:block_rq_issue", "", COUNT, 0,        \
	  "requests", "block requests issued to the driver")                   \
	X(BLK_RQ_BYTES, block_rq_issue_bytes, "block:block_rq_issue", "bytes", \
	  SUM, 4096, "bytes", "bytes of those requests")                       \
	X(BIO, block_bio_queue, "block:block_bio_queue", "", COUNT, 0, "bios", \
	  "bios our tasks submitted (block_rq_issue may also count other "     \
	  "processes' requests our task dispatched)")                          \
	X(BIO_SECTORS, block_bio_queue_sectors, "block:block_bio_queue",       \
	  "nr_sector", SUM, 8, "sectors", "512-byte sectors of those bios")    \
	X(TLB, tlb_flush, "tlb:tlb_flush", "", COUNT, 0, "flushes",            \
	  "TLB flushes, all reasons")                                          \
	X(TLB_TASK_SWITCH, tlb_flush_task_switch, "tlb:tlb_flush", "reason",   \
	  EQ, 0, "flushes", "reason 0: flush on task switch")                  \
	X(TLB_REMOTE, tlb_flush_remote_shootdown, "tlb:tlb_flush", "reason",   \
	  EQ, 1, "flushes", "reason 1: remote shootdown (IPI received)")       \
	X(TLB_LOCAL, tlb_flush_local_shootdown, "tlb:tlb_flush", "reason", EQ, \
	  2, "flushes", "reason 2: local shootdown")                           \
	X(TLB_LOCAL_MM, tlb_flush_local_mm_shootdown, "tlb:tlb_flush",         \
	  "reason", EQ, 3, "flushes", "reason 3: local MM shootdown")          \
	X(TLB_SEND_IPI, tlb_flush_remote_send_ipi, "tlb:tlb_flush", "reason",  \
	  EQ, 4, "flushes", "reason 4: shootdown IPIs sent")                   \
	X(TLB_WRONG_CPU, tlb_flush_remote_wrong_cpu, "tlb:tlb_flush",          \
	  "reason", EQ, 5, "flushes", "reason 5: remote, on the wrong CPU")    \
	X(MMAP_LOCK_WAIT, mmap_lock_start_locking,                             \
	  "mmap_lock:mmap_lock_start_locking", "", COUNT, 0, "locks",          \
	  "blocking mmap_lock acquisitions started")                           \
	X(MMAP_LOCK_OK, mmap_lock_acquired,                                    \
	  "mmap_lock:mmap_lock_acquire_returned", "success", EQ, 1, "locks",   \
	  "mmap_lock acquisitions that succeeded")                             \
	X(MMAP_LOCK_FAIL, mmap_lock_contended,                                 \
	  "mmap_lock:mmap_lock_acquire_returned", "success", EQ, 0, "locks",   \
	  "acquisitions that failed: trylock on a held lock (contention)")     \
	X(RECLAIM_DIRECT, reclaim_direct,                                      \
	  "vmscan:mm_vmscan_direct_reclaim_begin", "", COUNT, 0, "calls",      \
	  "direct reclaim entered by our tasks")                               \
	X(RECLAIM_DIRECT_PAGES, reclaim_direct_pages,                          \
	  "vmscan:mm_vmscan_direct_reclaim_end", "nr_reclaimed", SUM, 0,       \
	  "pages", "pages direct reclaim freed")                               \
	X(RECLAIM_MEMCG, reclaim_memcg,                                        \
	  "vmscan:mm_vmscan_memcg_reclaim_begin", "", COUNT, 0, "calls",       \
	  "memory cgroup reclaim entered")                                     \
	X(RECLAIM_MEMCG_PAGES, reclaim_memcg_pages,                            \
	  "vmscan:mm_vmscan_memcg_reclaim_end", "nr_reclaimed", SUM, 0,        \
	  "pages", "pages cgroup reclaim freed")                               \
	X(KSWAPD_WAKE, kswapd_wakeups, "vmscan:mm_vmscan_wakeup_kswapd", "",   \
	  COUNT, 0, "wakeups", "kswapd woken by our allocations")              \
	X(DTLB_MISS, dtlb_load_misses, "hw:dTLB-load-misses", "", HW, 0x10003, \
	  "misses", "dTLB load misses (hardware PMU)")                         \
	X(LLC_MISS, llc_load_misses, "hw:LLC-load-misses", "", HW, 0x10002,    \
	  "misses", "last-level cache load misses (hardware PMU)")

enum mmb_kevent {
#define MMB__KEV_ENUM(e, key, src, field, how, arg, unit, desc) MMB_KEV_##e,
	MMB_KEVENTS(MMB__KEV_ENUM)
#undef MMB__KEV_ENUM
	    MMB_KEV__COUNT
};

enum mmb_kevent_how {
	MMB_KEV_HOW_COUNT,
	MMB_KEV_HOW_EQ,
	MMB_KEV_HOW_PAGES,
	MMB_KEV_HOW_BYTES,
	MMB_KEV_HOW_SUM,
	MMB_KEV_HOW_HW,
};

/* One row of the table, for code that walks it. */
struct mmb_kevent_def {
	const char *key, *source, *field;
	enum mmb_kevent_how how;
	unsigned long long arg;
	const char *unit, *desc;
};

static inline const struct mmb_kevent_def *mmb_kevent_def(enum mmb_kevent k)
{
	static const struct mmb_kevent_def defs[] = {
#define MMB__KEV_DEF(e, key, src, field, how, arg, unit, desc) \
	{#key, src, field, MMB_KEV_HOW_##how, arg, unit, desc},
	    MMB_KEVENTS(MMB__KEV_DEF)
#undef MMB__KEV_DEF
	};
	return (unsigned)k < MMB_KEV__COUNT ? &defs[k] : (void *)0;
}

#define MMB_KEV_WHY 96

/* The counts of one repetition (or an aggregate over repetitions): v[k]
 * per row, NAN when unavailable, and then why[k] says why
 * ("tracepoint readahead:page_cache_ra_order not in this kernel", "12 of
 * 9000 samples lost: ring buffer full", "not on Windows"). counted: the
 * counters were opened at all (false: every value NAN). */
struct mmb_kevents {
	bool counted;
	double v[MMB_KEV__COUNT];
	char why[MMB_KEV__COUNT][MMB_KEV_WHY];
};

/* Where the runs that follow in this process count the kernel events
 * (and sample --profile), `mmbench run --kernel-events MODE`:
 *   SEPARATE  (the default) in one more repetition of the same ops after
 *             the measured ones, in the same conditions (cache prepared,
 *             backend opened afresh), whose numbers are never in the
 *             statistics: the measured repetitions run with only the
 *             cheap counters (faults, CPU time), as a program would
 *   INLINE    in every measured repetition (what mmbench did before):
 *             each counts its own, at the instrumentation's cost
 *   OFF       not at all: every value NAN, "not counted (kernel events
 *             off)"; --profile still gets its own repetition
 * Not thread-safe: call before mmb_run. */
enum mmb_kevents_mode {
	MMB_KEV_MODE_SEPARATE,
	MMB_KEV_MODE_INLINE,
	MMB_KEV_MODE_OFF,
	MMB_KEV_MODE__COUNT
};
void mmb_kevents_set_mode(enum mmb_kevents_mode m);
enum mmb_kevents_mode mmb_kevents_mode(void);
/* "separate", "inline", "off"; NULL out of range. */
const char *mmb_kevents_mode_name(int m);
/* on: SEPARATE, off: OFF (--no-kernel-events). */
void mmb_kevents_enable(bool on);

#endif
