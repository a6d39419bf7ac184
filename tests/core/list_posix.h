/* SPDX-License-Identifier: MIT */
/* list_posix.h - core tests that only POSIX/Linux can run (SIGBUS,
 * mincore, madvise semantics, hugetlbfs). */
TEST_ENTRY(sigbus_after_truncate)
TEST_ENTRY(sigbus_chains_previous_handler)
TEST_ENTRY(populate_resident)
TEST_ENTRY(willneed_resident)
TEST_ENTRY(advise_every_hint)
TEST_ENTRY(hugetlb_alignment)
TEST_ENTRY(hugetlb_map)
TEST_ENTRY(settle_write_during_flush)
TEST_ENTRY(map_create_mode)
TEST_ENTRY(guard_in_place_after_truncate)
TEST_ENTRY(guard_off_is_plain_sigbus)
TEST_ENTRY(periodic_flusher_cleans_page)
TEST_ENTRY(shm_two_processes)
TEST_ENTRY(invalidate_locked_busy)
TEST_ENTRY(guard_threads)
TEST_ENTRY(guard_scope_after_truncate)
