/* SPDX-License-Identifier: MIT */
/* test_shrink.c - a file that shrinks under a running backend is an error
 * of that backend, never a SIGBUS that kills the process: every backend
 * of the registry, mapped ones included, reads past the new end and must
 * return an error (a mapping: MMB_ESIGBUS with the new size and the
 * faulting offset in the message) or a short read (an fd: 0 bytes). */
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmb/error.h"
#include "mmbench/backend.h"

#include "helpers.h"
#include "test.h"

static int shrink_one(const struct mmb_backend *b, uint64_t arg)
{
	struct fx f;
	struct mmb_backend_opts o = test_opts();
	void *st = NULL, *ts = NULL;
	char *buf = aligned_alloc(4096, 4096), msg[512];
	int ret = 1;

	(void)arg;
	if (!buf || fx_setup(&f, 4 * MiB) < 0)
		return 1;
	int rc = bk_open(b, f.path, f.size, &o, &st);
	if (rc) {
		ret = rc;
		goto out;
	}
	if (b->thread_open && b->thread_open(st, 0, &ts) < 0) {
		fprintf(stderr, "%s: thread_open failed\n", b->name);
		goto close;
	}
	void *h = ts ? ts : st;
	/* a read before: the pages are mapped (mmap-populate: all of them) */
	if (b->read(h, buf, 4096, 3 * MiB) != 4096) {
		fprintf(stderr, "%s: read before the shrink failed\n", b->name);
		goto tclose;
	}
	if (truncate(f.path, 64 * 1024) < 0) {
		perror("truncate");
		goto tclose;
	}
	/* A backend with a cache of its own serves the page it holds (it
	 * cannot see the truncate): it must not serve one it has to read. */
	uint64_t at = (b->caps & MMB_CAP_USERCACHE) ? 3 * MiB + 4096 : 3 * MiB;
	int64_t n = b->read(h, buf, 4096, at);
	if (b->caps & MMB_CAP_MAPPED) {
		mmb_errmsg(msg, sizeof(msg));
		if (n != MMB_ESIGBUS) {
			fprintf(stderr, "%s: read after the shrink gave %lld\n",
				b->name, (long long)n);
			goto tclose;
		}
		/* the one-line error says the file shrank (whole-file
		 * mappings: to what size) and names the offset */
		bool whole = !b->thread_open;
		if (!strstr(msg,
			    whole ? "file shrank to 65536 bytes" : "shrank") ||
		    !strstr(msg, "offset 3145728")) {
			fprintf(stderr, "%s: message '%s'\n", b->name, msg);
			goto tclose;
		}
	} else if (n > 0) {
		fprintf(stderr, "%s: read past the new end gave %lld bytes\n",
			b->name, (long long)n);
		goto tclose;
	}
	ret = 0;
tclose:
	if (ts)
		b->thread_close(ts);
close:
	b->close(st);
out:
	fx_teardown(&f);
	free(buf);
	return ret;
}

TEST_IMPL(shrink_under_every_backend)
{
	return for_each_backend(MMB_CAP_READ, "shrink", shrink_one, 0);
}
