/* SPDX-License-Identifier: MIT */
/* posix/profile.c - --profile: cpu-clock samples of the timed region.
 *
 * One sampling event per CPU (PERF_COUNT_SW_CPU_CLOCK, every 250 us of
 * CPU time, PERF_SAMPLE_IP | TID | CALLCHAIN), for this thread with
 * inherit so the workers count too; per CPU because an inherited any-CPU
 * event cannot be mmapped (posix/kevents.c). The buffers are read after
 * the region; samples the kernel could not store are counted as lost.
 * Kernel frames need root (perf_event_paranoid); without, the events are
 * user-only and the profile says so. Each sample is named frame by frame
 * (posix/symbols.c), put in a category (profile_map.c) and added to the
 * folded stacks and the leaf-function counts of the backend.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/perf_event.h>

#include "../profile.h"
#include "perfbuf.h"
#include "mmb/error.h"

#define PERIOD_NS   250000u
#define MAX_FRAMES  128
#define FOLDED_MAX  64 /* frames kept in a folded stack */
#define FRAME_CHARS 96

static bool enabled;

int mmb_profile_enable(bool on)
{
	enabled = on;
	return 0;
}

bool mmb__prof_on(void)
{
	return enabled;
}

/* ---- a string -> count map ---------------------------------------------- */

struct entry {
	char *key;
	uint64_t n;
};

struct strmap {
	struct entry *e;
	size_t cap, len;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static bool map_grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	struct entry *e = calloc(cap, sizeof(*e));
	if (!e)
		return false;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->e[i].key)
			continue;
		size_t j = hash(m->e[i].key) & (cap - 1);
		while (e[j].key)
			j = (j + 1) & (cap - 1);
		e[j] = m->e[i];
	}
	free(m->e);
	m->e = e;
	m->cap = cap;
	return true;
}

static bool map_add(struct strmap *m, const char *key, uint64_t n)
{
	if ((m->len + 1) * 2 > m->cap && !map_grow(m))
		return false;
	size_t j = hash(key) & (m->cap - 1);
	while (m->e[j].key && strcmp(m->e[j].key, key) != 0)
		j = (j + 1) & (m->cap - 1);
	if (!m->e[j].key) {
		m->e[j].key = strdup(key);
		if (!m->e[j].key)
			return false;
		m->len++;
	}
	m->e[j].n += n;
	return true;
}

static void map_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->e[i].key);
	free(m->e);
	memset(m, 0, sizeof(*m));
}

/* ---- the accumulator of a backend --------------------------------------- */

struct acc {
	struct strmap stacks; /* folded stack -> samples */
	struct strmap leaves; /* "k:name" / "u:name" -> samples as leaf */
	uint64_t cat[MMB_PROF__COUNT];
	uint64_t samples, lost;
	double wall_threads_ns; /* sum over reps of wall x threads */
	bool oom;
};

/* ---- the sampler -------------------------------------------------------- */

struct mmb__prof {
	int ncpu;
	int *fd;
	void **rb;
	size_t pages;
	unsigned threads;
	bool user_only;
	char note[200];
	uint64_t t0, wall_ns;
};

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

void mmb__prof_close(struct mmb__prof *p)
{
	if (!p)
		return;
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	for (int c = 0; c < p->ncpu; c++) {
		if (p->rb[c])
			munmap(p->rb[c], (p->pages + 1) * pg);
		if (p->fd[c] >= 0)
			close(p->fd[c]);
	}
	free(p->fd);
	free(p->rb);
	free(p);
}

int mmb__prof_open(struct mmb__prof **out, unsigned threads)
{
	struct perf_event_attr a;
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	unsigned opened = 0;

	*out = NULL;
	if (!enabled)
		return 0;
	struct mmb__prof *p = calloc(1, sizeof(*p));
	if (!p)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "calloc(profile)");
	p->threads = threads;
	p->ncpu = mmb__perfbuf_alloc(&p->fd, &p->rb, &p->pages, "profile");
	if (p->ncpu < 0) {
		int rc = p->ncpu;
		free(p);
		return rc;
	}

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.sample_period = PERIOD_NS;
	a.sample_type =
	    PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_CALLCHAIN;
	a.disabled = 1;
	a.inherit = 1;
	a.exclude_hv = 1;
	a.watermark = 1;
	a.sample_max_stack = MAX_FRAMES - 8; /* < perf_event_max_stack, 127 */
again:
	a.wakeup_watermark = (uint32_t)(p->pages * pg);
	for (int c = 0; c < p->ncpu; c++) {
		int fd = mmb__perf_open(&a, c);
		if (fd < 0 && (errno == EACCES || errno == EPERM) &&
		    !p->user_only) {
			/* Not allowed to see the kernel: user frames only,
			 * said so in the profile. */
			p->user_only = true;
			snprintf(p->note, sizeof(p->note),
				 "user space only: perf_event_open(cpu-clock "
				 "with kernel frames): %s",
				 strerror(errno));
			a.exclude_kernel = 1;
			a.exclude_callchain_kernel = 1;
			fd = mmb__perf_open(&a, c);
		}
		if (fd < 0 && errno == ENODEV)
			continue;
		if (fd < 0) {
			int e = errno;
			mmb__prof_close(p);
			return mmb_seterr(
			    -e, e, "perf_event_open(cpu-clock, cpu %d)", c);
		}
		p->fd[c] = fd;
		void *m = mmap(NULL, (p->pages + 1) * pg,
			       PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (m == MAP_FAILED && errno == EPERM && p->pages > 8) {
			/* Over perf_event_mlock_kb (516 KiB a user when not
			 * root): smaller buffers, more samples lost. */
			for (int k = 0; k <= c; k++) {
				if (p->rb[k])
					munmap(p->rb[k], (p->pages + 1) * pg);
				p->rb[k] = NULL;
				if (p->fd[k] >= 0)
					close(p->fd[k]);
				p->fd[k] = -1;
			}
			p->pages /= 2;
			opened = 0;
			goto again;
		}
		if (m == MAP_FAILED) {
			int e = errno;
			mmb__prof_close(p);
			return mmb_seterr(-e, e,
					  "mmap(profile ring buffer, %zu KiB, "
					  "cpu %d)",
					  p->pages * pg / 1024, c);
		}
		p->rb[c] = m;
		opened++;
	}
	if (!opened) {
		mmb__prof_close(p);
		return mmb_seterr(MMB_ENODEV, ENODEV,
				  "perf_event_open(cpu-clock): no online CPU");
	}
	if (!p->user_only && !mmb__ksyms_available()) {
		snprintf(p->note, sizeof(p->note),
			 "kernel frames unnamed: /proc/kallsyms shows no "
			 "addresses (not root?)");
	}
	*out = p;
	return 0;
}

static void each(struct mmb__prof *p, unsigned long req)
{
	for (int c = 0; c < p->ncpu; c++)
		if (p->fd[c] >= 0)
			ioctl(p->fd[c], req, 0);
}

void mmb__prof_start(struct mmb__prof *p)
{
	if (!p)
		return;
	each(p, PERF_EVENT_IOC_RESET);
	p->t0 = now_ns();
	each(p, PERF_EVENT_IOC_ENABLE);
}

void mmb__prof_stop(struct mmb__prof *p)
{
	if (!p)
		return;
	each(p, PERF_EVENT_IOC_DISABLE);
	p->wall_ns = now_ns() - p->t0;
}

/* One sample: name its frames, categorise, add to the maps. */
static void take(struct acc *a, const uint64_t *ips, uint64_t nr)
{
	const char *names[MAX_FRAMES];
	bool kernel[MAX_FRAMES];
	unsigned n = 0;
	bool in_kernel = true, in_exe = false, first_user = true;
	char kbuf[MAX_FRAMES][24];

	for (uint64_t i = 0; i < nr && n < MAX_FRAMES; i++) {
		uint64_t ip = ips[i];
		if (ip >= (uint64_t)PERF_CONTEXT_MAX) {
			if (ip == (uint64_t)PERF_CONTEXT_KERNEL)
				in_kernel = true;
			else if (ip == (uint64_t)PERF_CONTEXT_USER)
				in_kernel = false;
			continue;
		}
		const char *name;
		bool exe = false;
		if (in_kernel) {
			name = mmb__ksym(ip);
		} else {
			name = mmb__usym(ip, &exe);
			if (first_user)
				in_exe = exe;
			first_user = false;
		}
		if (!name) {
			snprintf(kbuf[n], sizeof(kbuf[n]), "[unknown]");
			name = kbuf[n];
		}
		names[n] = name;
		kernel[n] = in_kernel;
		n++;
	}
	if (!n)
		return;
	enum mmb_prof_category c =
	    mmb__prof_categorize(names, kernel, n, in_exe);
	a->cat[c]++;
	a->samples++;

	char leaf[FRAME_CHARS + 4];
	snprintf(leaf, sizeof(leaf), "%c:%s", kernel[0] ? 'k' : 'u', names[0]);
	if (!map_add(&a->leaves, leaf, 1))
		a->oom = true;

	/* Folded: root first, kernel frames marked "_[k]" as perf script
	 * and FlameGraph's stackcollapse do. */
	char line[FOLDED_MAX * (FRAME_CHARS + 5) + 16];
	size_t len = 0;
	unsigned top = n < FOLDED_MAX ? n : FOLDED_MAX;
	len += (size_t)snprintf(line, sizeof(line), "mmbench");
	for (unsigned i = top; i-- > 0;) {
		/* A user caller that could not be named is most likely not
		 * a caller at all: without frame pointers the kernel's walk
		 * of the user stack reads garbage above the leaf. */
		if (i > 0 && !kernel[i] && strcmp(names[i], "[unknown]") == 0)
			continue;
		int w =
		    snprintf(line + len, sizeof(line) - len, ";%.*s%s",
			     FRAME_CHARS, names[i], kernel[i] ? "_[k]" : "");
		if (w < 0 || (size_t)w >= sizeof(line) - len)
			break;
		len += (size_t)w;
	}
	if (!map_add(&a->stacks, line, 1))
		a->oom = true;
}

static void take_record(const struct perf_event_header *h, const void *r,
			void *arg)
{
	const uint64_t *rec = r;
	struct acc *a = arg;

	/* sample: ip, pid/tid, nr, ips[nr] */
	if (h->type == PERF_RECORD_SAMPLE && h->size >= 32) {
		uint64_t nr = rec[3];
		if (32 + nr * 8 <= h->size)
			take(a, rec + 4, nr);
	} else if (h->type == PERF_RECORD_LOST && h->size >= 24) {
		a->lost += rec[2];
	}
}

static void drain(struct mmb__prof *p, int c, struct acc *a)
{
	static uint64_t rec[(8 + 8 + 8 + 8 * (MAX_FRAMES + 8)) / 8 + 8];

	mmb__perfbuf_drain(p->rb[c], p->pages, rec, sizeof(rec), take_record,
			   a);
}

int mmb__prof_read(struct mmb__prof *p, struct mmb_profile **dst)
{
	if (!p)
		return 0;
	if (!*dst) {
		*dst = calloc(1, sizeof(**dst));
		if (!*dst)
			return mmb_seterr(MMB_ENOMEM, ENOMEM,
					  "calloc(profile)");
		(*dst)->acc = calloc(1, sizeof(struct acc));
		if (!(*dst)->acc) {
			free(*dst);
			*dst = NULL;
			return mmb_seterr(MMB_ENOMEM, ENOMEM,
					  "calloc(profile)");
		}
		(*dst)->period_ns = PERIOD_NS;
	}
	struct mmb_profile *pr = *dst;
	struct acc *a = pr->acc;
	if (!a)
		return 0;
	pr->user_only |= p->user_only;
	if (p->note[0] && !pr->note[0])
		snprintf(pr->note, sizeof(pr->note), "%s", p->note);
	mmb__usyms_refresh();
	for (int c = 0; c < p->ncpu; c++)
		if (p->rb[c])
			drain(p, c, a);
	a->wall_threads_ns += (double)p->wall_ns * p->threads;
	return 0;
}

static int cmp_entry(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	if (a->n != b->n)
		return a->n < b->n ? 1 : -1;
	return strcmp(a->key, b->key);
}

void mmb__prof_finish(struct mmb_profile *pr)
{
	struct acc *a = pr ? pr->acc : NULL;

	if (!a)
		return;
	pr->samples = a->samples;
	pr->lost = a->lost;
	pr->oncpu_ns = (double)a->samples * pr->period_ns;
	pr->offcpu_ns = a->wall_threads_ns - pr->oncpu_ns;
	if (pr->offcpu_ns < 0)
		pr->offcpu_ns = 0;
	memcpy(pr->cat_samples, a->cat, sizeof(pr->cat_samples));
	double total = pr->oncpu_ns + pr->offcpu_ns;
	for (unsigned c = 0; c < MMB_PROF__COUNT; c++) {
		double ns = c == MMB_PROF_IO_WAIT
				? pr->offcpu_ns
				: (double)a->cat[c] * pr->period_ns;
		pr->frac[c] = total > 0 ? ns / total : NAN;
		pr->frac_oncpu[c] = c == MMB_PROF_IO_WAIT ? 0
				    : a->samples
					? (double)a->cat[c] / (double)a->samples
					: NAN;
	}
	/* Top leaf functions. */
	struct entry *v =
	    malloc((a->leaves.len ? a->leaves.len : 1) * sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; v && i < a->leaves.cap; i++)
		if (a->leaves.e[i].key)
			v[n++] = a->leaves.e[i];
	if (v) {
		qsort(v, n, sizeof(*v), cmp_entry);
		for (size_t i = 0; i < n && pr->ntop < MMB_PROF_TOP; i++) {
			struct mmb_prof_func *f = &pr->top[pr->ntop++];
			snprintf(f->name, sizeof(f->name), "%s", v[i].key + 2);
			f->kernel = v[i].key[0] == 'k';
			f->samples = v[i].n;
			f->share = a->samples
				       ? (double)v[i].n / (double)a->samples
				       : 0;
		}
		free(v);
	}
	/* Folded stacks, most frequent first. */
	v = malloc((a->stacks.len ? a->stacks.len : 1) * sizeof(*v));
	n = 0;
	for (size_t i = 0; v && i < a->stacks.cap; i++)
		if (a->stacks.e[i].key)
			v[n++] = a->stacks.e[i];
	size_t len = 0, cap = 0;
	char *out = NULL;
	if (v) {
		qsort(v, n, sizeof(*v), cmp_entry);
		for (size_t i = 0; i < n; i++) {
			size_t need = strlen(v[i].key) + 24;
			if (len + need > cap) {
				cap = (len + need) * 2;
				char *o = realloc(out, cap);
				if (!o) {
					a->oom = true;
					break;
				}
				out = o;
			}
			len += (size_t)snprintf(out + len, cap - len,
						"%s %llu\n", v[i].key,
						(unsigned long long)v[i].n);
		}
		free(v);
	}
	pr->folded = out;
	pr->folded_len = out ? len : 0;
	if (a->oom && !pr->note[0])
		snprintf(pr->note, sizeof(pr->note),
			 "out of memory: some stacks are missing");
	if (a->lost && !pr->note[0])
		snprintf(pr->note, sizeof(pr->note),
			 "%llu samples lost (ring buffer full)",
			 (unsigned long long)a->lost);
	map_free(&a->stacks);
	map_free(&a->leaves);
	free(a);
	pr->acc = NULL;
}

void mmb_profile_free(struct mmb_profile *p)
{
	if (!p)
		return;
	struct acc *a = p->acc;
	if (a) {
		map_free(&a->stacks);
		map_free(&a->leaves);
		free(a);
	}
	free(p->folded);
	free(p);
}
