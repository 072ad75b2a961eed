/* SPDX-License-Identifier: BSD-2-Clause */
/* Xen's debug keys in a run (sim/keys.c) and the control socket that
 * `xensim debug-keys` talks to (sim/control.c). */
#ifndef SIM_KEYS_H
#define SIM_KEYS_H

#include <stdbool.h>
#include <stddef.h>

struct sim;

/* What keys printed, for a control-socket client. */
struct sim_keys_out {
	char *text;
	size_t len, cap;
	bool failed;                 /* out of memory: text is cut short */
};

/* Take the Ctrl-a switches and, while the input is Xen's, the keys out of
 * the first console's input buf[0..len); what is left for the guest is
 * moved to the front: returns its length. */
size_t sim_keys_filter(struct sim *s, char *buf, size_t len);

/* Run n keys on the machine (those without a handler do nothing); their
 * lines go to the console as always and, if out, into out too. */
void sim_keys_run(struct sim *s, const char *keys, size_t n,
		  struct sim_keys_out *out);
void sim_keys_out_free(struct sim_keys_out *out);

/* --control PATH: listen there for `xensim debug-keys`; 0 or -1 with the
 * run failed (message set). Closed by sim_control_close. */
int sim_control_open(struct sim *s, const char *path);
/* Answer a client that sent its keys: run them now and send back what
 * they printed. Called where console input is handed over. */
void sim_control_serve(struct sim *s);
void sim_control_close(struct sim *s);

/* `xensim debug-keys --control PATH KEYS`: exit status. */
int sim_debug_keys_main(int argc, char **argv);
/* `xensim block-detach|block-attach --control PATH ARG`: argv[0] names
 * the command; exit status. */
int sim_block_main(int argc, char **argv);

#endif
