/* SPDX-License-Identifier: MIT */
/* escape.c - untrusted text into the terminal and Markdown (escape.h). */
#include <stdbool.h>
#include <string.h>

#include "escape.h"

/* Bytes of the control character at s: 1 (C0, DEL), 2 (C1 in UTF-8), or
 * 0 when s does not start with one. */
static size_t control(const unsigned char *s)
{
	if (*s < 0x20 || *s == 0x7f)
		return 1;
	if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
		return 2;
	return 0;
}

void mmb__tty_clean(char *s)
{
	unsigned char *r = (unsigned char *)s, *w = r;

	while (*r) {
		size_t c = control(r);
		if (c) {
			*w++ = '?';
			r += c;
		} else {
			*w++ = *r++;
		}
	}
	*w = 0;
}

size_t mmb__tty_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p) {
		size_t c = control(p);
		p += c ? c : 1;
		n++;
	}
	return n;
}

void mmb__tty_put(FILE *f, const char *s, size_t width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p) {
		size_t c = control(p);
		fputc(c ? '?' : *p, f);
		p += c ? c : 1;
		n++;
	}
	for (; n < width; n++)
		fputc(' ', f);
}

void mmb__md_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	/* "- - x" and "- + x" would start a list inside the list item */
	if (*p == '-' || *p == '+')
		fputc('\\', f);

	while (*p) {
		size_t c = control(p);
		if (c) {
			fputc(' ', f);
			p += c;
			continue;
		}
		if (*p == '<')
			fputs("&lt;", f);
		else if (*p == '>')
			fputs("&gt;", f);
		else if (*p == '&')
			fputs("&amp;", f);
		else {
			if (strchr("\\`*_[]#|~", *p))
				fputc('\\', f);
			fputc(*p, f);
		}
		p++;
	}
}

void mmb__md_code(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0, most = 0, len = strlen(s);

	for (size_t i = 0; i < len; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		most = run > most ? run : most;
	}
	for (size_t i = 0; i <= most; i++)
		fputc('`', f);
	/* A span that starts or ends with a backtick needs a blank, which
	 * Markdown strips again. */
	bool pad = len && (s[0] == '`' || s[len - 1] == '`');
	if (pad)
		fputc(' ', f);
	while (*p) {
		size_t c = control(p);
		if (c) {
			fputc(' ', f);
			p += c;
			continue;
		}
		if (*p == '|')
			fputc('\\', f);
		fputc(*p++, f);
	}
	if (pad)
		fputc(' ', f);
	for (size_t i = 0; i <= most; i++)
		fputc('`', f);
}
