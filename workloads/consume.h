/* SPDX-License-Identifier: MIT */
/* workloads/consume.h - what a read op does with its bytes (--access), one
 * consumer for every backend.
 *
 *   copy     the backend's read copies the op into the buffer; its first
 *            8-byte word goes into the checksum (mmbench before --access).
 *   inplace  every byte of the op is read by the consumer (mmb__access.fn,
 *            mmb__consume_best: consume.c's widest for this CPU): through the
 *            backend's .view on the mapping itself (MMB_CAP_VIEW), else on
 *            the buffer the backend's read filled. Checksum: the sum of
 *            the op's little-endian 64-bit words (the last one
 *            zero-padded), whichever pieces the bytes came in.
 *   touch    one 8-byte load at the op's offset (mmb__consume_word):
 *            through .view 8 bytes of the mapping, else the whole op is
 *            read into the buffer first. Checksum: that word, as copy's.
 *
 * bytes_consumed counts the file's bytes the ops brought to the CPU: all
 * that a read copied, or what the consumer loaded through a view (8 per op
 * for touch). The dispatch is one inline function (mmb__access_read) so
 * the runner's per-op path stays one call site. */
#ifndef MMB_WORKLOADS_CONSUME_H
#define MMB_WORKLOADS_CONSUME_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mmbench/backend.h"

struct mmb__consumer {
	uint64_t sum;	 /* the checksum */
	uint64_t part;	 /* inplace: the bytes of a word begun in a piece */
	unsigned pos;	 /* inplace: how many (0..7) */
	uint64_t loaded; /* bytes the consumer read (see bytes_consumed) */
};

/* Read every byte of [p, p+len) into c->sum (arg is the consumer), word by
 * word, continuing a word a previous piece of the same op began. Returns
 * 0. The signature is mmb_view_fn's. Calls mmb__consume_best()'s. */
int mmb__consume_all(void *p, size_t len, void *arg);
/* mmb__consume_all's work with the vectors of one level: 0 plain 64-bit
 * words, 1 16-byte vectors (SSE2, NEON), 2 AVX2, 3 AVX-512F; NULL where
 * this build or CPU lacks them. Each gives the same sums. */
#define MMB__CONSUME_LEVELS 4
mmb_view_fn mmb__consume_kernel(int level);
/* The widest of them this CPU runs, chosen at the first call. */
mmb_view_fn mmb__consume_best(void);
/* One load of min(len, 8) bytes at p into c->sum. Returns 0. */
int mmb__consume_word(void *p, size_t len, void *arg);

/* The end of an op: its last, incomplete word into the sum. */
static inline void mmb__consume_end(struct mmb__consumer *c)
{
	c->sum += c->part;
	c->part = 0;
	c->pos = 0;
}

/* Everything the per-op read path needs, in one place. */
struct mmb__access {
	enum mmb_access_mode mode;
	int64_t (*rd)(void *, void *, size_t, uint64_t);
	/* The backend's view hook, NULL without MMB_CAP_VIEW. */
	int64_t (*view)(void *, size_t, uint64_t, mmb_view_fn, void *);
	struct mmb__consumer c;
	/* inplace and touch: the consumer, chosen once per run */
	mmb_view_fn fn;
	uint64_t viewed; /* ops served through view */
	/* Inside the backend's guard scope (.scope, with MMB_CAP_VIEW): its
	 * whole mapping, map_len bytes of the file, which copy copies out of
	 * as .read would and inplace and touch consume as .view would (a
	 * fault ends the scope); NULL otherwise. */
	const unsigned char *map;
	uint64_t map_len;
};

static inline struct mmb__access mmb__access_init(const struct mmb_backend *b,
						  enum mmb_access_mode mode)
{
	struct mmb__access a = {.mode = mode,
				.rd = b->read,
				.fn = mode == MMB_AM_TOUCH
					  ? mmb__consume_word
					  : mmb__consume_best()};

	if (b->caps & MMB_CAP_VIEW)
		a.view = b->view;
	return a;
}

/* One read op of len bytes at off through the backend: returns what the
 * backend's read would (len when the op was served, fewer bytes at the
 * end of the file, MMB_E*), having fed the bytes to the mode's consumer.
 * buf: the op's buffer, at least max(len, 8) bytes. */
static inline int64_t mmb__access_read(struct mmb__access *a, void *ts,
				       unsigned char *buf, uint32_t len,
				       uint64_t off)
{
	int64_t r;

	if (a->mode == MMB_AM_COPY) {
		if (a->map) {
			/* .read's own copy (backend.h, .scope), without its
			 * calls: the loop a program copying out of a mapping
			 * runs (bench/bare.c) */
			r = off < a->map_len ? (int64_t)(a->map_len - off < len
							     ? a->map_len - off
							     : len)
					     : 0;
			if (r > 0)
				memcpy(buf, a->map + off, (size_t)r);
			/* all of buf may be read: the compiler must not trim
			 * the copy to the word the checksum reads */
			__asm__ volatile("" : : "r"(buf) : "memory");
		} else {
			r = a->rd(ts, buf, len, off);
		}
		if (r == (int64_t)len) {
			uint64_t v;
			memcpy(&v, buf, sizeof(v));
			a->c.sum += v; /* bytes_consumed: not in copy mode */
		}
		return r;
	}
	const mmb_view_fn fn = a->fn;
	if (a->map) {
		/* .view's own semantics (backend.h), without its call */
		size_t n = a->mode == MMB_AM_TOUCH && len > 8 ? 8 : len,
		       got = 0;
		if (off < a->map_len) {
			got = a->map_len - off < n ? (size_t)(a->map_len - off)
						   : n;
			fn((void *)(a->map + off), got, &a->c);
		}
		mmb__consume_end(&a->c);
		if (got != n)
			return (int64_t)got;
		a->viewed++;
		return (int64_t)len;
	}
	if (a->view) {
		size_t n = a->mode == MMB_AM_TOUCH && len > 8 ? 8 : len;
		r = a->view(ts, n, off, fn, &a->c);
		mmb__consume_end(&a->c);
		if (r != (int64_t)n)
			return r;
		a->viewed++;
		return (int64_t)len;
	}
	r = a->rd(ts, buf, len, off);
	if (r == (int64_t)len) {
		uint64_t loaded = a->c.loaded;
		fn(buf, len, &a->c);
		mmb__consume_end(&a->c);
		/* The copy brought all of it, whatever the consumer reads. */
		a->c.loaded = loaded + len;
	}
	return r;
}

#endif
