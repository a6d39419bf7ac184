/* SPDX-License-Identifier: MIT */
/* style.h - the one stylesheet of every report page (internal to
 * reports/): html.c's run, sweep and experiment reports and html_gb.c's
 * Google Benchmark and comparison pages inline it, so they look alike. */
#ifndef MMB_REPORTS_STYLE_H
#define MMB_REPORTS_STYLE_H

/* The CSS, for a <style> element: no "</" in it. */
extern const char mmb__report_css[];

#endif
