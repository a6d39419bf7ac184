/* SPDX-License-Identifier: MIT */
/* consume_cand.c - candidate consumers for access/consume4k/paired
 * (bench/access.c): other ways of reading every byte of an op into the
 * same sum of 64-bit words as mmb__consume_all, each measured against
 * memcpy on the same random 4 KiB ops of a warm mapping. What one of them
 * shows to be faster goes into workloads/consume.c; the rest stay here as
 * the record of what was tried. Each checks its sum against
 * mmb__consume_all once (bench_cand_check) so a fast wrong one cannot win.
 *
 * They take whole 256-byte steps and hand any other length (or a word a
 * previous piece began) to mmb__consume_all: the benchmark's ops are
 * 4 KiB. "lines" is no consumer (one word per 64-byte line): it is the
 * floor, what bringing the lines to the core costs. */
#include <string.h>

#include "bench_cand.h"

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>

#define Z512 __attribute__((target("avx512f")))
#define Y256 __attribute__((target("avx2")))

/* The lanes' sum, unsigned (_mm512_reduce_add_epi64 adds signed lanes:
 * overflow UBSan reports) */
static Z512 uint64_t fold512(__m512i a)
{
	uint64_t w[8], s = 0;
	_mm512_storeu_si512(w, a);
	for (int k = 0; k < 8; k++)
		s += w[k];
	return s;
}

/* AVX-512, four chains, 256 bytes a step: mmb__consume_all's inner loop
 * without its cascade and partial-word code around it. */
static Z512 uint64_t z4(const unsigned char *b, size_t len)
{
	__m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
	for (size_t i = 0; i < len; i += 256) {
		a0 = _mm512_add_epi64(a0, _mm512_loadu_si512(b + i));
		a1 = _mm512_add_epi64(a1, _mm512_loadu_si512(b + i + 64));
		a2 = _mm512_add_epi64(a2, _mm512_loadu_si512(b + i + 128));
		a3 = _mm512_add_epi64(a3, _mm512_loadu_si512(b + i + 192));
	}
	return fold512(_mm512_add_epi64(_mm512_add_epi64(a0, a1),
					_mm512_add_epi64(a2, a3)));
}

/* Eight chains, 512 bytes a step. */
static Z512 uint64_t z8(const unsigned char *b, size_t len)
{
	__m512i a[8];
	for (int k = 0; k < 8; k++)
		a[k] = _mm512_setzero_si512();
	size_t i = 0;
	for (; i + 512 <= len; i += 512)
		for (int k = 0; k < 8; k++)
			a[k] = _mm512_add_epi64(
			    a[k], _mm512_loadu_si512(b + i + 64 * k));
	for (; i < len; i += 64)
		a[0] = _mm512_add_epi64(a[0], _mm512_loadu_si512(b + i));
	for (int k = 1; k < 8; k++)
		a[0] = _mm512_add_epi64(a[0], a[k]);
	return fold512(a[0]);
}

/* Four chains, with a prefetcht0 PF bytes ahead inside the op. */
#define PF_AHEAD 1024
static Z512 uint64_t z4_pf(const unsigned char *b, size_t len)
{
	__m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
	for (size_t i = 0; i < len; i += 256) {
		if (i + PF_AHEAD < len) {
			const char *q = (const char *)b + i + PF_AHEAD;
			_mm_prefetch(q, _MM_HINT_T0);
			_mm_prefetch(q + 64, _MM_HINT_T0);
			_mm_prefetch(q + 128, _MM_HINT_T0);
			_mm_prefetch(q + 192, _MM_HINT_T0);
		}
		a0 = _mm512_add_epi64(a0, _mm512_loadu_si512(b + i));
		a1 = _mm512_add_epi64(a1, _mm512_loadu_si512(b + i + 64));
		a2 = _mm512_add_epi64(a2, _mm512_loadu_si512(b + i + 128));
		a3 = _mm512_add_epi64(a3, _mm512_loadu_si512(b + i + 192));
	}
	return fold512(_mm512_add_epi64(_mm512_add_epi64(a0, a1),
					_mm512_add_epi64(a2, a3)));
}

/* memcpy's order (glibc's vector loop): the last 256 bytes first, then
 * forward over the rest. */
static Z512 uint64_t z4_tail_first(const unsigned char *b, size_t len)
{
	const unsigned char *e = b + len - 256;
	__m512i a0 = _mm512_loadu_si512(e), a1 = _mm512_loadu_si512(e + 64),
		a2 = _mm512_loadu_si512(e + 128),
		a3 = _mm512_loadu_si512(e + 192);
	for (size_t i = 0; i + 256 < len; i += 256) {
		a0 = _mm512_add_epi64(a0, _mm512_loadu_si512(b + i));
		a1 = _mm512_add_epi64(a1, _mm512_loadu_si512(b + i + 64));
		a2 = _mm512_add_epi64(a2, _mm512_loadu_si512(b + i + 128));
		a3 = _mm512_add_epi64(a3, _mm512_loadu_si512(b + i + 192));
	}
	return fold512(_mm512_add_epi64(_mm512_add_epi64(a0, a1),
					_mm512_add_epi64(a2, a3)));
}

/* The last 512 bytes first, then forward. */
static Z512 uint64_t z4_tail512(const unsigned char *b, size_t len)
{
	if (len < 512)
		return z4(b, len);
	const unsigned char *e = b + len - 512;
	__m512i a0 = _mm512_loadu_si512(e), a1 = _mm512_loadu_si512(e + 64),
		a2 = _mm512_loadu_si512(e + 128),
		a3 = _mm512_loadu_si512(e + 192);
	a0 = _mm512_add_epi64(a0, _mm512_loadu_si512(e + 256));
	a1 = _mm512_add_epi64(a1, _mm512_loadu_si512(e + 320));
	a2 = _mm512_add_epi64(a2, _mm512_loadu_si512(e + 384));
	a3 = _mm512_add_epi64(a3, _mm512_loadu_si512(e + 448));
	for (size_t i = 0; i + 512 < len; i += 256) {
		a0 = _mm512_add_epi64(a0, _mm512_loadu_si512(b + i));
		a1 = _mm512_add_epi64(a1, _mm512_loadu_si512(b + i + 64));
		a2 = _mm512_add_epi64(a2, _mm512_loadu_si512(b + i + 128));
		a3 = _mm512_add_epi64(a3, _mm512_loadu_si512(b + i + 192));
	}
	return fold512(_mm512_add_epi64(_mm512_add_epi64(a0, a1),
					_mm512_add_epi64(a2, a3)));
}

/* The last line first, then forward over the rest. */
static Z512 uint64_t z4_tail64(const unsigned char *b, size_t len)
{
	__m512i a0 = _mm512_loadu_si512(b + len - 64),
		a1 = _mm512_setzero_si512(), a2 = a1, a3 = a1;
	size_t i = 0;
	for (; i + 256 < len; i += 256) {
		a0 = _mm512_add_epi64(a0, _mm512_loadu_si512(b + i));
		a1 = _mm512_add_epi64(a1, _mm512_loadu_si512(b + i + 64));
		a2 = _mm512_add_epi64(a2, _mm512_loadu_si512(b + i + 128));
		a3 = _mm512_add_epi64(a3, _mm512_loadu_si512(b + i + 192));
	}
	a1 = _mm512_add_epi64(a1, _mm512_loadu_si512(b + i));
	a2 = _mm512_add_epi64(a2, _mm512_loadu_si512(b + i + 64));
	a3 = _mm512_add_epi64(a3, _mm512_loadu_si512(b + i + 128));
	return fold512(_mm512_add_epi64(_mm512_add_epi64(a0, a1),
					_mm512_add_epi64(a2, a3)));
}

/* Both ends inward: two lines from the front and two from the back a
 * step. */
static Z512 uint64_t z4_twoway(const unsigned char *b, size_t len)
{
	__m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
	const unsigned char *e = b + len;
	for (size_t i = 0; i < len / 2; i += 128) {
		a0 = _mm512_add_epi64(a0, _mm512_loadu_si512(b + i));
		a1 = _mm512_add_epi64(a1, _mm512_loadu_si512(b + i + 64));
		a2 = _mm512_add_epi64(a2, _mm512_loadu_si512(e - i - 64));
		a3 = _mm512_add_epi64(a3, _mm512_loadu_si512(e - i - 128));
	}
	return fold512(_mm512_add_epi64(_mm512_add_epi64(a0, a1),
					_mm512_add_epi64(a2, a3)));
}

/* Backwards from the end. */
static Z512 uint64_t z4_back(const unsigned char *b, size_t len)
{
	__m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
	for (size_t i = len; i; i -= 256) {
		a0 = _mm512_add_epi64(a0, _mm512_loadu_si512(b + i - 64));
		a1 = _mm512_add_epi64(a1, _mm512_loadu_si512(b + i - 128));
		a2 = _mm512_add_epi64(a2, _mm512_loadu_si512(b + i - 192));
		a3 = _mm512_add_epi64(a3, _mm512_loadu_si512(b + i - 256));
	}
	return fold512(_mm512_add_epi64(_mm512_add_epi64(a0, a1),
					_mm512_add_epi64(a2, a3)));
}

/* The last T bytes first (forward), then forward from the start. */
#define Z4_TAIL(T)                                                             \
	static Z512 uint64_t z4_tail##T(const unsigned char *b, size_t len)    \
	{                                                                      \
		if (len < 2 * (T))                                             \
			return z4(b, len);                                     \
		__m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0,         \
			a3 = a0;                                               \
		for (size_t i = len - (T); i < len; i += 256) {                \
			a0 = _mm512_add_epi64(a0, _mm512_loadu_si512(b + i));  \
			a1 = _mm512_add_epi64(a1,                              \
					      _mm512_loadu_si512(b + i + 64)); \
			a2 = _mm512_add_epi64(                                 \
			    a2, _mm512_loadu_si512(b + i + 128));              \
			a3 = _mm512_add_epi64(                                 \
			    a3, _mm512_loadu_si512(b + i + 192));              \
		}                                                              \
		for (size_t i = 0; i < len - (T); i += 256) {                  \
			a0 = _mm512_add_epi64(a0, _mm512_loadu_si512(b + i));  \
			a1 = _mm512_add_epi64(a1,                              \
					      _mm512_loadu_si512(b + i + 64)); \
			a2 = _mm512_add_epi64(                                 \
			    a2, _mm512_loadu_si512(b + i + 128));              \
			a3 = _mm512_add_epi64(                                 \
			    a3, _mm512_loadu_si512(b + i + 192));              \
		}                                                              \
		return fold512(_mm512_add_epi64(_mm512_add_epi64(a0, a1),      \
						_mm512_add_epi64(a2, a3)));    \
	}
Z4_TAIL(1024)
Z4_TAIL(2048)

/* One word per line, the last 512 bytes' lines first: the floor of the
 * tail-first order. */
static uint64_t lines_tail(const unsigned char *b, size_t len)
{
	uint64_t s0 = 0, w;
	for (size_t i = len - 512; i < len; i += 64) {
		memcpy(&w, b + i, 8);
		s0 += w;
	}
	for (size_t i = 0; i + 512 < len; i += 64) {
		memcpy(&w, b + i, 8);
		s0 += w;
	}
	return s0;
}

/* Four streams at once: the quarters of the op, a line of each a step. */
static Z512 uint64_t z4_quarters(const unsigned char *b, size_t len)
{
	size_t q = len / 4;
	__m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
	for (size_t i = 0; i < q; i += 64) {
		a0 = _mm512_add_epi64(a0, _mm512_loadu_si512(b + i));
		a1 = _mm512_add_epi64(a1, _mm512_loadu_si512(b + q + i));
		a2 = _mm512_add_epi64(a2, _mm512_loadu_si512(b + 2 * q + i));
		a3 = _mm512_add_epi64(a3, _mm512_loadu_si512(b + 3 * q + i));
	}
	return fold512(_mm512_add_epi64(_mm512_add_epi64(a0, a1),
					_mm512_add_epi64(a2, a3)));
}

/* AVX2, four chains, 128 bytes a step. */
static Y256 uint64_t y4(const unsigned char *b, size_t len)
{
	__m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
	for (size_t i = 0; i < len; i += 128) {
		a0 = _mm256_add_epi64(
		    a0, _mm256_loadu_si256((const void *)(b + i)));
		a1 = _mm256_add_epi64(
		    a1, _mm256_loadu_si256((const void *)(b + i + 32)));
		a2 = _mm256_add_epi64(
		    a2, _mm256_loadu_si256((const void *)(b + i + 64)));
		a3 = _mm256_add_epi64(
		    a3, _mm256_loadu_si256((const void *)(b + i + 96)));
	}
	a0 = _mm256_add_epi64(_mm256_add_epi64(a0, a1),
			      _mm256_add_epi64(a2, a3));
	__m128i h = _mm_add_epi64(_mm256_castsi256_si128(a0),
				  _mm256_extracti128_si256(a0, 1));
	return (uint64_t)_mm_cvtsi128_si64(h) +
	       (uint64_t)_mm_extract_epi64(h, 1);
}

/* A probe, not a consumer to keep: rep movsb (what glibc's memcpy runs
 * for 4 KiB here, FSRM) into an L1 scratch buffer, then z4 over it: do
 * the string instruction's loads get more lines in flight than vector
 * loads do? */
static Z512 uint64_t movsb_z4(const unsigned char *b, size_t len)
{
	static unsigned char tmp[1 << 16] __attribute__((aligned(64)));
	void *d = tmp;
	const void *s = b;
	size_t n = len;
	if (n > sizeof(tmp))
		return z4(b, len);
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return z4(tmp, len);
}

/* The floor: one 8-byte load per line. */
static uint64_t lines(const unsigned char *b, size_t len)
{
	uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, w;
	for (size_t i = 0; i < len; i += 256) {
		memcpy(&w, b + i, 8);
		s0 += w;
		memcpy(&w, b + i + 64, 8);
		s1 += w;
		memcpy(&w, b + i + 128, 8);
		s2 += w;
		memcpy(&w, b + i + 192, 8);
		s3 += w;
	}
	return s0 + s1 + s2 + s3;
}

#define CAND(name, kernel)                                       \
	static int cand_##name(void *p, size_t len, void *arg)   \
	{                                                        \
		struct mmb__consumer *c = arg;                   \
		if (c->pos || len % 256 || !len)                 \
			return mmb__consume_all(p, len, arg);    \
		c->loaded += len;                                \
		c->sum += kernel((const unsigned char *)p, len); \
		return 0;                                        \
	}
CAND(z4, z4)
CAND(z8, z8)
CAND(z4_pf, z4_pf)
CAND(z4_tail_first, z4_tail_first)
CAND(z4_quarters, z4_quarters)
CAND(z4_tail512, z4_tail512)
CAND(z4_tail64, z4_tail64)
CAND(z4_twoway, z4_twoway)
CAND(z4_back, z4_back)
CAND(z4_tail1024, z4_tail1024)
CAND(z4_tail2048, z4_tail2048)
CAND(lines_tail, lines_tail)
CAND(y4, y4)
CAND(movsb_z4, movsb_z4)
CAND(lines, lines)

static int have512(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx512f");
}
static int have256(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2");
}
#endif

static int always(void)
{
	return 1;
}

const struct bench_cand bench_cands[] = {
    {.name = "best", .usable = always},
    {.name = "consume_all", .fn = mmb__consume_all, .usable = always},
    {.name = "level0", .usable = always, .level = 1},
    {.name = "level1", .usable = always, .level = 2},
    {.name = "level2", .usable = always, .level = 3},
    {.name = "level3", .usable = always, .level = 4},
#if defined(__GNUC__) && defined(__x86_64__)
    {.name = "z4", .fn = cand_z4, .usable = have512},
    {.name = "z8", .fn = cand_z8, .usable = have512},
    {.name = "z4_pf", .fn = cand_z4_pf, .usable = have512},
    {.name = "z4_tail_first", .fn = cand_z4_tail_first, .usable = have512},
    {.name = "z4_quarters", .fn = cand_z4_quarters, .usable = have512},
    {.name = "z4_tail512", .fn = cand_z4_tail512, .usable = have512},
    {.name = "z4_tail64", .fn = cand_z4_tail64, .usable = have512},
    {.name = "z4_twoway", .fn = cand_z4_twoway, .usable = have512},
    {.name = "z4_back", .fn = cand_z4_back, .usable = have512},
    {.name = "y4", .fn = cand_y4, .usable = have256},
    {.name = "movsb_z4", .fn = cand_movsb_z4, .usable = have512},
    {.name = "z4_tail1024", .fn = cand_z4_tail1024, .usable = have512},
    {.name = "z4_tail2048", .fn = cand_z4_tail2048, .usable = have512},
    {.name = "lines", .fn = cand_lines, .usable = always, .floor = true},
    {.name = "lines_tail",
     .fn = cand_lines_tail,
     .usable = always,
     .floor = true},
#endif
};
const size_t bench_ncands = sizeof(bench_cands) / sizeof(bench_cands[0]);

mmb_view_fn bench_cand_fn(const struct bench_cand *k)
{
	if (!k->usable())
		return NULL;
	if (k->fn)
		return k->fn;
	return k->level ? mmb__consume_kernel(k->level - 1)
			: mmb__consume_best();
}

int bench_cand_check(const struct bench_cand *k)
{
	mmb_view_fn fn = bench_cand_fn(k);
	if (!fn)
		return -1;
	static unsigned char b[4096 + 256] __attribute__((aligned(64)));
	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (unsigned char)(i * 131 + 7);
	for (size_t len = 256; len <= 4096; len += 256) {
		struct mmb__consumer x = {0}, y = {0};
		mmb__consume_kernel(0)(b + 8, len, &x);
		mmb__consume_end(&x);
		fn(b + 8, len, &y);
		mmb__consume_end(&y);
		if (x.sum != y.sum || x.loaded != y.loaded)
			return -1;
	}
	return 0;
}
