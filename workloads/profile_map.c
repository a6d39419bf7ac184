/* SPDX-License-Identifier: MIT */
/* profile_map.c - the one table from function names to --profile
 * categories (mmbench/profile.h).
 *
 * A sample's frames are looked at from the leaf up; the first frame that
 * matches a row decides. A pattern is a function name, or a prefix ending
 * in '*'. Order matters only within a frame (first row wins), so the
 * specific rows (the copy routines, the page-cache lookups) sit above the
 * paths that call them (the fault handler, the syscall entry). Kernel
 * names are those of Linux 6.x on x86-64; a kernel sample that matches no
 * row is other_kernel, a user one is harness when it is in mmbench's own
 * binary, else user_copy (the consumer: libc's memcpy and the like).
 */
#include <string.h>

#include "profile.h"

static const struct {
	const char *pat;
	enum mmb_prof_category cat;
} rows[] = {
    /* kernel copy to/from user */
    {"_copy_to_iter", MMB_PROF_KERNEL_COPY},
    {"_copy_from_iter*", MMB_PROF_KERNEL_COPY},
    {"copy_page_to_iter*", MMB_PROF_KERNEL_COPY},
    {"copy_page_from_iter*", MMB_PROF_KERNEL_COPY},
    {"copy_folio_to_iter", MMB_PROF_KERNEL_COPY},
    {"rep_movs_alternative", MMB_PROF_KERNEL_COPY},
    {"copy_user_*", MMB_PROF_KERNEL_COPY},
    {"__copy_user*", MMB_PROF_KERNEL_COPY},
    {"_copy_to_user", MMB_PROF_KERNEL_COPY},
    {"_copy_from_user", MMB_PROF_KERNEL_COPY},
    {"copyout", MMB_PROF_KERNEL_COPY},
    {"copyin", MMB_PROF_KERNEL_COPY},
    /* readahead and I/O submission */
    {"page_cache_ra_*", MMB_PROF_READAHEAD_IO},
    {"page_cache_sync_ra", MMB_PROF_READAHEAD_IO},
    {"page_cache_async_ra", MMB_PROF_READAHEAD_IO},
    {"do_page_cache_ra", MMB_PROF_READAHEAD_IO},
    {"force_page_cache_ra", MMB_PROF_READAHEAD_IO},
    {"read_pages", MMB_PROF_READAHEAD_IO},
    {"filemap_add_folio", MMB_PROF_READAHEAD_IO},
    {"__filemap_add_folio", MMB_PROF_READAHEAD_IO},
    {"ext4_mpage_readpages", MMB_PROF_READAHEAD_IO},
    {"ext4_read_folio", MMB_PROF_READAHEAD_IO},
    {"mpage_*", MMB_PROF_READAHEAD_IO},
    {"iomap_*", MMB_PROF_READAHEAD_IO},
    {"submit_bio*", MMB_PROF_READAHEAD_IO},
    {"blk_*", MMB_PROF_READAHEAD_IO},
    {"__blk_*", MMB_PROF_READAHEAD_IO},
    {"virtio_queue_rq*", MMB_PROF_READAHEAD_IO},
    {"io_schedule*", MMB_PROF_READAHEAD_IO},
    {"folio_wait_bit*", MMB_PROF_READAHEAD_IO},
    /* page-cache lookup */
    {"filemap_get_read_batch", MMB_PROF_PAGE_CACHE},
    {"filemap_get_pages", MMB_PROF_PAGE_CACHE},
    {"filemap_get_entry", MMB_PROF_PAGE_CACHE},
    {"__filemap_get_folio*", MMB_PROF_PAGE_CACHE},
    {"filemap_read", MMB_PROF_PAGE_CACHE},
    {"filemap_splice_read", MMB_PROF_PAGE_CACHE},
    {"folio_mark_accessed", MMB_PROF_PAGE_CACHE},
    {"folio_try_get*", MMB_PROF_PAGE_CACHE},
    {"xas_*", MMB_PROF_PAGE_CACHE},
    {"find_get_*", MMB_PROF_PAGE_CACHE},
    {"pagecache_get_page", MMB_PROF_PAGE_CACHE},
    /* page-fault handling */
    {"asm_exc_page_fault", MMB_PROF_PAGE_FAULT},
    {"exc_page_fault", MMB_PROF_PAGE_FAULT},
    {"do_user_addr_fault", MMB_PROF_PAGE_FAULT},
    {"handle_mm_fault", MMB_PROF_PAGE_FAULT},
    {"__handle_mm_fault", MMB_PROF_PAGE_FAULT},
    {"do_fault", MMB_PROF_PAGE_FAULT},
    {"do_read_fault", MMB_PROF_PAGE_FAULT},
    {"do_shared_fault", MMB_PROF_PAGE_FAULT},
    {"do_anonymous_page", MMB_PROF_PAGE_FAULT},
    {"filemap_fault", MMB_PROF_PAGE_FAULT},
    {"filemap_map_pages", MMB_PROF_PAGE_FAULT},
    {"next_uptodate_folio", MMB_PROF_PAGE_FAULT},
    {"set_pte_range", MMB_PROF_PAGE_FAULT},
    {"lock_vma_under_rcu", MMB_PROF_PAGE_FAULT},
    {"clear_page*", MMB_PROF_PAGE_FAULT},
    /* syscall entry/exit and the VFS around the read */
    {"entry_SYSCALL_64*", MMB_PROF_SYSCALL},
    {"do_syscall_64", MMB_PROF_SYSCALL},
    {"syscall_exit_to_user_mode*", MMB_PROF_SYSCALL},
    {"syscall_return_via_sysret", MMB_PROF_SYSCALL},
    {"__x64_sys_*", MMB_PROF_SYSCALL},
    {"x64_sys_call", MMB_PROF_SYSCALL},
    {"ksys_*", MMB_PROF_SYSCALL},
    {"vfs_read", MMB_PROF_SYSCALL},
    {"vfs_write", MMB_PROF_SYSCALL},
    {"rw_verify_area", MMB_PROF_SYSCALL},
    {"security_file_permission", MMB_PROF_SYSCALL},
    {"__fdget*", MMB_PROF_SYSCALL},
    {"fdget*", MMB_PROF_SYSCALL},
    {"fput", MMB_PROF_SYSCALL},
    {"ext4_file_read_iter", MMB_PROF_SYSCALL},
    {"generic_file_read_iter", MMB_PROF_SYSCALL},
    {"touch_atime", MMB_PROF_SYSCALL},
    {"atime_needs_update", MMB_PROF_SYSCALL},
    /* user side of a syscall: libc's wrappers */
    {"__libc_pread*", MMB_PROF_SYSCALL},
    {"pread64", MMB_PROF_SYSCALL},
    {"__pread64*", MMB_PROF_SYSCALL},
    {"__libc_pwrite*", MMB_PROF_SYSCALL},
    {"pwrite64", MMB_PROF_SYSCALL},
    /* user copy */
    {"__memmove_*", MMB_PROF_USER_COPY},
    {"__memcpy_*", MMB_PROF_USER_COPY},
    {"__mempcpy_*", MMB_PROF_USER_COPY},
    {"memcpy", MMB_PROF_USER_COPY},
    {"memmove", MMB_PROF_USER_COPY},
};

static bool match(const char *pat, const char *name)
{
	size_t n = strlen(pat);
	if (n && pat[n - 1] == '*')
		return strncmp(pat, name, n - 1) == 0;
	return strcmp(pat, name) == 0;
}

static bool row_of(const char *name, enum mmb_prof_category *c)
{
	if (!name)
		return false;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (match(rows[i].pat, name)) {
			*c = rows[i].cat;
			return true;
		}
	return false;
}

enum mmb_prof_category mmb__prof_categorize(const char *const *names,
					    const bool *kernel, unsigned n,
					    bool in_exe)
{
	enum mmb_prof_category c;

	for (unsigned i = 0; i < n; i++) {
		if (row_of(names[i], &c))
			return c;
		if (kernel[i])
			continue;
		/* Kernel frames that matched nothing above a user one: an
		 * interrupt, say, is the kernel's time, not the code it
		 * interrupted. */
		if (i > 0)
			return MMB_PROF_OTHER_KERNEL;
		return in_exe ? MMB_PROF_HARNESS : MMB_PROF_USER_COPY;
	}
	return n && kernel[0]
		   ? MMB_PROF_OTHER_KERNEL
		   : (in_exe ? MMB_PROF_HARNESS : MMB_PROF_USER_COPY);
}
