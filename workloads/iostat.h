/* SPDX-License-Identifier: MIT */
/* workloads/iostat.h - what the storage did for a run: I/O amplification.
 *
 * ops/s alone can tell the wrong story: a mapping with the default advice
 * can beat pread on cold random 4 KiB reads because readahead and
 * fault-around make the device read many times the bytes asked for. So
 * around every timed region the runner takes the process's storage
 * counters (/proc/self/io read_bytes/write_bytes, all threads) and the
 * file's whole disk counters (/sys/block/DEV/stat), and the verdict weighs
 * them. Private to the workloads library; the tests include it to check
 * the parsers on fake inputs.
 */
#ifndef MMB_WORKLOADS_IOSTAT_H
#define MMB_WORKLOADS_IOSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmbench/result.h"

/* The storage counters of /proc/PID/io (task I/O accounting). read_bytes
 * counts bytes the process made the block layer read (readahead included)
 * at submission; write_bytes counts bytes it dirtied in the page cache or
 * wrote directly, at dirtying time (a store into a large folio counts the
 * whole folio). */
struct mmb__procio {
	uint64_t read_bytes, write_bytes, cancelled_write_bytes;
};

/* Parse the text of /proc/PID/io into *out. Returns 0, or MMB_ENOTSUP when
 * read_bytes or write_bytes is missing or malformed. Thread-safe. */
int mmb__procio_parse(const char *text, struct mmb__procio *out);
/* Read and parse path (normally "/proc/self/io"). Returns 0, MMB_ENOTSUP
 * (malformed), or the -errno of open/read: MMB_ENOENT on a kernel without
 * task I/O accounting. Nothing is recorded with mmb_seterr: a missing file
 * is an expected state, reported as "unavailable". */
int mmb__procio_read(const char *path, struct mmb__procio *out);

/* Name of the whole disk ("vda", "nvme0n1") holding block device
 * maj:min, from sysfs (normally "/sys"): SYSFS/dev/block/MAJ:MIN, and its
 * parent when that is a partition. Returns 0, MMB_ENOENT when maj:min is
 * no block device (tmpfs, overlayfs, NFS, btrfs anonymous devices), or
 * MMB_ENAMETOOLONG. */
int mmb__blkdev_disk(const char *sysfs, unsigned maj, unsigned min, char *name,
		     size_t n);
/* Sectors (512 bytes, whatever the device's block size) read and written
 * by disk since boot, from SYSFS/block/DISK/stat. Returns 0 or a negative
 * MMB_E* (MMB_ENOTSUP when malformed). */
int mmb__blkdev_stat(const char *sysfs, const char *disk, uint64_t *rd_sect,
		     uint64_t *wr_sect);
/* The whole disk holding the file open on fd, as mmb__blkdev_disk. */
int mmb__blkdev_of_fd(int fd, char *name, size_t n);

/* One measured window: mmb__io_start before the timed region,
 * mmb__io_stop after it, mmb__io_metrics once bytes_read/bytes_written are
 * in the repetition's metrics. */
struct mmb__io {
	bool proc_ok, disk_ok;
	struct mmb__procio p0, p1;
	uint64_t d0r, d0w, d1r, d1w; /* sectors */
	char disk[32];
};

void mmb__io_start(struct mmb__io *io, int fd);
void mmb__io_stop(struct mmb__io *io);
/* Set DEV_READ_BYTES, DEV_WRITE_BYTES, READ_AMP, WRITE_AMP,
 * DISK_READ_BYTES and DISK_WRITE_BYTES of m (indexed by enum mmb_metric)
 * from io and m's BYTES_READ/BYTES_WRITTEN. What could not be measured is
 * NAN (JSON null, CSV empty); an amplification is NAN too when nothing was
 * requested in that direction. */
void mmb__io_metrics(const struct mmb__io *io, double *m);

/* The verdict of r (runner.c, once the backends ran) into r->verdict:
 * the fastest backend, the comparisons and their rules, the evidence terms
 * and the notes (amplification, cache state, ops not served), as data
 * (struct mmb_run_verdict); verdict.c. */
void mmb__make_verdict(struct mmb_run_result *r);

/* Capture the amplification context of the file at path into env:
 * block_device, read_ahead_kb, page_cluster, fault_around_bytes,
 * thp_defrag, fs_block_size ("unavailable" / -1 / 0 where unknown). */
void mmb__io_env(struct mmb_env *env, const char *path);

#endif
