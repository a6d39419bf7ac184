/* SPDX-License-Identifier: MIT */
/* style.c - the one stylesheet of every report page (style.h). A rule a
 * page does not use costs it nothing; a rule for one page's classes
 * names the page in a comment. */
#include "style.h"

const char mmb__report_css[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
    "margin:24px auto;max-width:1140px;padding:0 16px;color:#1d1d1f;"
    "background:#fff}"
    "h1{font-size:26px;margin:0 0 4px}"
    "h2{font-size:20px;margin:32px 0 8px;padding-top:12px;"
    "border-top:2px solid #d0d7de}"
    "h3{font-size:16px;margin:20px 0 6px}"
    ".sub{color:#57606a;margin:0 0 16px}"
    ".verdict{background:#eef6ee;border-left:5px solid #2e7d32;"
    "padding:10px 14px;font-size:16px;margin:10px 0}"
    /* a comparison that found a slower benchmark */
    ".verdict.bad{background:#fdecea;border-left-color:#c62828}"
    ".note{background:#fff8e1;border-left:5px solid #f9a825;"
    "padding:8px 14px}"
    "table{border-collapse:collapse;margin:6px 0 12px}"
    "th,td{border:1px solid #d0d7de;padding:4px 10px}"
    "th{background:#f6f8fa;text-align:left}"
    "table.num td{text-align:right;font-variant-numeric:tabular-nums}"
    "table.num td:first-child{text-align:left;font-weight:600;"
    "white-space:nowrap}"
    /* the best backend of a run; a comparison's faster and slower rows */
    "tr.best td,tr.faster td{background:#eef6ee}"
    "tr.slower td{background:#fdecea}"
    "td.na,table.num td.na{color:#8c959f;text-align:center}"
    /* keys whole, however long the values beside them */
    "table.ctx td:first-child{font-family:monospace;color:#57606a;"
    "white-space:nowrap}"
    "table.ctx td{vertical-align:top;word-break:break-word}"
    /* Plots at their natural size, one a row: scaled down, their text
     * would be smaller than the page's. */
    ".plots{display:block}"
    "figure{margin:8px 0 18px}"
    "figure img{display:block;max-width:100%;height:auto;"
    "border:1px solid #d0d7de}"
    "figcaption{color:#57606a;font-size:13px}"
    "code{font-family:monospace}"
    /* html_profile.c: where the time went, kernel events, flame graphs */
    ".why{background:#f6f8fa;border-left:5px solid #0072b2;"
    "padding:8px 14px}"
    "svg.breakdown{display:block;max-width:100%;height:auto;margin:6px 0}"
    ".tops{display:flex;flex-wrap:wrap;gap:0 16px;align-items:flex-start}"
    "table.num td.text,table.num td.fn{text-align:left}"
    "table.top{font-size:13px}table.top td,table.top th{padding:3px 7px}"
    "table.top td.fn{max-width:230px;overflow-wrap:anywhere}"
    "span.k{color:#d55e00;font-size:12px}"
    "table.kev td.ev{font-weight:400}"
    "table.num td.unavail{text-align:left;color:#8c4a00}"
    "figure.flame{overflow-x:auto}"
    "figure.flame svg{display:block}";
