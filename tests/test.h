/* SPDX-License-Identifier: MIT */
/* test.h - a tiny libuv-style test harness.
 *
 * An area's suite is a list header of TEST_ENTRY(name) lines and files of
 * TEST_IMPL(name) bodies; mmb_add_test_suite() in tests/CMakeLists.txt
 * compiles them with tests/runner.c and registers every entry with CTest.
 *
 * `runner NAME` runs one test (CTest registers each as its own test);
 * `runner` alone runs all. A test returns 0 (pass), 1 (fail) or 77 (skip,
 * with the reason printed).
 */
#ifndef MMB_TEST_H
#define MMB_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEST_IMPL(name) int test_##name(void)

#define ASSERT(c)                                                        \
	do {                                                             \
		if (!(c)) {                                              \
			fprintf(stderr, "%s:%d: assertion failed: %s\n", \
				__FILE__, __LINE__, #c);                 \
			return 1;                                        \
		}                                                        \
	} while (0)

#define ASSERT_INT(a, op, b)                                                   \
	do {                                                                   \
		long long a_ = (long long)(a), b_ = (long long)(b);            \
		if (!(a_ op b_)) {                                             \
			fprintf(stderr,                                        \
				"%s:%d: assertion failed: %s %s %s "           \
				"(%lld %s %lld)\n",                            \
				__FILE__, __LINE__, #a, #op, #b, a_, #op, b_); \
			return 1;                                              \
		}                                                              \
	} while (0)
/* |x - want| <= tol (a NaN never is). */
#define ASSERT_NEAR(x, want, tol)                                         \
	do {                                                              \
		double x_ = (x), w_ = (want), t_ = (tol);                 \
		if (!(x_ - w_ <= t_ && w_ - x_ <= t_)) {                  \
			fprintf(stderr,                                   \
				"%s:%d: %s = %.17g, want %.17g (+-%g)\n", \
				__FILE__, __LINE__, #x, x_, w_, t_);      \
			return 1;                                         \
		}                                                         \
	} while (0)
#define ASSERT_EQ(a, b) ASSERT_INT(a, ==, b)
#define ASSERT_OK(e)	ASSERT_INT(e, ==, 0)

#define SKIP(...)                                      \
	do {                                           \
		fprintf(stderr, "SKIP: " __VA_ARGS__); \
		fputc('\n', stderr);                   \
		return 77;                             \
	} while (0)

#endif
