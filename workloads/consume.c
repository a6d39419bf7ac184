/* workloads/consume.c - the consumer of --access inplace and touch
 * (consume.h): the same function for every backend, run on a mapping
 * through the backend's view or on the buffer a read filled.
 *
 * A sum of 64-bit words in four independent vector chains: plain loads
 * and adds, no table, no branch per word (bench/access.c measures it
 * against memcpy; README.md "Zero-copy"). */
#include "consume.h"

#if defined(__GNUC__) && defined(__x86_64__)
/* AVX2 where the CPU has it (checked once): 128 bytes per step. Returns
 * how many bytes of b it summed into *s (a multiple of 128). */
__attribute__((target("avx2"))) static size_t sum_avx2(const unsigned char *b,
						       size_t len, uint64_t *s)
{
	typedef uint64_t v4u __attribute__((vector_size(32)));
	/* Unaligned, aliasing loads (a memcpy into a vector array would
	 * go through the stack and stall on store forwarding). */
	typedef uint64_t v4u_u
	    __attribute__((vector_size(32), aligned(1), may_alias));
	v4u a0 = {0, 0, 0, 0}, a1 = a0, a2 = a0, a3 = a0;
	size_t i = 0;

	for (; i + 128 <= len; i += 128) {
		const v4u_u *v = (const v4u_u *)(b + i);
		a0 += v[0];
		a1 += v[1];
		a2 += v[2];
		a3 += v[3];
	}
	a0 += a1 + a2 + a3;
	*s += a0[0] + a0[1] + a0[2] + a0[3];
	return i;
}

/* The same with AVX-512: 256 bytes per step (a multiple of 256). */
__attribute__((target("avx512f"))) static size_t
sum_avx512f(const unsigned char *b, size_t len, uint64_t *s)
{
	typedef uint64_t v8u __attribute__((vector_size(64)));
	/* Unaligned, aliasing loads (a memcpy into a vector array would
	 * go through the stack and stall on store forwarding). */
	typedef uint64_t v8u_u
	    __attribute__((vector_size(64), aligned(1), may_alias));
	v8u a0 = {0, 0, 0, 0, 0, 0, 0, 0}, a1 = a0, a2 = a0, a3 = a0;
	size_t i = 0;

	for (; i + 256 <= len; i += 256) {
		const v8u_u *v = (const v8u_u *)(b + i);
		a0 += v[0];
		a1 += v[1];
		a2 += v[2];
		a3 += v[3];
	}
	a0 += a1 + a2 + a3;
	*s += a0[0] + a0[1] + a0[2] + a0[3] + a0[4] + a0[5] + a0[6] + a0[7];
	return i;
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
	/* 64 bytes per step in four vector chains (SSE2 on x86-64, NEON on
	 * arm64: GCC's generic vectors), lane sums folded at the end. */
	typedef uint64_t v2u __attribute__((vector_size(16)));
	typedef uint64_t v2u_u
	    __attribute__((vector_size(16), aligned(1), may_alias));
	v2u a0 = {0, 0}, a1 = a0, a2 = a0, a3 = a0;
	for (; i + 64 <= len; i += 64) {
		const v2u_u *v = (const v2u_u *)(b + i);
		a0 += v[0];
		a1 += v[1];
		a2 += v[2];
		a3 += v[3];
	}
	a0 += a1 + a2 + a3;
	s0 += a0[0];
	s1 += a0[1];
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
