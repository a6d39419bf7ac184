/* SPDX-License-Identifier: MIT */
/* test-list.h - the backend tests, one CTest test each. The equivalence
 * tests (read_all_backends, write_all_backends, read_over_2g_sparse,
 * read_len_over_4g) iterate the registry. */
TEST_ENTRY(registry)
TEST_ENTRY(wsync_names)
TEST_ENTRY(bad_input)
TEST_ENTRY(read_all_backends)
TEST_ENTRY(read_len_over_4g)
TEST_ENTRY(read_over_2g_sparse)
TEST_ENTRY(mmap_hugetlb)
TEST_ENTRY(write_all_backends)
TEST_ENTRY(mmap_4k_no_pmd)
TEST_ENTRY(mmap_populate_resident)
TEST_ENTRY(nowait_warm_matches_pread)
TEST_ENTRY(nowait_cold_not_served)
TEST_ENTRY(metrics_reach_results)
TEST_ENTRY(runner_goes_by_caps)
TEST_ENTRY(shrink_under_every_backend)
