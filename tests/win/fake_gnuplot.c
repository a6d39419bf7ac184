/* SPDX-License-Identifier: MIT */
/* fake_gnuplot.c - a stand-in gnuplot.exe for results.sh under wine, where
 * no real gnuplot is installed: `gnuplot STEM.gp` in the plot directory
 * checks that STEM.gp and STEM.dat are there and writes a small STEM.png
 * and STEM.svg, as the real one does; with MMB_FAKE_GNUPLOT_FAIL set it
 * prints a message on stderr and exits 1 instead, to check that the
 * report quotes it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int put(const char *stem, const char *ext, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s.%s", stem, ext);
	f = fopen(path, "wb");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	char stem[256], dat[300];
	size_t n;
	FILE *f;

	if (getenv("MMB_FAKE_GNUPLOT_FAIL")) {
		fprintf(stderr, "fake gnuplot: line 1: told to fail\n");
		return 1;
	}
	if (argc != 2 || (n = strlen(argv[1])) < 4 || n >= sizeof(stem) ||
	    strcmp(argv[1] + n - 3, ".gp") != 0) {
		fprintf(stderr, "fake gnuplot: want one STEM.gp\n");
		return 2;
	}
	memcpy(stem, argv[1], n - 3);
	stem[n - 3] = 0;
	snprintf(dat, sizeof(dat), "%s.dat", stem);
	if (!(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "fake gnuplot: no %s in the working dir\n",
			argv[1]);
		return 3;
	}
	fclose(f);
	if (!(f = fopen(dat, "rb"))) {
		fprintf(stderr, "fake gnuplot: no %s\n", dat);
		return 3;
	}
	fclose(f);
	if (put(stem, "png", "\x89PNG fake\n") ||
	    put(stem, "svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"))
		return 4;
	return 0;
}
