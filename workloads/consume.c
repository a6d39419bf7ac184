/* workloads/consume.c - the consumer of --access inplace and touch
 * (consume.h): the same function for every backend, run on a mapping
 * through the backend's view or on the buffer a read filled.
 *
 * A sum of 64-bit words in four independent chains: plain loads and adds
 * the compiler may vectorise, no table, no branch per word, so it reads
 * a cached 4 KiB op faster than memcpy copies it (bench/access.c,
 * access/consume4k; README.md "Zero-copy"). */
#include "consume.h"

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
