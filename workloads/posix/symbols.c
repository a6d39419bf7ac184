/* SPDX-License-Identifier: MIT */
/* posix/symbols.c - addresses to function names, for --profile.
 *
 * Kernel: /proc/kallsyms (text symbols; all-zero addresses when not root,
 * then kernel frames are not named). User: /proc/self/maps for the file
 * and offset of an address, then that ELF file's symbol table: .symtab,
 * else .dynsym; when the file has a GNU build id and a detached debug file
 * exists (/usr/lib/debug/.build-id/xx/yyyy.debug, Debian's -dbg
 * packages), the debug file's .symtab, which names the local functions
 * .dynsym lacks (libc's __memmove_avx512_unaligned_erms).
 *
 * A small reader of our own rather than libelf/libdw: it needs the
 * section headers, one symbol table, the program headers and the build-id
 * note of an ELF64 file, all described by <elf.h>; ~250 lines with no new
 * build dependency, where libdw would add a library (and its DWARF
 * unwinder, which the profile does not use: call chains are the kernel's).
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../profile.h"

struct sym {
	uint64_t addr, size;
	const char *name; /* into the owner's string pool */
};

struct symtab {
	struct sym *s;
	size_t n;
	char *pool; /* the names */
};

static int cmp_sym(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;
	return (x->addr > y->addr) - (x->addr < y->addr);
}

static const struct sym *lookup(const struct symtab *t, uint64_t addr)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->s[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct sym *s = &t->s[lo - 1];
	/* Past a sized symbol's end: in no function we know. */
	if (s->size && addr >= s->addr + s->size)
		return NULL;
	return s;
}

/* ---- kernel ------------------------------------------------------------- */

static struct symtab ksyms;
static bool ksyms_loaded;

static void ksyms_load(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512];
	size_t cap = 0, pool_len = 0, pool_cap = 0;

	ksyms_loaded = true;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a;
		char type, name[256];
		if (sscanf(line, "%llx %c %255s", &a, &type, name) != 3)
			continue;
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		if (a == 0)
			continue; /* hidden (not root) */
		if (ksyms.n == cap) {
			cap = cap ? cap * 2 : 65536;
			struct sym *s = realloc(ksyms.s, cap * sizeof(*s));
			if (!s)
				break;
			ksyms.s = s;
		}
		size_t l = strlen(name) + 1;
		if (pool_len + l > pool_cap) {
			pool_cap = pool_cap ? pool_cap * 2 : 1 << 22;
			char *p = realloc(ksyms.pool, pool_cap);
			if (!p)
				break;
			ksyms.pool = p;
		}
		memcpy(ksyms.pool + pool_len, name, l);
		/* name is an offset until the pool stops moving */
		ksyms.s[ksyms.n].name = (const char *)(uintptr_t)pool_len;
		ksyms.s[ksyms.n].addr = a;
		ksyms.s[ksyms.n].size = 0;
		ksyms.n++;
		pool_len += l;
	}
	fclose(f);
	for (size_t i = 0; i < ksyms.n; i++)
		ksyms.s[i].name = ksyms.pool + (uintptr_t)ksyms.s[i].name;
	qsort(ksyms.s, ksyms.n, sizeof(*ksyms.s), cmp_sym);
}

bool mmb__ksyms_available(void)
{
	if (!ksyms_loaded)
		ksyms_load();
	return ksyms.n > 0;
}

const char *mmb__ksym(uint64_t addr)
{
	if (!mmb__ksyms_available())
		return NULL;
	const struct sym *s = lookup(&ksyms, addr);
	return s ? s->name : NULL;
}

/* ---- ELF files ---------------------------------------------------------- */

struct elf_file {
	char path[512];
	bool loaded, ok;
	struct symtab t;
	/* PT_LOAD segments: file offset -> address */
	unsigned nload;
	struct {
		uint64_t off, vaddr, filesz;
	} load[16];
};

#define MAX_FILES 64
static struct elf_file files[MAX_FILES];
static unsigned nfiles;

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	unsigned char *buf = NULL;

	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) == 0 && st.st_size > 64 &&
	    st.st_size < (1 << 30)) {
		buf = malloc((size_t)st.st_size);
		if (buf && fread(buf, 1, (size_t)st.st_size, f) !=
			       (size_t)st.st_size) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)st.st_size;
	}
	fclose(f);
	return buf;
}

static const Elf64_Ehdr *elf_header(const unsigned char *b, size_t len)
{
	const Elf64_Ehdr *e = (const Elf64_Ehdr *)b;
	if (len < sizeof(*e) || memcmp(e->e_ident, ELFMAG, SELFMAG) != 0 ||
	    e->e_ident[EI_CLASS] != ELFCLASS64 ||
	    e->e_shentsize != sizeof(Elf64_Shdr) ||
	    e->e_shoff + (uint64_t)e->e_shnum * sizeof(Elf64_Shdr) > len)
		return NULL;
	return e;
}

/* The functions of the file's symtab (type SHT_SYMTAB or SHT_DYNSYM). */
static bool read_syms(const unsigned char *b, size_t len, uint32_t type,
		      struct symtab *t)
{
	const Elf64_Ehdr *e = elf_header(b, len);
	if (!e)
		return false;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(b + e->e_shoff);
	for (unsigned i = 0; i < e->e_shnum; i++) {
		if (sh[i].sh_type != type || sh[i].sh_link >= e->e_shnum)
			continue;
		const Elf64_Shdr *str = &sh[sh[i].sh_link];
		if (sh[i].sh_offset + sh[i].sh_size > len ||
		    str->sh_offset + str->sh_size > len || !str->sh_size)
			return false;
		size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
		const Elf64_Sym *sy = (const Elf64_Sym *)(b + sh[i].sh_offset);
		t->s = malloc((n ? n : 1) * sizeof(*t->s));
		t->pool = malloc(str->sh_size + 1);
		if (!t->s || !t->pool)
			return false;
		memcpy(t->pool, b + str->sh_offset, str->sh_size);
		t->pool[str->sh_size] = 0;
		t->n = 0;
		for (size_t k = 0; k < n; k++) {
			unsigned st = ELF64_ST_TYPE(sy[k].st_info);
			if ((st != STT_FUNC && st != STT_GNU_IFUNC) ||
			    !sy[k].st_value || sy[k].st_name >= str->sh_size)
				continue;
			t->s[t->n].addr = sy[k].st_value;
			t->s[t->n].size = sy[k].st_size;
			t->s[t->n].name = t->pool + sy[k].st_name;
			t->n++;
		}
		qsort(t->s, t->n, sizeof(*t->s), cmp_sym);
		return t->n > 0;
	}
	return false;
}

static void free_syms(struct symtab *t)
{
	free(t->s);
	free(t->pool);
	memset(t, 0, sizeof(*t));
}

/* "/usr/lib/debug/.build-id/xx/yyyy.debug" of the file, or false. */
static bool debug_path(const unsigned char *b, size_t len, char *out, size_t n)
{
	const Elf64_Ehdr *e = elf_header(b, len);
	if (!e)
		return false;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(b + e->e_shoff);
	for (unsigned i = 0; i < e->e_shnum; i++) {
		if (sh[i].sh_type != SHT_NOTE ||
		    sh[i].sh_offset + sh[i].sh_size > len)
			continue;
		const unsigned char *p = b + sh[i].sh_offset;
		const unsigned char *end = p + sh[i].sh_size;
		while (p + sizeof(Elf64_Nhdr) <= end) {
			const Elf64_Nhdr *nh = (const Elf64_Nhdr *)p;
			const unsigned char *name = p + sizeof(*nh);
			const unsigned char *desc =
			    name + ((nh->n_namesz + 3) & ~3u);
			if (desc + nh->n_descsz > end)
				break;
			if (nh->n_type == NT_GNU_BUILD_ID &&
			    nh->n_namesz == 4 && memcmp(name, "GNU", 4) == 0 &&
			    nh->n_descsz >= 2 && nh->n_descsz <= 64) {
				char hex[130];
				for (unsigned k = 0; k < nh->n_descsz; k++)
					snprintf(hex + 2 * k, 3, "%02x",
						 desc[k]);
				snprintf(
				    out, n,
				    "/usr/lib/debug/.build-id/%.2s/%s.debug",
				    hex, hex + 2);
				return true;
			}
			p = desc + ((nh->n_descsz + 3) & ~3u);
		}
	}
	return false;
}

static void elf_load(struct elf_file *f)
{
	size_t len = 0;
	unsigned char *b = slurp(f->path, &len);
	char dbg[600];

	f->loaded = true;
	if (!b)
		return;
	const Elf64_Ehdr *e = elf_header(b, len);
	if (e && e->e_phentsize == sizeof(Elf64_Phdr) &&
	    e->e_phoff + (uint64_t)e->e_phnum * sizeof(Elf64_Phdr) <= len) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(b + e->e_phoff);
		for (unsigned i = 0; i < e->e_phnum && f->nload < 16; i++)
			if (ph[i].p_type == PT_LOAD) {
				f->load[f->nload].off = ph[i].p_offset;
				f->load[f->nload].vaddr = ph[i].p_vaddr;
				f->load[f->nload].filesz = ph[i].p_filesz;
				f->nload++;
			}
	}
	bool have = false;
	if (e && debug_path(b, len, dbg, sizeof(dbg))) {
		size_t dlen = 0;
		unsigned char *d = slurp(dbg, &dlen);
		if (d)
			have = read_syms(d, dlen, SHT_SYMTAB, &f->t);
		if (!have)
			free_syms(&f->t);
		free(d);
	}
	if (!have && e) {
		have = read_syms(b, len, SHT_SYMTAB, &f->t);
		if (!have) {
			free_syms(&f->t);
			have = read_syms(b, len, SHT_DYNSYM, &f->t);
		}
		if (!have)
			free_syms(&f->t);
	}
	f->ok = have && f->nload > 0;
	free(b);
}

static struct elf_file *elf_get(const char *path)
{
	for (unsigned i = 0; i < nfiles; i++)
		if (strcmp(files[i].path, path) == 0)
			return &files[i];
	if (nfiles == MAX_FILES)
		return NULL;
	struct elf_file *f = &files[nfiles++];
	snprintf(f->path, sizeof(f->path), "%s", path);
	elf_load(f);
	return f;
}

/* ---- user addresses ----------------------------------------------------- */

struct map {
	uint64_t start, end, off;
	struct elf_file *f;
	char name[64]; /* base name, for [unknown] frames */
};

static struct map maps[256];
static unsigned nmaps;
static char exe[512];

void mmb__usyms_refresh(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[1024];

	nmaps = 0;
	if (!f)
		return;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = 0;
	while (fgets(line, sizeof(line), f) && nmaps < 256) {
		unsigned long long s, e, off;
		char perm[8], path[600] = "";
		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %599s", &s, &e,
			   perm, &off, path) < 4 ||
		    perm[2] != 'x' || path[0] != '/')
			continue;
		struct map *m = &maps[nmaps++];
		m->start = s;
		m->end = e;
		m->off = off;
		m->f = elf_get(path);
		const char *base = strrchr(path, '/');
		snprintf(m->name, sizeof(m->name), "%.63s",
			 base ? base + 1 : path);
	}
	fclose(f);
}

const char *mmb__usym(uint64_t addr, bool *in_exe)
{
	*in_exe = false;
	for (unsigned i = 0; i < nmaps; i++) {
		struct map *m = &maps[i];
		if (addr < m->start || addr >= m->end)
			continue;
		*in_exe = m->f && strcmp(m->f->path, exe) == 0;
		if (!m->f || !m->f->ok)
			return m->name;
		uint64_t off = addr - m->start + m->off;
		for (unsigned k = 0; k < m->f->nload; k++) {
			uint64_t o = m->f->load[k].off;
			if (off < o || off >= o + m->f->load[k].filesz)
				continue;
			const struct sym *s =
			    lookup(&m->f->t, off - o + m->f->load[k].vaddr);
			return s ? s->name : m->name;
		}
		return m->name;
	}
	return NULL;
}
