/* SPDX-License-Identifier: MIT */
/* workloads/consume.c - the consumer of --access inplace and touch
 * (consume.h): the same function for every backend, run on a mapping
 * through the backend's view or on the buffer a read filled.
 *
 * A sum of 64-bit words in four independent vector chains: plain loads
 * and adds, no table, no branch per word. One whole consumer per vector
 * width (AVX-512, AVX2, the baseline's 16-byte vectors, plain words),
 * the widest this CPU runs chosen once (mmb__consume_best), so an op is
 * one call with no dispatch inside it.
 *
 * The order of the loads (the sum does not depend on it): the op's last
 * 4 vectors first, then forward from its start. On random 4 KiB ops of a
 * warm file bigger than the caches the cost is bringing the op's lines
 * from memory, and this order does that faster than a plain forward pass
 * (as glibc's memcpy, which also loads the end first): bench/access.c's
 * access/consume4k/paired/NAME measures each order against memcpy, see
 * README.md "Zero-copy". */
#include "consume.h"

/* Finish the word a previous piece of this op began with b's first
 * bytes; returns how many it took. */
static inline size_t finish_word(struct mmb__consumer *c,
				 const unsigned char *b, size_t len)
{
	size_t i = 0;

	for (; c->pos && i < len; i++) {
		c->part |= (uint64_t)b[i] << (8 * c->pos);
		c->pos = (c->pos + 1) & 7;
		if (!c->pos) {
			c->sum += c->part;
			c->part = 0;
		}
	}
	return i;
}

/* The words of b[i, len) into *s, then an incomplete last word into
 * c->part, where it waits for the next piece or the op's end
 * (mmb__consume_end). Little-endian, as the vector loads. */
static inline void tail_words(struct mmb__consumer *c, const unsigned char *b,
			      size_t i, size_t len, uint64_t s)
{
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, b + i, 8);
		s += w;
	}
	c->sum += s;
	for (; i < len; i++) {
		c->part |= (uint64_t)b[i] << (8 * c->pos);
		c->pos++;
	}
}

#if defined(__GNUC__)
/* The body of a whole consumer with W-byte vectors: four independent
 * chains (4 * W bytes a step), the last step first, then one vector at a
 * time for what is left of the op, lanes folded at the end, then words
 * and bytes. A macro, not a function, so that each user compiles it for
 * its own target. Unaligned, aliasing loads (a memcpy into a vector
 * array would go through the stack and stall on store forwarding). */
#define MMB__CONSUME_BODY(W)                                        \
	typedef uint64_t vec __attribute__((vector_size(W)));       \
	typedef uint64_t vec_u                                      \
	    __attribute__((vector_size(W), aligned(1), may_alias)); \
	struct mmb__consumer *c = arg;                              \
	const unsigned char *b = p;                                 \
	size_t i;                                                   \
                                                                    \
	c->loaded += len;                                           \
	i = c->pos ? finish_word(c, b, len) : 0;                    \
	b += i;                                                     \
	len -= i;                                                   \
	const size_t n = len / (4 * (W)) * (4 * (W));               \
	vec a0 = {0}, a1 = a0, a2 = a0, a3 = a0;                    \
	if (n) {                                                    \
		const vec_u *v = (const vec_u *)(b + n - 4 * (W));  \
		a0 = v[0];                                          \
		a1 = v[1];                                          \
		a2 = v[2];                                          \
		a3 = v[3];                                          \
		for (i = 0; i + 4 * (W) < n; i += 4 * (W)) {        \
			v = (const vec_u *)(b + i);                 \
			a0 += v[0];                                 \
			a1 += v[1];                                 \
			a2 += v[2];                                 \
			a3 += v[3];                                 \
		}                                                   \
	}                                                           \
	for (i = n; i + (W) <= len; i += (W))                       \
		a0 += *(const vec_u *)(b + i);                      \
	a0 += a1 + a2 + a3;                                         \
	uint64_t s = 0;                                             \
	for (size_t k = 0; k < (W) / 8; k++)                        \
		s += a0[k];                                         \
	tail_words(c, b, i, len, s);                                \
	return 0

/* 16-byte vectors: SSE2 on x86-64, NEON on arm64 (GCC's generic
 * vectors). */
static int consume_vec16(void *p, size_t len, void *arg)
{
	MMB__CONSUME_BODY(16);
}
#endif

/* Plain 64-bit words, for a compiler without vector extensions (and the
 * tests' reference of the vector ones). */
static int consume_words(void *p, size_t len, void *arg)
{
	struct mmb__consumer *c = arg;
	const unsigned char *b = p;
	size_t i;

	c->loaded += len;
	i = c->pos ? finish_word(c, b, len) : 0;
	tail_words(c, b, i, len, 0);
	return 0;
}

#if defined(__GNUC__) && defined(__x86_64__)
__attribute__((target("avx2"))) static int consume_avx2(void *p, size_t len,
							void *arg)
{
	MMB__CONSUME_BODY(32);
}

__attribute__((target("avx512f"))) static int
consume_avx512f(void *p, size_t len, void *arg)
{
	MMB__CONSUME_BODY(64);
}
#endif

mmb_view_fn mmb__consume_kernel(int level)
{
	switch (level) {
	case 0:
		return consume_words;
#if defined(__GNUC__)
	case 1:
		return consume_vec16;
#endif
#if defined(__GNUC__) && defined(__x86_64__)
	case 2:
		__builtin_cpu_init();
		return __builtin_cpu_supports("avx2") ? consume_avx2 : NULL;
	case 3:
		__builtin_cpu_init();
		return __builtin_cpu_supports("avx512f") ? consume_avx512f
							 : NULL;
#endif
	default:
		return NULL;
	}
}

mmb_view_fn mmb__consume_best(void)
{
	/* NULL: not chosen yet (a race only repeats the choice) */
	static mmb_view_fn best;
#if defined(__GNUC__)
	mmb_view_fn f = __atomic_load_n(&best, __ATOMIC_RELAXED);
#else
	mmb_view_fn f = best;
#endif

	if (!f) {
		for (int lv = MMB__CONSUME_LEVELS - 1; !f; lv--)
			f = mmb__consume_kernel(lv);
#if defined(__GNUC__)
		__atomic_store_n(&best, f, __ATOMIC_RELAXED);
#else
		best = f;
#endif
	}
	return f;
}

int mmb__consume_all(void *p, size_t len, void *arg)
{
	return mmb__consume_best()(p, len, arg);
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
