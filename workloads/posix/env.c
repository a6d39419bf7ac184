/* SPDX-License-Identifier: MIT */
/* env.c - the machine a run happened on, recorded with every result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "iostat.h"

#ifndef MMB_VERSION
#define MMB_VERSION "unknown"
#endif
#ifndef MMB_BUILD_TYPE
#define MMB_BUILD_TYPE "release"
#endif

/* Value of the first "key : value" line of a /proc-style file. */
static bool proc_field(const char *path, const char *key, char *out, size_t n)
{
	FILE *f = fopen(path, "re");
	char line[512];
	size_t kl = strlen(key);
	bool found = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, kl) != 0)
			continue;
		char *v = strchr(line + kl, ':');
		if (!v)
			continue;
		v++;
		while (*v == ' ' || *v == '\t')
			v++;
		v[strcspn(v, "\n")] = 0;
		snprintf(out, n, "%s", v);
		found = true;
		break;
	}
	fclose(f);
	return found;
}

static bool first_line(const char *path, char *out, size_t n)
{
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return false;
	ok = fgets(out, (int)n, f) != NULL;
	fclose(f);
	if (ok)
		out[strcspn(out, "\n")] = 0;
	return ok;
}

static const struct {
	unsigned long magic;
	const char *name;
} fs_names[] = {
    {0xEF53, "ext4"}, /* ext2/3/4 share it; ext4 is what mounts */
    {0x58465342, "xfs"},       {0x9123683E, "btrfs"},	 {0x01021994, "tmpfs"},
    {0x958458f6, "hugetlbfs"}, {0x858458f6, "ramfs"},	 {0x6969, "nfs"},
    {0x794c7630, "overlayfs"}, {0x2fc12fc1, "zfs"},	 {0xF2F52010, "f2fs"},
    {0x65735546, "fuse"},      {0x73717368, "squashfs"}, {0x4d44, "vfat"},
    {0x2011BAB0, "exfat"},     {0x5346544e, "ntfs"},	 {0x00c36400, "ceph"},
    {0xFF534D42, "cifs"},      {0x01021997, "9p"},	 {0x62656572, "sysfs"},
};

static void fs_name(const char *path, char *out, size_t n)
{
	struct statfs sf;

	if (!path || statfs(path, &sf) < 0) {
		snprintf(out, n, "unknown");
		return;
	}
	for (size_t i = 0; i < sizeof(fs_names) / sizeof(fs_names[0]); i++)
		if ((unsigned long)sf.f_type == fs_names[i].magic) {
			snprintf(out, n, "%s", fs_names[i].name);
			return;
		}
	snprintf(out, n, "0x%lx", (unsigned long)sf.f_type);
}

/* Logical CPUs in a sysfs CPU mask ("00000003" or "ff,00000001"). */
static unsigned mask_bits(const char *m)
{
	unsigned n = 0;

	for (; *m; m++) {
		int d = *m >= '0' && *m <= '9'	 ? *m - '0'
			: *m >= 'a' && *m <= 'f' ? *m - 'a' + 10
			: *m >= 'A' && *m <= 'F' ? *m - 'A' + 10
						 : 0;
		n += (unsigned)__builtin_popcount((unsigned)d);
	}
	return n;
}

/* Google Benchmark's "caches": CPU 0's caches as sysfs lists them (its
 * reader, GetCacheSizesFromKVFS: size "48K" is 48 KiB). */
static void caches(struct mmb_env *env)
{
	char path[96], buf[256];

	for (unsigned i = 0; env->ncaches < MMB_ENV_CACHES; i++) {
		struct mmb_cpu_cache *c = &env->caches[env->ncaches];
		unsigned long long size;
		char suffix = 0;

#define CACHE_FILE(name)                                                  \
	(snprintf(path, sizeof(path),                                     \
		  "/sys/devices/system/cpu/cpu0/cache/index%u/" name, i), \
	 first_line(path, buf, sizeof(buf)))
		if (!CACHE_FILE("size"))
			return;
		if (sscanf(buf, "%llu%c", &size, &suffix) < 1)
			continue;
		c->size = size * (suffix == 'K'	  ? 1024ull
				  : suffix == 'M' ? 1024ull * 1024
						  : 1);
		if (CACHE_FILE("type"))
			snprintf(c->type, sizeof(c->type), "%.15s", buf);
		if (CACHE_FILE("level"))
			c->level = (unsigned)strtoul(buf, NULL, 10);
		if (CACHE_FILE("shared_cpu_map"))
			c->num_sharing = mask_bits(buf);
#undef CACHE_FILE
		env->ncaches++;
	}
}

/* Google Benchmark's "cpu_scaling_enabled": some CPU's frequency governor
 * is not "performance" (false where there is no cpufreq, as in most
 * VMs). */
static bool cpu_scaling(unsigned ncpus)
{
	char path[96], buf[64];

	for (unsigned c = 0; c < ncpus; c++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%u/cpufreq/"
			 "scaling_governor",
			 c);
		if (first_line(path, buf, sizeof(buf)) &&
		    strcmp(buf, "performance") != 0)
			return true;
	}
	return false;
}

void mmb_env_capture(struct mmb_env *env, const char *path)
{
	struct utsname u;
	char buf[256];
	time_t now = time(NULL);
	struct tm tm;
	unsigned long long kb;

	memset(env, 0, sizeof(*env));
	localtime_r(&now, &tm);
	strftime(env->date, sizeof(env->date), "%Y-%m-%dT%H:%M:%S%z", &tm);
	/* ISO 8601 wants the offset as +hh:mm. */
	size_t dl = strlen(env->date);
	if (dl >= 5 && dl + 1 < sizeof(env->date)) {
		memmove(env->date + dl - 1, env->date + dl - 2, 3);
		env->date[dl - 2] = ':';
	}
	gethostname(env->host_name, sizeof(env->host_name) - 1);
	ssize_t n = readlink("/proc/self/exe", env->executable,
			     sizeof(env->executable) - 1);
	if (n > 0)
		env->executable[n] = 0;
	if (uname(&u) == 0)
		snprintf(env->kernel, sizeof(env->kernel), "%s %s", u.sysname,
			 u.release);
	if (!proc_field("/proc/cpuinfo", "model name", env->cpu_model,
			sizeof(env->cpu_model)))
		snprintf(env->cpu_model, sizeof(env->cpu_model), "unknown");
	if (proc_field("/proc/cpuinfo", "cpu MHz", buf, sizeof(buf)))
		sscanf(buf, "%lf", &env->mhz_per_cpu);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	env->num_cpus = cpus > 0 ? (unsigned)cpus : 1;
	if (proc_field("/proc/meminfo", "MemTotal", buf, sizeof(buf)) &&
	    sscanf(buf, "%llu", &kb) == 1)
		env->memory_bytes = (uint64_t)kb * 1024;
	env->page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	snprintf(env->thp_enabled, sizeof(env->thp_enabled), "unavailable");
	if (first_line("/sys/kernel/mm/transparent_hugepage/enabled", buf,
		       sizeof(buf))) {
		/* "always [madvise] never": the bracketed one is selected */
		char *l = strchr(buf, '['), *r = l ? strchr(l, ']') : NULL;
		if (l && r) {
			*r = 0;
			snprintf(env->thp_enabled, sizeof(env->thp_enabled),
				 "%s", l + 1);
		}
	}
	if (first_line("/proc/sys/vm/nr_hugepages", buf, sizeof(buf)) &&
	    sscanf(buf, "%llu", &kb) == 1)
		env->hugepages_reserved = kb;
	caches(env);
	env->cpu_scaling_enabled = cpu_scaling(env->num_cpus);
	int nl = getloadavg(env->load_avg, 3);
	env->nload_avg = nl > 0 ? (unsigned)nl : 0;
	fs_name(path, env->filesystem, sizeof(env->filesystem));
	mmb__io_env(env, path);
	snprintf(env->mmbench_version, sizeof(env->mmbench_version), "%s",
		 MMB_VERSION);
	snprintf(env->build_type, sizeof(env->build_type), "%s",
		 MMB_BUILD_TYPE);
}
