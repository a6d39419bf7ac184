/* SPDX-License-Identifier: MIT */
/* logscan.c - count ERROR lines of a log in place (zero copy), 4 KiB at a
 * time through mmb_map_guard, while another thread truncates the log (a
 * log rotation) in the middle of the scan. Without the guard the next
 * access past the new end would kill the process with SIGBUS; with it the
 * scan gets MMB_ESIGBUS and the faulting offset, remaps and stops cleanly.
 *
 *   logscan FILE   writes a 64000-byte log to FILE, scans it, prints
 *                  "scanned 640 lines, 64 errors" and
 *                  "log shrank under the scan: fault at offset 20480 ..."
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <mmb/map.h>

#define LINE  32 /* every line is 32 bytes, so no 4 KiB chunk splits one */
#define LINES 2000
#define CHUNK 4096

struct counts {
	long lines, errors;
};

/* The in-place consumer: runs on the mapping's bytes directly. */
static int count_errors(void *p, size_t len, void *arg)
{
	struct counts *c = arg;
	const char *s = p;

	for (size_t i = 0; i + LINE <= len; i += LINE) {
		if (memcmp(s + i, "ERROR", 5) == 0)
			c->errors++;
		c->lines++;
	}
	return 0;
}

static atomic_int faults;

/* Process-wide callback: runs inside the SIGBUS handler, so only an
 * async-signal-safe atomic increment. */
static void on_fault(const struct mmb_sigbus_info *info, void *arg)
{
	(void)info;
	(void)arg;
	atomic_fetch_add(&faults, 1);
}

static const char *log_path;

static void *rotate(void *arg)
{
	(void)arg;
	/* keep two chunks and a bit: the rest of the log goes away */
	if (truncate(log_path, 2 * CHUNK + 100) != 0)
		perror("logscan: truncate");
	return NULL;
}

static int write_log(const char *path)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	for (int i = 0; i < LINES; i++)
		fprintf(f, "%-5s %06d %-18s\n", i % 10 ? "INFO" : "ERROR", i,
			i % 10 ? "all is well" : "disk on fire");
	return fclose(f);
}

int main(int argc, char **argv)
{
	struct counts c = {0};
	struct mmb_map *m;
	uint64_t off, at = 0;
	pthread_t t;
	char e[256];
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
#ifdef _WIN32
	/* Windows refuses to truncate a file that has a view
	 * (ERROR_USER_MAPPED_FILE): the situation cannot arise there. */
	puts("skip: Windows refuses to truncate a mapped file");
	return 77;
#endif
	log_path = argv[1];
	if (write_log(log_path) || mmb_map_open(&m, log_path, NULL)) {
		fprintf(stderr, "logscan: %s\n", mmb_errmsg(e, sizeof(e)));
		return 1;
	}
	mmb_set_sigbus_callback(on_fault, NULL);
	for (off = 0; off < mmb_map_size(m); off += CHUNK) {
		size_t n = mmb_map_size(m) - off < CHUNK
			       ? (size_t)(mmb_map_size(m) - off)
			       : CHUNK;

		if (off == 5 * CHUNK) {
			/* the rotation happens while we hold the mapping */
			pthread_create(&t, NULL, rotate, NULL);
			pthread_join(t, NULL);
		}
		rc = mmb_map_guard(m, off, n, count_errors, &c, &at);
		if (rc)
			break;
	}
	printf("scanned %ld lines, %ld errors\n", c.lines, c.errors);
	if (rc != MMB_ESIGBUS) {
		fprintf(stderr, "logscan: expected a caught SIGBUS, got %s\n",
			mmb_errname(rc));
		return 1;
	}
	/* map what is left; the scan stops where the log now ends */
	if (mmb_map_remap(m, 0, 0)) {
		fprintf(stderr, "logscan: %s\n", mmb_errmsg(e, sizeof(e)));
		return 1;
	}
	printf("log shrank under the scan: fault at offset %llu (%d SIGBUS "
	       "caught), now %zu bytes\n",
	       (unsigned long long)at, atomic_load(&faults), mmb_map_size(m));
	mmb_map_close(m);
	return c.lines == 640 && c.errors == 64 && at == 5 * CHUNK ? 0 : 1;
}
