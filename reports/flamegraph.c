/* SPDX-License-Identifier: MIT */
/* flamegraph.c - a flame graph as one self-contained SVG from folded
 * stacks ("root;...;leaf COUNT" lines, mmbench/profile.h): a frame's
 * width is its share of the samples, callers below callees, kernel frames
 * ("_[k]") in orange, user frames in red; hovering shows the name, the
 * samples and the share (SVG <title>). No script, no external file. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmb/error.h"
#include "mmbench/profile.h"
#include "mmbench/result.h"
#include "report_priv.h"

#define WIDTH	1200.0 /* of the frames in the SVG file */
#define FRAME_H 16
#define PAD	10
#define MIN_W	0.3 /* px: narrower frames are left out */

struct node {
	char *name;
	unsigned long long n;
	struct node *child, *next;
};

struct out {
	char *p;
	size_t len, cap;
	bool oom;
};

static void put(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;

	while (!o->oom) {
		va_start(ap, fmt);
		int n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			o->oom = true;
			return;
		}
		if ((size_t)n < o->cap - o->len) {
			o->len += (size_t)n;
			return;
		}
		size_t cap = (o->cap + (size_t)n + 1) * 2;
		char *p = realloc(o->p, cap);
		if (!p) {
			o->oom = true;
			return;
		}
		o->p = p;
		o->cap = cap;
	}
}

static void put_escaped(struct out *o, const char *s, size_t max)
{
	for (size_t i = 0; s[i] && i < max; i++) {
		switch (s[i]) {
		case '<':
			put(o, "&lt;");
			break;
		case '>':
			put(o, "&gt;");
			break;
		case '&':
			put(o, "&amp;");
			break;
		case '"':
			put(o, "&quot;");
			break;
		default:
			if ((unsigned char)s[i] >= 0x20)
				put(o, "%c", s[i]);
		}
	}
}

static struct node *child_of(struct node *parent, const char *name, size_t len)
{
	struct node *c;

	for (c = parent->child; c; c = c->next)
		if (strlen(c->name) == len && memcmp(c->name, name, len) == 0)
			return c;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	/* strndup is POSIX, not C11 (mingw lacks it) */
	c->name = malloc(len + 1);
	if (!c->name) {
		free(c);
		return NULL;
	}
	memcpy(c->name, name, len);
	c->name[len] = 0;
	c->next = parent->child;
	parent->child = c;
	return c;
}

static void free_tree(struct node *n)
{
	while (n) {
		struct node *next = n->next;
		free_tree(n->child);
		free(n->name);
		free(n);
		n = next;
	}
}

static unsigned depth_of(const struct node *n)
{
	unsigned d = 0;
	for (const struct node *c = n->child; c; c = c->next) {
		unsigned x = depth_of(c);
		d = x > d ? x : d;
	}
	return d + 1;
}

static void draw(struct out *o, const struct node *n, double x, unsigned level,
		 unsigned levels, double scale, unsigned long long total)
{
	double w = (double)n->n * scale;
	if (w < MIN_W)
		return;
	size_t len = strlen(n->name);
	bool kernel = len > 4 && strcmp(n->name + len - 4, "_[k]") == 0;
	unsigned h = 0;
	for (const char *s = n->name; *s; s++)
		h = h * 31 + (unsigned char)*s;
	/* FlameGraph's palette: warm hues, kernel a little more yellow. */
	unsigned r = 205 + h % 50, g = kernel ? 120 + h % 80 : h % 110,
		 b = h % 55;
	double y = PAD + 2 * FRAME_H + (double)(levels - 1 - level) * FRAME_H;
	put(o, "<g><title>");
	put_escaped(o, n->name, len);
	put(o, " (%llu samples, %.2f%%)</title>", n->n,
	    total ? 100.0 * (double)n->n / (double)total : 0);
	put(o,
	    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
	    "fill=\"rgb(%u,%u,%u)\" rx=\"2\"/>",
	    x, y, w, FRAME_H - 1, r, g, b);
	/* ~7 px per character at font-size 12 */
	size_t fit = (size_t)((w - 6) / 7);
	if (fit >= 3) {
		put(o, "<text x=\"%.1f\" y=\"%.1f\">", x + 3, y + FRAME_H - 4);
		if (fit >= len) {
			put_escaped(o, n->name, len);
		} else {
			put_escaped(o, n->name, fit - 2);
			put(o, "..");
		}
		put(o, "</text>");
	}
	put(o, "</g>\n");
	for (const struct node *c = n->child; c; c = c->next) {
		draw(o, c, x, level + 1, levels, scale, total);
		x += (double)c->n * scale;
	}
}

int mmb__flamegraph_svg(const char *folded, const char *title, double width,
			bool standalone, char **svg, size_t *len)
{
	struct node root = {.name = "all"};
	struct out o = {0};
	int rc = 0;

	*svg = NULL;
	*len = 0;
	for (const char *l = folded; l && *l;) {
		const char *nl = strchr(l, '\n');
		const char *end = nl ? nl : l + strlen(l);
		const char *sp = end;
		while (sp > l && sp[-1] != ' ')
			sp--;
		unsigned long long n = strtoull(sp, NULL, 10);
		if (sp > l && n) {
			struct node *at = &root;
			root.n += n;
			for (const char *f = l; at && f < sp - 1;) {
				const char *semi =
				    memchr(f, ';', (size_t)(sp - 1 - f));
				const char *fe = semi ? semi : sp - 1;
				at = child_of(at, f, (size_t)(fe - f));
				if (at)
					at->n += n;
				f = fe + 1;
			}
			if (!at) {
				rc = mmb_seterr(MMB_ENOMEM, ENOMEM,
						"flame graph of %s", title);
				goto out;
			}
		}
		l = nl ? nl + 1 : end;
	}
	unsigned levels = depth_of(&root);
	double height = 2 * PAD + 2 * FRAME_H + levels * FRAME_H + FRAME_H;
	/* In an HTML page the namespace is implied (and the page names no
	 * URL); a file needs both. */
	put(&o, "%s<svg %sversion=\"1.1\" ",
	    standalone ? "<?xml version=\"1.0\" standalone=\"no\"?>\n" : "",
	    standalone ? "xmlns=\"http://www.w3.org/2000/svg\" " : "");
	put(&o,
	    "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
	    "font-family=\"Verdana, sans-serif\" font-size=\"12\">\n"
	    "<rect x=\"0\" y=\"0\" width=\"100%%\" height=\"100%%\" "
	    "fill=\"#f8f8f0\"/>\n"
	    "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\" "
	    "font-size=\"16\">",
	    width + 2 * PAD, height, width + 2 * PAD, height,
	    (width + 2 * PAD) / 2, PAD + FRAME_H);
	put_escaped(&o, title, strlen(title));
	put(&o, " (%llu samples)</text>\n", root.n);
	if (root.n)
		draw(&o, &root, PAD, 0, levels, width / (double)root.n, root.n);
	put(&o, "</svg>\n");
	if (o.oom) {
		rc = mmb_seterr(MMB_ENOMEM, ENOMEM, "flame graph of %s", title);
		goto out;
	}
	*svg = o.p;
	*len = o.len;
	o.p = NULL;
out:
	free_tree(root.child);
	free(o.p);
	return rc;
}

int mmb_report_flamegraph(const char *folded, const char *title,
			  const char *path)
{
	char *svg;
	size_t len;
	int rc = mmb__flamegraph_svg(folded, title, WIDTH, true, &svg, &len);

	if (rc == 0)
		rc = mmb_write_file_atomic(path, svg, len);
	free(svg);
	return rc;
}
