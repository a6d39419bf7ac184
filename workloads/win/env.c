/* SPDX-License-Identifier: MIT */
/* win/env.c - the machine a run happened on, recorded with every result:
 * Windows version (RtlGetVersion: GetVersionEx reports 6.2 to programs
 * without a manifest), CPU from the registry, memory from
 * GlobalMemoryStatusEx, the test file's file system from
 * GetVolumeInformation. What Linux records and Windows has no equivalent
 * of (THP, hugepages reserved) is "unavailable" / 0; there is no load
 * average (load_avg [], as Google Benchmark writes on Windows) and no
 * frequency governor (cpu_scaling_enabled false, Google Benchmark's
 * Windows answer too). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <windows.h>

#include "internal.h"
#include "iostat.h"

#ifndef MMB_VERSION
#define MMB_VERSION "unknown"
#endif
#ifndef MMB_BUILD_TYPE
#define MMB_BUILD_TYPE "release"
#endif

static void os_version(char *out, size_t n)
{
	typedef LONG(WINAPI * rtl_get_version)(PRTL_OSVERSIONINFOW);
	HMODULE nt = GetModuleHandleA("ntdll.dll");
	rtl_get_version get = nt ? (rtl_get_version)(void (*)(
				       void))GetProcAddress(nt, "RtlGetVersion")
				 : NULL;
	RTL_OSVERSIONINFOW v = {.dwOSVersionInfoSize = sizeof(v)};

	if (get && get(&v) == 0)
		snprintf(out, n, "Windows %lu.%lu.%lu", v.dwMajorVersion,
			 v.dwMinorVersion, v.dwBuildNumber);
	else
		snprintf(out, n, "Windows");
}

static void cpu(struct mmb_env *env)
{
	static const char key[] =
	    "HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0";
	char name[160];
	DWORD mhz, len = sizeof(name);

	snprintf(env->cpu_model, sizeof(env->cpu_model), "unknown");
	if (RegGetValueA(HKEY_LOCAL_MACHINE, key, "ProcessorNameString",
			 RRF_RT_REG_SZ, NULL, name, &len) == ERROR_SUCCESS) {
		/* Some CPUs pad the name with leading blanks. */
		const char *p = name + strspn(name, " ");
		if (*p)
			snprintf(env->cpu_model, sizeof(env->cpu_model), "%s",
				 p);
	}
	len = sizeof(mhz);
	if (RegGetValueA(HKEY_LOCAL_MACHINE, key, "~MHz", RRF_RT_REG_DWORD,
			 NULL, &mhz, &len) == ERROR_SUCCESS)
		env->mhz_per_cpu = mhz;
}

/* File system name and cluster size of the volume holding path. */
static void volume(struct mmb_env *env, const char *path)
{
	char root[MAX_PATH + 1], fs[MAX_PATH + 1];
	DWORD spc, bps, fc, tc;

	snprintf(env->filesystem, sizeof(env->filesystem), "unknown");
	if (!path || !GetVolumePathNameA(path, root, sizeof(root)))
		return;
	if (GetVolumeInformationA(root, NULL, 0, NULL, NULL, NULL, fs,
				  sizeof(fs)))
		snprintf(env->filesystem, sizeof(env->filesystem), "%s", fs);
	if (GetDiskFreeSpaceA(root, &spc, &bps, &fc, &tc))
		env->fs_block_size = (uint64_t)spc * bps;
}

/* ISO 8601 local time with its +hh:mm offset (strftime's %z gives the
 * zone's name with the Microsoft CRT). */
static void date(char *out, size_t n)
{
	time_t now = time(NULL);
	struct tm lt;
	char buf[32];

	localtime_s(&lt, &now);
	long off = (long)(_mkgmtime(&lt) - now);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &lt);
	long a = off < 0 ? -off : off;
	snprintf(out, n, "%s%c%02ld:%02ld", buf, off < 0 ? '-' : '+', a / 3600,
		 a % 3600 / 60);
}

/* Google Benchmark's "caches": those of logical CPU 0, from
 * GetLogicalProcessorInformation (Google Benchmark's Windows source). */
static void caches(struct mmb_env *env)
{
	SYSTEM_LOGICAL_PROCESSOR_INFORMATION *info;
	DWORD len = 0;

	if (GetLogicalProcessorInformation(NULL, &len) ||
	    GetLastError() != ERROR_INSUFFICIENT_BUFFER || !len)
		return;
	if (!(info = malloc(len)))
		return;
	if (GetLogicalProcessorInformation(info, &len)) {
		for (DWORD i = 0;
		     i < len / sizeof(*info) && env->ncaches < MMB_ENV_CACHES;
		     i++) {
			const CACHE_DESCRIPTOR *d = &info[i].Cache;
			struct mmb_cpu_cache *c = &env->caches[env->ncaches];
			ULONG_PTR m = info[i].ProcessorMask;

			if (info[i].Relationship != RelationCache || !(m & 1))
				continue;
			snprintf(c->type, sizeof(c->type), "%s",
				 d->Type == CacheUnified       ? "Unified"
				 : d->Type == CacheInstruction ? "Instruction"
				 : d->Type == CacheData	       ? "Data"
							       : "Trace");
			c->level = d->Level;
			c->size = d->Size;
			for (; m; m &= m - 1)
				c->num_sharing++;
			env->ncaches++;
		}
	}
	free(info);
}

void mmb_env_capture(struct mmb_env *env, const char *path)
{
	SYSTEM_INFO si;
	MEMORYSTATUSEX ms = {.dwLength = sizeof(ms)};
	DWORD n;

	memset(env, 0, sizeof(*env));
	date(env->date, sizeof(env->date));
	n = sizeof(env->host_name);
	if (!GetComputerNameA(env->host_name, &n))
		env->host_name[0] = 0;
	n = GetModuleFileNameA(NULL, env->executable, sizeof(env->executable));
	if (n == 0 || n >= sizeof(env->executable))
		env->executable[0] = 0;
	os_version(env->kernel, sizeof(env->kernel));
	cpu(env);
	GetNativeSystemInfo(&si);
	env->num_cpus = si.dwNumberOfProcessors ? si.dwNumberOfProcessors : 1;
	env->page_size = si.dwPageSize;
	if (GlobalMemoryStatusEx(&ms))
		env->memory_bytes = ms.ullTotalPhys;
	snprintf(env->thp_enabled, sizeof(env->thp_enabled), "unavailable");
	caches(env);
	volume(env, path);
	mmb__io_env(env, path);
	snprintf(env->mmbench_version, sizeof(env->mmbench_version), "%s",
		 MMB_VERSION);
	snprintf(env->build_type, sizeof(env->build_type), "%s",
		 MMB_BUILD_TYPE);
}
