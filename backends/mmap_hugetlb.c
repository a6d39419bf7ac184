/* SPDX-License-Identifier: MIT */
/* backends/mmap_hugetlb.c - the file's bytes on hugetlbfs, mapped with
 * MAP_HUGETLB: every access goes through 2 MiB (huge page sized) TLB
 * entries, with no page cache behind them.
 *
 * hugetlbfs holds no copy of an ext4 file, so open() copies the file into
 * an unlinked hugetlbfs file (setup, not timed). pwrite to hugetlbfs fails
 * with EINVAL, so the copy is pread straight into the mapping. Its size is
 * the file's size rounded up to the huge page size; reads stop at the
 * file's real end. Writes would only change the copy, never the file, so
 * this backend is read-only. The timed hooks are mapped.c's, the guard
 * scope included: the loop copies out of (or consumes) the mapping with
 * no guard armed per op, and a bus error in it (the hugetlbfs copy cut
 * short; the source file shrinking does not reach the copy) ends the loop
 * with mapped.c's "file shrank" message.
 *
 * Where: o->hugetlb_dir, else the first hugetlbfs mount of the default
 * huge page size in /proc/mounts, else memfd_create(MFD_HUGETLB) (a file
 * on the kernel's internal hugetlbfs mount: the same pages, no mount
 * needed). It never reserves huge pages: when too few are free it skips
 * and says how many to reserve.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "internal.h"

#ifndef HUGETLBFS_MAGIC
#define HUGETLBFS_MAGIC 0x958458f6
#endif

#define HT "mmap-hugetlb"

/* One counter of /sys/kernel/mm/hugepages/hugepages-<kB>kB/. */
static int ht_counter(size_t hps, const char *name, uint64_t *out)
{
	char path[128], line[64];
	int rc;

	snprintf(path, sizeof(path),
		 "/sys/kernel/mm/hugepages/hugepages-%zukB/%s", hps >> 10,
		 name);
	rc = mmb__read_line(path, line, sizeof(line));
	if (rc < 0)
		return rc;
	*out = strtoull(line, NULL, 10);
	return 0;
}

/* Fill why with "need N free ... (echo M > ...)" unless `need` pages are
 * free and unreserved. */
static int ht_check_free(size_t hps, uint64_t need, char *why, size_t whylen)
{
	uint64_t nr, nfree, resv, avail;
	char knob[128];

	if (ht_counter(hps, "nr_hugepages", &nr) < 0 ||
	    ht_counter(hps, "free_hugepages", &nfree) < 0 ||
	    ht_counter(hps, "resv_hugepages", &resv) < 0)
		return mmb__why(MMB_ESKIP, why, whylen,
				HT ": no %zu KiB huge page pool in "
				   "/sys/kernel/mm/hugepages",
				hps >> 10);
	avail = nfree > resv ? nfree - resv : 0;
	if (avail >= need)
		return 0;
	if (hps == mmb_huge_page_size())
		snprintf(knob, sizeof(knob), "/proc/sys/vm/nr_hugepages");
	else
		snprintf(knob, sizeof(knob),
			 "/sys/kernel/mm/hugepages/hugepages-%zukB/"
			 "nr_hugepages",
			 hps >> 10);
	return mmb__why(MMB_ESKIP, why, whylen,
			HT ": need %" PRIu64
			   " free %zu MiB huge pages, %" PRIu64
			   " free (echo %" PRIu64 " > %s)",
			need, hps >> 20, avail, nr + (need - avail), knob);
}

/* The first hugetlbfs mount whose page size is hps, into dir. */
static bool ht_find_mount(size_t hps, char *dir, size_t n)
{
	struct mntent ent, *e;
	char buf[1024];
	struct statfs sf;
	bool found = false;
	FILE *f = setmntent("/proc/mounts", "re");

	if (!f)
		return false;
	while (!found && (e = getmntent_r(f, &ent, buf, sizeof(buf)))) {
		if (strcmp(e->mnt_type, "hugetlbfs") != 0)
			continue;
		if (statfs(e->mnt_dir, &sf) == 0 && (size_t)sf.f_bsize == hps &&
		    access(e->mnt_dir, W_OK) == 0) {
			snprintf(dir, n, "%s", e->mnt_dir);
			found = true;
		}
	}
	endmntent(f);
	return found;
}

/* An unlinked file on hugetlbfs: in dir, or a hugetlb memfd when dir is
 * NULL. Returns the fd or MMB_E* with why filled. */
static int ht_create(const char *dir, char *why, size_t whylen)
{
	char path[4096];
	int fd, e;

	if (!dir) {
		fd = memfd_create("mmb-hugetlb", MFD_HUGETLB | MFD_CLOEXEC);
		if (fd >= 0)
			return fd;
		e = errno;
		return mmb__why(MMB_ESKIP, why, whylen,
				HT
				": no hugetlbfs mounted and "
				"memfd_create(MFD_HUGETLB) failed: %s (mount "
				"-t hugetlbfs none /dev/hugepages)",
				strerror(e));
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/mmb-hugetlb-XXXXXX",
			     dir) >= sizeof(path))
		return mmb__why(MMB_ENAMETOOLONG, why, whylen,
				HT ": hugetlbfs path too long: %s", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		mmb_seterr(-e, e, "mkostemp(%s)", path);
		return mmb__why_err(-e, HT, why, whylen);
	}
	/* Unlinked at once: the pages go back to the pool at close, and a
	 * crash leaves nothing behind. */
	unlink(path);
	return fd;
}

/* pread the whole source file into the mapping. */
static int ht_copy(const char *path, char *dst, uint64_t size, char *why,
		   size_t whylen)
{
	uint64_t done = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;

	if (fd < 0) {
		e = errno;
		mmb_seterr(-e, e, "open(%s, O_RDONLY)", path);
		return mmb__why_err(-e, HT, why, whylen);
	}
	while (done < size) {
		size_t chunk = size - done > (64u << 20)
				   ? (64u << 20)
				   : (size_t)(size - done);

		n = pread(fd, dst + done, chunk, (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = n < 0 ? errno : 0;
			close(fd);
			mmb_seterr(e ? -e : MMB_EIO, e,
				   "pread(%s, off=%" PRIu64 ", len=%zu)%s",
				   path, done, chunk,
				   e ? "" : ": file shrank during the copy");
			return mmb__why_err(e ? -e : MMB_EIO, HT, why, whylen);
		}
		done += (uint64_t)n;
	}
	close(fd);
	return 0;
}

static int ht_open(const char *path, uint64_t size,
		   const struct mmb_backend_opts *o, void **state, char *why,
		   size_t whylen)
{
	struct mmb_map_opts mo = {.access = MMB_ACCESS_RDWR,
				  .flags = MMB_MAP_HUGETLB};
	char mnt[4096];
	const char *dir = o->hugetlb_dir;
	struct statfs sf;
	struct mmb_map *m;
	size_t hps = mmb_huge_page_size();
	uint64_t len;
	int fd, rc;

	if (o->writable)
		return mmb__why(MMB_EINVAL, why, whylen,
				HT " is read-only: it maps a copy of the file "
				   "in hugetlbfs, so writes would never reach "
				   "the file");
	if (size == 0)
		return mmb__why(MMB_EBADOFF, why, whylen,
				HT ": %s is empty, nothing to map", path);
	if (dir) {
		if (statfs(dir, &sf) < 0 || sf.f_type != HUGETLBFS_MAGIC)
			return mmb__why(MMB_EINVAL, why, whylen,
					HT ": %s is not a hugetlbfs mount",
					dir);
		hps = (size_t)sf.f_bsize;
	} else if (hps == 0) {
		return mmb__why(MMB_ESKIP, why, whylen,
				HT ": this kernel has no huge pages "
				   "(Hugepagesize missing from /proc/meminfo)");
	} else if (ht_find_mount(hps, mnt, sizeof(mnt))) {
		dir = mnt;
	}
	len = mmb_align_up(size, hps);
	rc = ht_check_free(hps, len / hps, why, whylen);
	if (rc < 0)
		return rc;

	rc = fd = ht_create(dir, why, whylen);
	if (rc < 0)
		return rc;
	if (ftruncate(fd, (off_t)len) < 0) {
		rc = -errno;
		mmb_seterr(rc, errno, "ftruncate(hugetlbfs, %" PRIu64 ")", len);
		mmb__why_err(rc, HT, why, whylen);
		goto err_close;
	}
	mo.length = len;
	rc = mmb_map_fd(&m, fd, &mo);
	if (rc == MMB_ENOMEM) {
		/* Someone took the pages between the check and the map. */
		rc = ht_check_free(hps, len / hps, why, whylen);
		if (rc == 0)
			rc = mmb__why_err(MMB_ENOMEM, HT, why, whylen);
		goto err_close;
	}
	if (rc < 0) {
		mmb__why_err(rc, HT, why, whylen);
		goto err_close;
	}
	/* The mapping keeps the file alive. */
	close(fd);
	rc = ht_copy(path, mmb_map_data(m), size, why, whylen);
	if (rc < 0)
		goto err_unmap;
	return mmb__mapped_wrap(HT, m, size, o, false, state, why, whylen);

err_unmap:
	mmb_map_close(m);
	return rc;
err_close:
	close(fd);
	return rc;
}

const struct mmb_backend mmb_backend_mmap_hugetlb = {
    .name = "mmap-hugetlb",
    .help = "read-only: copy the file into hugetlbfs at open (untimed), "
	    "map it MAP_HUGETLB (needs free huge pages)",
    .caps = MMB_CAP_READ | MMB_CAP_MAPPED | MMB_CAP_VIEW,
    .open = ht_open,
    MMB__MAPPED_RO_HOOKS,
};
