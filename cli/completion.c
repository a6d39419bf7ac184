/* SPDX-License-Identifier: MIT */
/* completion.c - `mmbench completion bash|zsh`: the shell completion
 * scripts, generated from the subcommand table (main.c), each command's
 * --help (its options, and the words of its usage such as baseline's save
 * and check) and run's option table (the names an option takes: workloads,
 * backends, advice, sync, access, cache). The build installs their output;
 * a new option, backend or workload is completed without an edit here. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/backend.h"
#include "output.h"

#define MAX_CMDS  24
#define MAX_OPTS  96
#define MAX_WORDS 8
#define MAX_VALS  64

enum val_kind { V_NONE, V_FILE, V_DIR, V_NAMES, V_LIST };

/* What follows an option: nothing to offer (a number), a file, a
 * directory, one of names, or a comma-separated list of names. */
struct val {
	char opt[40]; /* "--workload", "-w" */
	enum val_kind kind;
	char names[1024];
};

struct cmd_opts {
	const char *name, *help;
	unsigned nopts, nwords;
	char opt[MAX_OPTS][40];
	char word[MAX_WORDS][24]; /* positional words: save, check... */
};

struct spec {
	unsigned ncmds, nvals;
	struct cmd_opts cmd[MAX_CMDS];
	struct val val[MAX_VALS];
};

static void add_opt(struct cmd_opts *c, const char *o, size_t n)
{
	if (n >= sizeof(c->opt[0]) || c->nopts == MAX_OPTS)
		return;
	for (unsigned i = 0; i < c->nopts; i++)
		if (strlen(c->opt[i]) == n && strncmp(c->opt[i], o, n) == 0)
			return;
	memcpy(c->opt[c->nopts], o, n);
	c->opt[c->nopts++][n] = 0;
}

static struct val *find_val(struct spec *s, const char *opt)
{
	for (unsigned i = 0; i < s->nvals; i++)
		if (strcmp(s->val[i].opt, opt) == 0)
			return &s->val[i];
	return NULL;
}

static struct val *add_val(struct spec *s, const char *opt, size_t n,
			   enum val_kind k)
{
	char o[40];
	struct val *v;

	if (n >= sizeof(o))
		return NULL;
	memcpy(o, opt, n);
	o[n] = 0;
	if ((v = find_val(s, o)) != NULL || s->nvals == MAX_VALS)
		return v;
	v = &s->val[s->nvals++];
	snprintf(v->opt, sizeof(v->opt), "%s", o);
	v->kind = k;
	return v;
}

static bool optch(char c)
{
	return isalnum((unsigned char)c) || c == '-';
}

/* The options of a help text: "--name" and "-x" tokens, and for each the
 * kind of value its placeholder names ("--json FILE", "-o, --output
 * DIR", "--threshold PCT"). */
static void scan_help(struct spec *s, struct cmd_opts *c, const char *t)
{
	for (const char *p = t; *p; p++) {
		if (*p != '-' || (p > t && (optch(p[-1]) || p[-1] == '/')))
			continue;
		size_t n = 1;
		if (p[1] == '-')
			n = 2;
		if (!isalpha((unsigned char)p[n]))
			continue;
		while (optch(p[n]))
			n++;
		if (p[1] != '-' && n != 2)
			continue; /* a short option is one letter: "-o" */
		if (p[n - 1] == '-')
			continue;
		add_opt(c, p, n);
		/* The placeholder, for "--opt WORD" or "-o, --opt WORD". */
		const char *w = p + n;
		if (*w != ' ' || !isupper((unsigned char)w[1]))
			continue;
		w++;
		enum val_kind k = V_NONE;
		if (strncmp(w, "DIR", 3) == 0)
			k = V_DIR;
		else if (strncmp(w, "FILE", 4) == 0 ||
			 strncmp(w, "PATH", 4) == 0 ||
			 strncmp(w, "MMBENCH", 7) == 0)
			k = V_FILE;
		add_val(s, p, n, k);
		/* "-o, --output DIR": the short form takes it too. */
		if (n > 2 && p >= t + 5 && p[-1] == ' ' && p[-2] == ',' &&
		    p[-5] == ' ' && p[-4] == '-')
			add_val(s, p - 4, 2, k);
	}
}

/* Words of the usage lines "mmbench CMD word|word ...". */
static void scan_words(struct cmd_opts *c, const char *t)
{
	char pat[48];
	size_t pl = (size_t)snprintf(pat, sizeof(pat), "mmbench %s ", c->name);

	for (const char *p = strstr(t, pat); p; p = strstr(p + 1, pat)) {
		const char *w = p + pl;
		while (islower((unsigned char)*w) ||
		       isdigit((unsigned char)*w) || *w == '|') {
			size_t n = 0;
			while (islower((unsigned char)w[n]) ||
			       isdigit((unsigned char)w[n]))
				n++;
			if (n && n < sizeof(c->word[0]) &&
			    c->nwords < MAX_WORDS) {
				bool dup = false;
				for (unsigned i = 0; i < c->nwords; i++)
					dup |= strlen(c->word[i]) == n &&
					       !strncmp(c->word[i], w, n);
				if (!dup) {
					memcpy(c->word[c->nwords], w, n);
					c->word[c->nwords++][n] = 0;
				}
			}
			w += n;
			if (*w != '|')
				break;
			w++;
		}
	}
}

static void names_of(const struct mmb_param *p, char *buf, size_t n)
{
	size_t len = 0;
	const char *e;

	buf[0] = 0;
	for (int i = 0; (e = p->enum_name(i)) != NULL && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s",
					len ? " " : "", e);
}

/* The names an ENUM option takes, from run's table and the workloads'. */
static void enum_vals(struct spec *s, const struct mmb_param *p, char sh)
{
	char o[40];
	struct val *v;

	snprintf(o, sizeof(o), "--%s", p->name);
	if (!(v = add_val(s, o, strlen(o), V_NAMES)))
		return;
	v->kind = V_NAMES;
	names_of(p, v->names, sizeof(v->names));
	if (sh) {
		snprintf(o, sizeof(o), "-%c", sh);
		struct val *w = add_val(s, o, 2, V_NAMES);
		if (w)
			*w = *v, snprintf(w->opt, sizeof(w->opt), "%s", o);
	}
}

static int build(struct spec *s, char **texts)
{
	size_t n;
	const struct mmb_cmd *c = mmb_cli_commands(&n);
	int run = -1;

	memset(s, 0, sizeof(*s));
	/* Names first: they take precedence over a placeholder's kind. */
	for (unsigned i = 0; i < MMB_OPT__COUNT; i++)
		if (mmb_cli_run_opts[i].p.type == MMB_PARAM_ENUM)
			enum_vals(s, &mmb_cli_run_opts[i].p,
				  mmb_cli_run_opts[i].short_name);
	for (size_t i = 0; mmb_workloads[i]; i++)
		for (const struct mmb_param *p = mmb_workloads[i]->params;
		     p && p->name; p++)
			if (p->type == MMB_PARAM_ENUM)
				enum_vals(s, p, 0);
	struct val *b = add_val(s, "--backends", 10, V_LIST);
	if (b) {
		size_t len =
		    (size_t)snprintf(b->names, sizeof(b->names), "all");
		for (size_t i = 0; mmb_backends[i] && len < sizeof(b->names);
		     i++)
			len += (size_t)snprintf(b->names + len,
						sizeof(b->names) - len, " %s",
						mmb_backends[i]->name);
		struct val *bs = add_val(s, "-b", 2, V_LIST);
		if (bs)
			*bs = *b, snprintf(bs->opt, sizeof(bs->opt), "-b");
	}
	for (size_t i = 0; i < n && i < MAX_CMDS; i++) {
		struct cmd_opts *co = &s->cmd[s->ncmds++];
		co->name = c[i].name;
		co->help = c[i].help;
		if (!(texts[i] = mmb_cli_help_text(&c[i])))
			return -1;
		scan_help(s, co, texts[i]);
		scan_words(co, texts[i]);
		if (strcmp(c[i].name, "run") == 0)
			run = (int)i;
	}
	/* sweep and ab pass run's options on to each run. */
	for (unsigned i = 0; run >= 0 && i < s->ncmds; i++)
		if ((int)i != run && strstr(texts[i], "run options"))
			for (unsigned k = 0; k < s->cmd[run].nopts; k++)
				add_opt(&s->cmd[i], s->cmd[run].opt[k],
					strlen(s->cmd[run].opt[k]));
	return 0;
}

static void opts_of(FILE *f, const struct cmd_opts *c)
{
	for (unsigned k = 0; k < c->nopts; k++)
		fprintf(f, "%s%s", k ? " " : "", c->opt[k]);
}

/* The options taking value kind k, "a|b|c" for a case pattern. */
static bool pattern(FILE *f, const struct spec *s, enum val_kind k)
{
	bool any = false;

	for (unsigned i = 0; i < s->nvals; i++)
		if (s->val[i].kind == k) {
			fprintf(f, "%s%s", any ? "|" : "", s->val[i].opt);
			any = true;
		}
	return any;
}

static void bash(FILE *f, const struct spec *s)
{
	fputs("# bash completion for mmbench(1), generated by `mmbench "
	      "completion bash`.\n"
	      "_mmbench()\n{\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= cmd words\n"
	      "\t[ \"$COMP_CWORD\" -gt 0 ] && "
	      "prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "\tif [ \"$COMP_CWORD\" -le 1 ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"",
	      f);
	for (unsigned i = 0; i < s->ncmds; i++)
		fprintf(f, "%s ", s->cmd[i].name);
	fputs("--help --version\" -- \"$cur\"))\n\t\treturn\n\tfi\n"
	      "\tcmd=${COMP_WORDS[1]}\n\tcase $prev in\n",
	      f);
	for (unsigned i = 0; i < s->nvals; i++) {
		const struct val *v = &s->val[i];
		if (v->kind == V_NAMES)
			fprintf(f,
				"\t%s)\n\t\tCOMPREPLY=($(compgen -W \"%s\" -- "
				"\"$cur\"))\n\t\treturn ;;\n",
				v->opt, v->names);
		else if (v->kind == V_LIST)
			fprintf(
			    f,
			    "\t%s)\n\t\tlocal pre=\n\t\tcase $cur in *,*) "
			    "pre=${cur%%,*}, ;; esac\n"
			    "\t\tCOMPREPLY=($(compgen -P \"$pre\" -W \"%s\" "
			    "-- \"${cur##*,}\"))\n"
			    "\t\tcompopt -o nospace 2>/dev/null\n"
			    "\t\treturn ;;\n",
			    v->opt, v->names);
	}
	fputc('\t', f);
	if (pattern(f, s, V_FILE))
		fputs(")\n\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
		      "\t\treturn ;;\n\t",
		      f);
	if (pattern(f, s, V_DIR))
		fputs(")\n\t\tCOMPREPLY=($(compgen -d -- \"$cur\"))\n"
		      "\t\treturn ;;\n\t",
		      f);
	if (pattern(f, s, V_NONE))
		fputs(")\n\t\tCOMPREPLY=()\n\t\treturn ;;\n", f);
	fputs("\tesac\n\tcase $cmd in\n", f);
	for (unsigned i = 0; i < s->ncmds; i++) {
		const struct cmd_opts *c = &s->cmd[i];
		fprintf(f, "\t%s)\n\t\twords=\"", c->name);
		opts_of(f, c);
		fputs("\"\n", f);
		if (strcmp(c->name, "help") == 0) {
			fputs("\t\tif [ \"$COMP_CWORD\" -eq 2 ]; then\n"
			      "\t\t\tCOMPREPLY=($(compgen -W \"",
			      f);
			for (unsigned k = 0; k < s->ncmds; k++)
				fprintf(f, "%s%s", k ? " " : "",
					s->cmd[k].name);
			fputs("\" -- \"$cur\"))\n\t\t\treturn\n\t\tfi ;;\n", f);
			continue;
		}
		if (c->nwords) {
			fputs("\t\tif [ \"$COMP_CWORD\" -eq 2 ] && [[ $cur != "
			      "-* ]]; then\n\t\t\tCOMPREPLY=($(compgen -W \"",
			      f);
			for (unsigned k = 0; k < c->nwords; k++)
				fprintf(f, "%s%s", k ? " " : "", c->word[k]);
			fputs("\" -- \"$cur\"))\n\t\t\treturn\n\t\tfi\n", f);
		}
		fputs("\t\t;;\n", f);
	}
	fputs("\t*)\n\t\treturn ;;\n\tesac\n"
	      "\tif [[ $cur == -* ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
	      "\telse\n\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n\tfi\n"
	      "}\ncomplete -F _mmbench mmbench\n",
	      f);
}

/* A description for zsh's _describe: ':' escaped, no single quote. */
static void zdesc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == ':')
			fputs("\\:", f);
		else if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
}

static void zsh(FILE *f, const struct spec *s)
{
	fputs("#compdef mmbench\n"
	      "# zsh completion for mmbench(1), generated by `mmbench "
	      "completion zsh`.\n"
	      "_mmbench() {\n\tlocal -a commands opts\n\tcommands=(\n",
	      f);
	for (unsigned i = 0; i < s->ncmds; i++) {
		fprintf(f, "\t\t'%s:", s->cmd[i].name);
		zdesc(f, s->cmd[i].help);
		fputs("'\n", f);
	}
	fputs("\t)\n\tif (( CURRENT == 2 )); then\n"
	      "\t\t_describe -t commands 'mmbench command' commands\n"
	      "\t\tcompadd -- --help --version\n\t\treturn\n\tfi\n"
	      "\tlocal cmd=$words[2] prev=$words[CURRENT-1]\n"
	      "\tcase $prev in\n",
	      f);
	for (unsigned i = 0; i < s->nvals; i++) {
		const struct val *v = &s->val[i];
		if (v->kind == V_NAMES)
			fprintf(f, "\t%s) compadd -- %s; return ;;\n", v->opt,
				v->names);
		else if (v->kind == V_LIST)
			fprintf(f, "\t%s) _values -s , backend %s; return ;;\n",
				v->opt, v->names);
	}
	fputc('\t', f);
	if (pattern(f, s, V_FILE))
		fputs(") _files; return ;;\n\t", f);
	if (pattern(f, s, V_DIR))
		fputs(") _files -/; return ;;\n\t", f);
	if (pattern(f, s, V_NONE))
		fputs(") return ;;\n", f);
	fputs("\tesac\n\tcase $cmd in\n", f);
	for (unsigned i = 0; i < s->ncmds; i++) {
		const struct cmd_opts *c = &s->cmd[i];
		fprintf(f, "\t%s)\n\t\topts=(", c->name);
		opts_of(f, c);
		fputs(")\n", f);
		if (strcmp(c->name, "help") == 0) {
			fputs("\t\tif (( CURRENT == 3 )); then\n"
			      "\t\t\t_describe -t commands 'mmbench command' "
			      "commands\n\t\t\treturn\n\t\tfi ;;\n",
			      f);
			continue;
		}
		if (c->nwords) {
			fputs("\t\tif (( CURRENT == 3 )) && [[ $PREFIX != -* "
			      "]]; then\n\t\t\tcompadd --",
			      f);
			for (unsigned k = 0; k < c->nwords; k++)
				fprintf(f, " %s", c->word[k]);
			fputs("\n\t\t\treturn\n\t\tfi\n", f);
		}
		fputs("\t\t;;\n", f);
	}
	fputs("\t*) return ;;\n\tesac\n"
	      "\tif [[ $PREFIX == -* ]]; then\n\t\tcompadd -- $opts\n"
	      "\telse\n\t\t_files\n\tfi\n}\n_mmbench \"$@\"\n",
	      f);
}

int cmd_completion(int argc, char **argv)
{
	size_t n;
	char *texts[MAX_CMDS] = {0};
	struct spec *s;
	int rc = MMB_EXIT_OK;

	if (argc == 2 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: mmbench completion bash|zsh\n\n"
		       "Prints the completion script of the shell: commands, "
		       "options, and the names\nthey take (workloads, "
		       "backends, access modes...). Installed with mmbench;\n"
		       "to try it: source <(mmbench completion bash)\n");
		return MMB_EXIT_OK;
	}
	if (argc != 2 ||
	    (strcmp(argv[1], "bash") != 0 && strcmp(argv[1], "zsh") != 0)) {
		fprintf(stderr, "mmbench completion: say bash or zsh (see "
				"mmbench completion --help)\n");
		return MMB_EXIT_USAGE;
	}
	mmb_cli_commands(&n);
	if (!(s = malloc(sizeof(*s)))) {
		fprintf(stderr, "mmbench completion: out of memory\n");
		return MMB_EXIT_FAIL;
	}
	if (build(s, texts) < 0)
		rc = MMB_EXIT_FAIL;
	else if (strcmp(argv[1], "bash") == 0)
		bash(stdout, s);
	else
		zsh(stdout, s);
	for (size_t i = 0; i < MAX_CMDS; i++)
		free(texts[i]);
	free(s);
	return rc;
}
