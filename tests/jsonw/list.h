/* SPDX-License-Identifier: MIT */
TEST_ENTRY(jsonw_escaping)
TEST_ENTRY(jsonw_numbers)
TEST_ENTRY(jsonw_nested)
TEST_ENTRY(jsonw_misuse)
TEST_ENTRY(jsonw_results_file)
