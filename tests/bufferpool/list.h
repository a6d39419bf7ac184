/* SPDX-License-Identifier: MIT */
/* list.h - the bufferpool tests, one CTest test each. */
TEST_ENTRY(clock_exact_hits)
TEST_ENTRY(eviction_writes_back)
TEST_ENTRY(short_last_frame)
TEST_ENTRY(two_threads_consistent)
TEST_ENTRY(pool_size_bad_values)
TEST_ENTRY(run_matches_pread)
TEST_ENTRY(listed_and_documented)
TEST_ENTRY(pool_charged_to_cgroup)
TEST_ENTRY(cidr22_three_backends)
