/* SPDX-License-Identifier: MIT */
/* The storage counters' parsers on fake inputs, and "unavailable" carried
 * as unavailable (NAN -> JSON null, CSV empty), never as 0. */
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iostat.h"
#include "mmb/error.h"
#include "test.h"
#include "testutil.h"

static char dir[64];

static void cleanup(void)
{
	th_rmtree(dir);
	dir[0] = 0;
}

static int make_dir(void)
{
	if (th_mkdtemp(dir, sizeof(dir), "amp") < 0)
		return -1;
	atexit(cleanup);
	return 0;
}

static int put(const char *rel, const char *text)
{
	return th_write(th_path(dir, rel), text, strlen(text));
}

static int mk(const char *rel)
{
	return mkdir(th_path(dir, rel), 0755);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[1 << 16];
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return buf;
}

TEST_IMPL(procio_parse)
{
	struct mmb__procio p;
	const char *text = "rchar: 6976\nwchar: 12\nsyscr: 10\nsyscw: 1\n"
			   "read_bytes: 53653504\nwrite_bytes: 8192\n"
			   "cancelled_write_bytes: 4096\n";

	ASSERT_OK(mmb__procio_parse(text, &p));
	ASSERT_EQ(p.read_bytes, 53653504);
	ASSERT_EQ(p.write_bytes, 8192);
	ASSERT_EQ(p.cancelled_write_bytes, 4096);
	/* rchar/wchar (bytes through read/write, cache hits included) are
	 * not device bytes: never taken for them. */
	ASSERT_OK(mmb__procio_parse("read_bytes: 1\nwrite_bytes: 2\n", &p));
	ASSERT_EQ(p.read_bytes, 1);
	ASSERT_EQ(p.cancelled_write_bytes, 0);
	/* This process's own file parses. */
	if (access("/proc/self/io", R_OK) == 0)
		ASSERT_OK(mmb__procio_read("/proc/self/io", &p));
	return 0;
}

TEST_IMPL(procio_unavailable)
{
	struct mmb__procio p;

	/* A kernel without task I/O accounting has no such file. */
	ASSERT_EQ(mmb__procio_read("/proc/self/no-such-io", &p), MMB_ENOENT);
	ASSERT_EQ(mmb__procio_parse("rchar: 1\nwchar: 2\n", &p), MMB_ENOTSUP);
	ASSERT_EQ(mmb__procio_parse("read_bytes: x\nwrite_bytes: 2\n", &p),
		  MMB_ENOTSUP);
	ASSERT_EQ(mmb__procio_parse("", &p), MMB_ENOTSUP);
	ASSERT_EQ(mmb__procio_parse(NULL, &p), MMB_ENOTSUP);
	/* Key prefixes are not the key. */
	ASSERT_EQ(mmb__procio_parse("xread_bytes: 1\nwrite_bytes: 2\n", &p),
		  MMB_ENOTSUP);

	/* A window without the counters gives NAN, not 0, for everything
	 * measured from them. */
	struct mmb__io io = {0};
	double m[MMB_M__COUNT] = {0};
	m[MMB_M_BYTES_READ] = 4096;
	m[MMB_M_BYTES_WRITTEN] = 4096;
	mmb__io_metrics(&io, m);
	ASSERT(isnan(m[MMB_M_DEV_READ_BYTES]));
	ASSERT(isnan(m[MMB_M_DEV_WRITE_BYTES]));
	ASSERT(isnan(m[MMB_M_READ_AMP]));
	ASSERT(isnan(m[MMB_M_WRITE_AMP]));
	ASSERT(isnan(m[MMB_M_DISK_READ_BYTES]));
	ASSERT(isnan(m[MMB_M_DISK_WRITE_BYTES]));

	/* With them: deltas, the ratio, cancelled writes taken off. */
	io.proc_ok = true;
	io.p0 = (struct mmb__procio){100, 200, 0};
	io.p1 = (struct mmb__procio){100 + 13 * 4096, 200 + 3 * 4096, 4096};
	mmb__io_metrics(&io, m);
	ASSERT_EQ(m[MMB_M_DEV_READ_BYTES], 13 * 4096);
	ASSERT_EQ(m[MMB_M_DEV_WRITE_BYTES], 2 * 4096);
	ASSERT(m[MMB_M_READ_AMP] == 13.0);
	ASSERT(m[MMB_M_WRITE_AMP] == 2.0);
	ASSERT(isnan(m[MMB_M_DISK_READ_BYTES]));
	/* Nothing requested in a direction: no ratio. */
	m[MMB_M_BYTES_WRITTEN] = 0;
	mmb__io_metrics(&io, m);
	ASSERT(isnan(m[MMB_M_WRITE_AMP]));
	ASSERT_EQ(m[MMB_M_DEV_WRITE_BYTES], 2 * 4096);
	return 0;
}

/* The text after "key": in a JSON file, skipping blanks. */
static const char *json_value(const char *text, const char *key)
{
	char k[64];
	snprintf(k, sizeof(k), "\"%s\":", key);
	const char *p = strstr(text, k);
	if (!p)
		return NULL;
	p += strlen(k);
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

TEST_IMPL(unavailable_is_null_and_empty)
{
	struct mmb_rep rep = {0};
	struct mmb_hist hist = {0};
	struct mmb_backend_result b = {.name = "pread", .nreps = 1};
	struct mmb_run_result r = {.workload = "random-4k",
				   .cache = "cold",
				   .reps = 1,
				   .threads = 1,
				   .nbackends = 1,
				   .b = &b};
	struct mmb__io io = {0};
	char json[128], csv[128];

	ASSERT_OK(make_dir());
	rep.m[MMB_M_OPS] = 10;
	rep.m[MMB_M_BYTES_READ] = 40960;
	mmb__io_metrics(&io, rep.m); /* nothing measurable */
	b.reps = &rep;
	b.hist = &hist;
	b.mean = b.median = b.stddev = b.min = b.max = rep;
	snprintf(r.env.block_device, sizeof(r.env.block_device), "unavailable");
	r.env.read_ahead_kb = r.env.page_cluster = r.env.fault_around_bytes =
	    -1;

	snprintf(json, sizeof(json), "%s/r.json", dir);
	snprintf(csv, sizeof(csv), "%s/r.csv", dir);
	ASSERT_OK(mmb_report_json(&r, json));
	const char *t = slurp(json), *v;
	ASSERT(t);
	static const char *const keys[] = {
	    "dev_read_bytes", "dev_write_bytes", "read_amp",
	    "write_amp",      "disk_read_bytes", "disk_write_bytes"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		ASSERT((v = json_value(t, keys[i])));
		ASSERT(strncmp(v, "null", 4) == 0);
	}
	ASSERT((v = json_value(t, "bytes_read")));
	ASSERT(strncmp(v, "40960", 5) == 0);
	ASSERT((v = json_value(t, "fault_around_bytes")));
	ASSERT(strncmp(v, "\"unavailable\"", 13) == 0);

	/* CSV: the columns exist and their fields are empty. */
	ASSERT_OK(mmb_report_csv(&r, csv));
	t = slurp(csv);
	ASSERT(t);
	const char *nl = strchr(t, '\n');
	ASSERT(nl);
	char header[4096], row[4096];
	snprintf(header, sizeof(header), "%.*s", (int)(nl - t), t);
	snprintf(row, sizeof(row), "%s", nl + 1);
	row[strcspn(row, "\n")] = 0;
	ASSERT(!strstr(row, "nan"));
	/* Walk header and row together (no quoted commas before the
	 * message column). */
	char *hs, *rs, *h = strtok_r(header, ",", &hs);
	char *rp = row;
	unsigned found = 0;
	while (h) {
		char *comma = strchr(rp, ',');
		size_t flen = comma ? (size_t)(comma - rp) : strlen(rp);
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strcmp(h, keys[i]) == 0) {
				ASSERT_EQ(flen, 0);
				found++;
			}
		if (strcmp(h, "bytes_read") == 0)
			ASSERT(flen > 0);
		if (!comma)
			break;
		rp = comma + 1;
		h = strtok_r(NULL, ",", &hs);
	}
	(void)rs;
	ASSERT_EQ(found, sizeof(keys) / sizeof(keys[0]));
	return 0;
}

/* A fake sysfs: sda with partition sda1, vdb without partitions. */
static int fake_sysfs(void)
{
	if (make_dir() < 0 || mk("dev") || mk("dev/block") || mk("devices") ||
	    mk("devices/pci0") || mk("devices/pci0/block") ||
	    mk("devices/pci0/block/sda") || mk("devices/pci0/block/sda/sda1") ||
	    mk("devices/pci0/block/vdb") || mk("block") || mk("block/sda") ||
	    put("devices/pci0/block/sda/sda1/partition", "1\n"))
		return -1;
	char l[256];
	snprintf(l, sizeof(l), "%s/dev/block/8:1", dir);
	if (symlink("../../devices/pci0/block/sda/sda1", l))
		return -1;
	snprintf(l, sizeof(l), "%s/dev/block/8:0", dir);
	if (symlink("../../devices/pci0/block/sda", l))
		return -1;
	snprintf(l, sizeof(l), "%s/dev/block/252:16", dir);
	if (symlink("../../devices/pci0/block/vdb", l))
		return -1;
	return 0;
}

TEST_IMPL(blkdev_partition_to_disk)
{
	char name[32];

	ASSERT_OK(fake_sysfs());
	ASSERT_OK(mmb__blkdev_disk(dir, 8, 1, name, sizeof(name)));
	ASSERT(strcmp(name, "sda") == 0);
	ASSERT_OK(mmb__blkdev_disk(dir, 8, 0, name, sizeof(name)));
	ASSERT(strcmp(name, "sda") == 0);
	ASSERT_OK(mmb__blkdev_disk(dir, 252, 16, name, sizeof(name)));
	ASSERT(strcmp(name, "vdb") == 0);
	/* tmpfs, overlayfs: anonymous devices with no sysfs entry. */
	ASSERT_EQ(mmb__blkdev_disk(dir, 0, 42, name, sizeof(name)), MMB_ENOENT);
	ASSERT_EQ(mmb__blkdev_disk(dir, 8, 1, name, 3), MMB_ENAMETOOLONG);
	return 0;
}

TEST_IMPL(blkdev_stat_sectors)
{
	uint64_t rd = 0, wr = 0;

	ASSERT_OK(fake_sysfs());
	ASSERT_OK(put("block/sda/stat",
		      "   19380     4867  1529154    11442    10066    12460 "
		      "  795456    26434        0    22356    39640\n"));
	ASSERT_OK(mmb__blkdev_stat(dir, "sda", &rd, &wr));
	ASSERT_EQ(rd, 1529154);
	ASSERT_EQ(wr, 795456);
	ASSERT_OK(put("block/sda/stat", "1 2 3\n"));
	ASSERT_EQ(mmb__blkdev_stat(dir, "sda", &rd, &wr), MMB_ENOTSUP);
	ASSERT(mmb__blkdev_stat(dir, "vdb", &rd, &wr) == MMB_ENOENT);
	return 0;
}
