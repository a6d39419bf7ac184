/* SPDX-License-Identifier: MIT */
/* runner.c - main() of every test suite; TEST_LIST names the suite's list
 * header (set by mmb_add_test_suite). */
#include "test.h"

#define TEST_ENTRY(name) int test_##name(void);
#include TEST_LIST
#undef TEST_ENTRY

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
#define TEST_ENTRY(name) {#name, test_##name},
#include TEST_LIST
#undef TEST_ENTRY
};

int main(int argc, char **argv)
{
	size_t n = sizeof(tests) / sizeof(tests[0]);
	int failed = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (size_t i = 0; i < n; i++) {
		if (argc > 1 && strcmp(argv[1], tests[i].name) != 0)
			continue;
		int rc = tests[i].fn();
		if (argc > 1)
			return rc;
		printf("%-40s %s\n", tests[i].name,
		       rc == 0	  ? "ok"
		       : rc == 77 ? "skip"
				  : "FAIL");
		failed += rc != 0 && rc != 77;
	}
	if (argc > 1) {
		fprintf(stderr, "no test named %s\n", argv[1]);
		return 2;
	}
	return failed ? 1 : 0;
}
