/* SPDX-License-Identifier: MIT */
/* param.c - parameter descriptors (mmbench/workload.h): keys, range
 * checks, formatting, and a workload's parameters in its options. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

const char *mmb_param_key(const struct mmb_param *p, char *buf, size_t n)
{
	snprintf(buf, n, "%s", p->key ? p->key : p->name);
	for (char *c = buf; *c; c++)
		if (*c == '-')
			*c = '_';
	return buf;
}

/* A size as "64K", "1G" when it is a whole number of that unit. */
static void format_size(uint64_t v, char *buf, size_t n)
{
	static const char units[] = "KMGT";
	int u = -1;

	while (u < 3 && v >= 1024 && v % 1024 == 0) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, n, "%llu", (unsigned long long)v);
	else
		snprintf(buf, n, "%llu%c", (unsigned long long)v, units[u]);
}

const char *mmb_param_format(const struct mmb_param *p, union mmb_value v,
			     char *buf, size_t n)
{
	const char *name;

	switch (p->type) {
	case MMB_PARAM_SIZE:
		format_size(v.u, buf, n);
		break;
	case MMB_PARAM_COUNT:
		snprintf(buf, n, "%llu", (unsigned long long)v.u);
		break;
	case MMB_PARAM_DOUBLE:
	case MMB_PARAM_PERCENT:
		snprintf(buf, n, "%g", v.d);
		break;
	case MMB_PARAM_ENUM:
		name = p->enum_name ? p->enum_name(v.i) : NULL;
		snprintf(buf, n, "%s", name ? name : "?");
		break;
	case MMB_PARAM_STRING:
		snprintf(buf, n, "%s", v.s ? v.s : "");
		break;
	case MMB_PARAM_FLAG:
		snprintf(buf, n, "%s", v.b ? "true" : "false");
		break;
	}
	return buf;
}

void mmb_param_ctx(const struct mmb_param *p, union mmb_value v,
		   struct mmb_ctx_value *out)
{
	memset(out, 0, sizeof(*out));
	mmb_param_key(p, out->key, sizeof(out->key));
	switch (p->type) {
	case MMB_PARAM_SIZE:
	case MMB_PARAM_COUNT:
		out->type = MMB_CTX_UINT;
		out->u = v.u;
		break;
	case MMB_PARAM_DOUBLE:
	case MMB_PARAM_PERCENT:
		out->type = MMB_CTX_DOUBLE;
		out->d = v.d;
		break;
	case MMB_PARAM_FLAG:
		out->type = MMB_CTX_BOOL;
		out->b = v.b;
		break;
	case MMB_PARAM_ENUM:
		out->type = MMB_CTX_STRING;
		mmb_param_format(p, v, out->s, sizeof(out->s));
		break;
	case MMB_PARAM_STRING: {
		/* A path too long for the entry keeps its end, the file's
		 * name: "..." and the last bytes. */
		size_t len = v.s ? strlen(v.s) : 0, room = sizeof(out->s) - 1;
		out->type = MMB_CTX_STRING;
		if (len <= room)
			snprintf(out->s, sizeof(out->s), "%s", v.s ? v.s : "");
		else
			snprintf(out->s, sizeof(out->s), "...%s",
				 v.s + len - (room - 3));
		break;
	}
	}
}

int mmb_param_enum_parse(const struct mmb_param *p, const char *name)
{
	const char *e;

	if (p->type != MMB_PARAM_ENUM || !p->enum_name || !name)
		return -1;
	for (int i = 0; (e = p->enum_name(i)) != NULL; i++)
		if (strcmp(e, name) == 0)
			return i;
	return -1;
}

int mmb_param_check(const struct mmb_param *p, union mmb_value v,
		    const char *as)
{
	char key[40], val[40], lo[40], hi[40];
	union mmb_value vlo, vhi;
	double x, min = p->min, max = p->max;

	if (as) {
		snprintf(key, sizeof(key), "%s", as);
	} else {
		mmb_param_key(p, key, sizeof(key));
		for (char *c = key; *c; c++)
			if (*c == '_')
				*c = ' ';
	}
	switch (p->type) {
	case MMB_PARAM_SIZE:
	case MMB_PARAM_COUNT:
		x = (double)v.u;
		break;
	case MMB_PARAM_PERCENT:
		if (max == 0 || max > 100)
			max = 100;
		if (min < 0)
			min = 0;
		/* fall through */
	case MMB_PARAM_DOUBLE:
		x = v.d;
		if (!isfinite(x))
			return mmb_seterr(MMB_EINVAL, 0, "%s is not a number",
					  key);
		break;
	case MMB_PARAM_ENUM:
		if (v.i < 0 || !p->enum_name || !p->enum_name(v.i))
			return mmb_seterr(MMB_EINVAL, 0,
					  "%s %d is not one of its names", key,
					  v.i);
		return 0;
	default:
		return 0;
	}
	if (p->type == MMB_PARAM_SIZE || p->type == MMB_PARAM_COUNT) {
		vlo.u = (uint64_t)min;
		vhi.u = (uint64_t)max;
	} else {
		vlo.d = min;
		vhi.d = max;
	}
	mmb_param_format(p, v, val, sizeof(val));
	mmb_param_format(p, vlo, lo, sizeof(lo));
	mmb_param_format(p, vhi, hi, sizeof(hi));
	bool low = (p->flags & MMB_PARAM_MIN_EXCL) ? !(x > min) : x < min;
	bool high = max != 0 && x > max;
	if (!low && !high)
		return 0;
	if (max != 0 && !(p->flags & MMB_PARAM_MIN_EXCL))
		return mmb_seterr(MMB_EINVAL, 0, "%s %s is outside %s..%s", key,
				  val, lo, hi);
	if (high)
		return mmb_seterr(MMB_EINVAL, 0, "%s %s is above %s", key, val,
				  hi);
	if (p->flags & MMB_PARAM_MIN_EXCL)
		return mmb_seterr(MMB_EINVAL, 0, "%s %s must be > %s", key, val,
				  lo);
	return mmb_seterr(MMB_EINVAL, 0, "%s %s must be at least %s", key, val,
			  lo);
}

int mmb_workload_param(const struct mmb_workload *w, const char *name)
{
	for (int i = 0; w->params && w->params[i].name; i++)
		if (strcmp(w->params[i].name, name) == 0)
			return i;
	return -1;
}

int mmb_workload_set(const struct mmb_workload *w, struct mmb_workload_opts *o,
		     const char *name, union mmb_value v)
{
	int i = mmb_workload_param(w, name);

	if (i < 0 || i >= MMB_WL_MAX_PARAMS)
		return mmb_seterr(MMB_EINVAL, 0, "%s has no parameter %s",
				  w->name, name);
	o->param[i] = v;
	o->param_set |= 1u << i;
	return 0;
}
