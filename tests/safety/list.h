TEST_ENTRY(compare_linear)
