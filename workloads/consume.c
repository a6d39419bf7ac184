/* SPDX-License-Identifier: MIT */
/* workloads/consume.c - the consumer of --access inplace and touch
 * (consume.h): the same function for every backend, run on a mapping
 * through the backend's view or on the buffer a read filled.
 *
 * A sum of 64-bit words in four independent vector chains: plain loads
 * and adds, no table, no branch per word (bench/access.c measures it
 * against memcpy; README.md "Zero-copy"). */
#include "consume.h"

#if defined(__GNUC__)
/* The body of a sum function: four independent chains of W-byte
 * vectors (4 * W bytes per step), lanes folded into *s at the end.
 * Returns how many bytes of b it summed (a multiple of 4 * W). A macro,
 * not a function, so that each user compiles it for its own target.
 * Unaligned, aliasing loads (a memcpy into a vector array would go
 * through the stack and stall on store forwarding). */
#define MMB__SUM_CHAINS(W)                                          \
	typedef uint64_t vec __attribute__((vector_size(W)));       \
	typedef uint64_t vec_u                                      \
	    __attribute__((vector_size(W), aligned(1), may_alias)); \
	vec a0 = {0}, a1 = a0, a2 = a0, a3 = a0;                    \
	size_t i = 0;                                               \
                                                                    \
	for (; i + 4 * (W) <= len; i += 4 * (W)) {                  \
		const vec_u *v = (const vec_u *)(b + i);            \
		a0 += v[0];                                         \
		a1 += v[1];                                         \
		a2 += v[2];                                         \
		a3 += v[3];                                         \
	}                                                           \
	a0 += a1 + a2 + a3;                                         \
	for (size_t k = 0; k < (W) / 8; k++)                        \
		*s += a0[k];                                        \
	return i

/* 64 bytes per step (SSE2 on x86-64, NEON on arm64: GCC's generic
 * vectors). */
static size_t sum_vec16(const unsigned char *b, size_t len, uint64_t *s)
{
	MMB__SUM_CHAINS(16);
}
#endif

#if defined(__GNUC__) && defined(__x86_64__)
/* AVX2 where the CPU has it (checked once): 128 bytes per step. */
__attribute__((target("avx2"))) static size_t sum_avx2(const unsigned char *b,
						       size_t len, uint64_t *s)
{
	MMB__SUM_CHAINS(32);
}

/* The same with AVX-512: 256 bytes per step. */
__attribute__((target("avx512f"))) static size_t
sum_avx512f(const unsigned char *b, size_t len, uint64_t *s)
{
	MMB__SUM_CHAINS(64);
}

/* 1 none, 2 AVX2, 3 AVX-512F; 0 not known yet (a race only repeats the
 * check). */
static int vector_level(void)
{
	static int known;
	int k = __atomic_load_n(&known, __ATOMIC_RELAXED);

	if (!k) {
		__builtin_cpu_init();
		k = __builtin_cpu_supports("avx512f") ? 3
		    : __builtin_cpu_supports("avx2")  ? 2
						      : 1;
		__atomic_store_n(&known, k, __ATOMIC_RELAXED);
	}
	return k;
}
#endif

int mmb__consume_all(void *p, size_t len, void *arg)
{
	struct mmb__consumer *c = arg;
	const unsigned char *b = p;
	uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, w[4];
	size_t i = 0;

	c->loaded += len;
	/* Finish a word the previous piece of this op began. */
	for (; c->pos && i < len; i++) {
		c->part |= (uint64_t)b[i] << (8 * c->pos);
		c->pos = (c->pos + 1) & 7;
		if (!c->pos) {
			c->sum += c->part;
			c->part = 0;
		}
	}
#if defined(__GNUC__) && defined(__x86_64__)
	if (len - i >= 128) {
		int lv = vector_level();
		if (lv == 3)
			i += sum_avx512f(b + i, len - i, &s2);
		if (lv >= 2)
			i += sum_avx2(b + i, len - i, &s3);
	}
#endif
#if defined(__GNUC__)
	i += sum_vec16(b + i, len - i, &s0);
#endif
	for (; i + 32 <= len; i += 32) {
		memcpy(w, b + i, 32);
		s0 += w[0];
		s1 += w[1];
		s2 += w[2];
		s3 += w[3];
	}
	for (; i + 8 <= len; i += 8) {
		memcpy(w, b + i, 8);
		s0 += w[0];
	}
	c->sum += s0 + s1 + s2 + s3;
	/* An incomplete last word waits for the next piece or the op's
	 * end (mmb__consume_end). Little-endian, as the loads above. */
	for (; i < len; i++) {
		c->part |= (uint64_t)b[i] << (8 * c->pos);
		c->pos++;
	}
	return 0;
}

int mmb__consume_word(void *p, size_t len, void *arg)
{
	struct mmb__consumer *c = arg;
	size_t n = len < 8 ? len : 8;
	uint64_t v = 0;

	memcpy(&v, p, n);
	c->sum += v;
	c->loaded += n;
	return 0;
}
