/* SPDX-License-Identifier: MIT */
TEST_ENTRY(cli_compare_verdicts)
TEST_ENTRY(cli_compare_counter)
TEST_ENTRY(cli_compare_too_few_reps)
TEST_ENTRY(cli_compare_bad_input)
TEST_ENTRY(cli_compare_outputs)
TEST_ENTRY(cli_baseline)
TEST_ENTRY(real_same_build)
TEST_ENTRY(real_injected_regression)
