/* SPDX-License-Identifier: MIT */
/* escape.h - untrusted text (names, error messages and paths from a
 * results file) on its way into an output, internal to reports/: each
 * output escapes it in its own way. HTML has its own escaping in html.c,
 * CSV quotes every cell (csv.c). */
#ifndef MMB_REPORTS_ESCAPE_H
#define MMB_REPORTS_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* The terminal: every C0 control character (newline too), DEL and C1
 * control (U+0080..U+009F in UTF-8) becomes '?', so that a name cannot
 * move the cursor, clear the screen or set the window title.
 * mmb__tty_clean works in place; mmb__tty_put writes s padded with blanks
 * to width (0: none); mmb__tty_width is the length tty_put writes. */
void mmb__tty_clean(char *s);
size_t mmb__tty_width(const char *s);
void mmb__tty_put(FILE *f, const char *s, size_t width);

/* Markdown (GitHub's): mmb__md_text writes s as plain text, with no
 * markup, HTML or line break of its own (control characters become
 * blanks, <>& entities, Markdown punctuation and '|' backslash-escaped);
 * mmb__md_code writes it as a code span in a table cell (fenced with more
 * backticks than it holds, '|' escaped, control characters blanks). */
void mmb__md_text(FILE *f, const char *s);
void mmb__md_code(FILE *f, const char *s);

#endif
