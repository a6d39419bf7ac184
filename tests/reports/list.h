/* Suite test_reports: the results reader, mmb_report_write() (plots,
 * index.html, atomic output directory), `mmbench report` and a headless
 * Chromium rendering of the page. */
TEST_ENTRY(report_load_model)
TEST_ENTRY(report_load_gbench_plain)
TEST_ENTRY(report_fixture)
TEST_ENTRY(report_sweep)
TEST_ENTRY(report_no_sweep_two_params)
TEST_ENTRY(report_sweep_command_line)
TEST_ENTRY(report_hostile_strings)
TEST_ENTRY(report_replace)
TEST_ENTRY(report_bad_inputs)
TEST_ENTRY(report_no_gnuplot)
TEST_ENTRY(report_cli_bad_inputs)
TEST_ENTRY(report_cli_real_run)
TEST_ENTRY(report_chromium)
