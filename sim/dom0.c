/* SPDX-License-Identifier: BSD-2-Clause */
/* dom0's side of a run: the model's dom0 domain, xenstored on the guest's
 * ring (and, on request, on a unix socket for Debian's xenstore tools),
 * the battery's test backend, the config's disks and channels, and when
 * dom0 gets to run. With seed 0 dom0 answers right after each hypercall;
 * another seed postpones it at random points, always the same ones for
 * the same seed, so a driver meets other interleavings. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <xen/errno.h>

#include "hv/errno_name.h"
#include "hv/events.h"
#include "file.h"
#include "hv/hypercall.h"
#include "hv/xs.h"
#include "hv/xs_uv.h"
#include "console.h"
#include "sim_internal.h"

#define DOM0_RAM_BYTES (1u << 20)

static void xs_log(void *opaque, enum hv_xs_log_level level, const char *msg)
{
	struct sim *s = opaque;

	hv_log(s->machine, level <= HV_XS_LOG_WARN ? HV_LOG_WARN : HV_LOG_DEBUG,
	       "xenstored: %s", msg);
}

uv_loop_t *sim_dom0_loop(struct sim *s)
{
	if (s->loop)
		return s->loop;
	s->loop = malloc(sizeof(*s->loop));
	if (!s->loop || uv_loop_init(s->loop)) {
		free(s->loop);
		s->loop = NULL;
	}
	return s->loop;
}

static int start_socket(struct sim *s)
{
	int rc;

	if (!sim_dom0_loop(s))
		return -XEN_ENOMEM;
	/* A client that goes away mid-reply must not kill the simulator. */
	signal(SIGPIPE, SIG_IGN);
	rc = hv_xs_uv_listen(s->xs, s->loop, s->cfg->xenstore_socket,
			     &s->xs_server);
	if (rc) {
		char why[600];

		/* Xen's numbers for these are the host's; a missing directory
		 * may come back as EACCES (libuv's bind), so look at the path. */
		if (rc == -XEN_EADDRINUSE)
			snprintf(why, sizeof(why), "a live socket: another "
				 "program is listening on it");
		else if (rc == -XEN_ENOENT || rc == -XEN_EACCES ||
			 rc == -XEN_ENOTDIR)
			sim_path_error(s->cfg->xenstore_socket,
				       rc == -XEN_ENOENT ? ENOENT :
				       rc == -XEN_EACCES ? EACCES : ENOTDIR,
				       why, sizeof(why));
		else
			snprintf(why, sizeof(why), "%s", hv_errno_name(rc));
		sim_fail(s, SIM_SETUP_ERROR, "cannot listen on %s: %s",
			 s->cfg->xenstore_socket, why);
	}
	return rc;
}

static int start_xenstore(struct sim *s)
{
	struct hv_xs_config xc;
	int rc;

	if (s->borrowed)
		goto connect;
	hv_xs_config_default(&xc);
	xc.log = xs_log;
	xc.request_done = hv_events_xs_request_done;
	xc.request_opaque = s->machine;
	xc.log_opaque = s;
	xc.log_level = HV_XS_LOG_DEBUG;
	if (s->cfg->faults & 1u << HV_FAULT_XS_EAGAIN) {
		xc.txn_end_fault = sim_fault_txn_end;
		xc.fault_opaque = s;
	}
	s->xs = hv_xs_new(&xc);
	if (!s->xs) {
		sim_fail(s, SIM_SETUP_ERROR, "out of memory for xenstored");
		return -XEN_ENOMEM;
	}
connect:
	rc = hv_xs_link_connect(&s->xs_link, s->xs, s->dom0, s->domain);
	if (rc) {
		sim_fail(s, SIM_SETUP_ERROR, "cannot connect d%u to xenstore: "
			 "%d", s->domain->domid, rc);
		return rc;
	}
	rc = hv_testback_create(&s->testback, s->xs, s->dom0, s->domain);
	if (rc)
		sim_fail(s, SIM_SETUP_ERROR, "cannot create the test device: %d",
			 rc);
	return rc;
}

/* The first console: its ring needs no xenstore, only dom0. */
static int start_console(struct sim *s)
{
	int rc = hv_console_link_connect(&s->console_link, s->dom0, s->domain,
					 s->xs);

	if (rc)
		sim_fail(s, SIM_SETUP_ERROR, "cannot give d%u its console: %d",
			 s->domain->domid, rc);
	return rc;
}

int sim_dom0_setup(struct sim *s)
{
	struct hv_domain_config dc = {
		.name = "Domain-0", .domid = 0, .ram_bytes = DOM0_RAM_BYTES,
		.nr_vcpus = 1, .privileged = true, .is_console = true,
	};
	int rc;

	s->rng = s->cfg->seed;
	rc = s->borrowed ? 0 : hv_domain_create(s->machine, &dc, &s->dom0);
	if (rc) {
		sim_fail(s, SIM_SETUP_ERROR, "cannot create dom0: %d", rc);
		return rc;
	}
	if (s->cfg->no_xenstore && s->cfg->xenstore_socket) {
		sim_fail(s, SIM_SETUP_ERROR, "--xenstore-socket needs xenstore "
			 "(drop --no-xenstore)");
		return -XEN_EINVAL;
	}
	if (s->cfg->no_xenstore && s->cfg->n_disks) {
		sim_fail(s, SIM_SETUP_ERROR, "disk: PV disks need xenstore "
			 "(drop --no-xenstore)");
		return -XEN_EINVAL;
	}
	if (!s->cfg->no_xenstore && (rc = start_xenstore(s)))
		return rc;
	if (s->cfg->no_xenstore && s->cfg->n_vifs) {
		sim_fail(s, SIM_SETUP_ERROR, "vif: PV network devices need "
			 "xenstore (drop --no-xenstore)");
		return -XEN_EINVAL;
	}
	if (!s->borrowed) {
		hv_netswitch_init(&s->own_sw, "xensim0");
		s->sw = &s->own_sw;
		if (sim_pcaps_setup(s) ||
		    (s->cfg->net_socket && sim_tunnel_open(s)))
			return -XEN_EINVAL;
	}
	if ((rc = sim_disks_setup(s)) || (rc = sim_vifs_setup(s)))
		return rc;
	if ((rc = start_console(s)) || (rc = sim_console_start(s)))
		return rc ? rc : -XEN_EINVAL;
	if ((rc = sim_channels_setup(s)))
		return rc;
	return s->cfg->xenstore_socket && !s->borrowed ? start_socket(s) : 0;
}

void sim_dom0_release(struct sim *s)
{
	if (s->released)
		return;
	s->released = true;
	/* Its toolstack asks nothing more of a domain that stopped. */
	sim_suspend_toolstack_stop(s);
	sim_vifs_teardown(s);
	sim_disks_teardown(s);
	hv_testback_destroy(&s->testback);
	hv_xs_link_disconnect(&s->xs_link);
}

void sim_dom0_teardown(struct sim *s)
{
	sim_suspend_toolstack_stop(s);
	/* The ring's last output goes to the console before it closes. */
	hv_console_link_disconnect(&s->console_link);
	sim_console_stop(s);
	sim_channels_teardown(s);
	if (s->borrowed) {
		sim_dom0_release(s);
		s->xs = NULL;
		s->loop = NULL;
		return;
	}
	if (s->xs_server) {
		hv_xs_uv_close(s->xs_server);
		s->xs_server = NULL;
	}
	if (s->loop) {
		/* Let the closing handles finish before the loop goes. */
		uv_run(s->loop, UV_RUN_DEFAULT);
		uv_loop_close(s->loop);
		free(s->loop);
		s->loop = NULL;
	}
	sim_vifs_teardown(s);
	sim_tunnel_close(s);
	sim_pcaps_teardown(s);
	sim_disks_teardown(s);
	hv_testback_destroy(&s->testback);
	hv_xs_link_disconnect(&s->xs_link);
	if (s->xs)
		hv_xs_free(s->xs);
	s->xs = NULL;
}

/* What dom0 serves one domain. */
static bool domain_work(struct sim *s)
{
	bool did = hv_console_link_run(&s->console_link);

	did |= sim_channels_work(s);
	if (s->released)
		return did;
	did |= hv_xs_link_run(&s->xs_link);
	did |= hv_testback_run(&s->testback);
	did |= sim_disks_work(s);
	did |= sim_vifs_work(s);
	did |= sim_suspend_toolstack_work(s);
	return did;
}

bool sim_dom0_work(struct sim *s)
{
	bool did = false;

	if (s->world)
		did = sim_world_each_domain(s->world, domain_work);
	else
		did = domain_work(s);
	if (s->borrowed)
		s = sim_world_first(s->world);
	if (s->cfg->dom0_extra)
		did |= s->cfg->dom0_extra(s->cfg->dom0_extra_ctx);

	if (s->loop)
		did |= uv_run(s->loop, UV_RUN_NOWAIT) != 0;
	return did;
}

bool sim_dom0_wait_external(struct sim *s)
{
	/* Console input that came meanwhile is the guest's now. */
	if (sim_console_deliver(s))
		return true;
	/* A guest whose disk was detached may wait for the attach. */
	if (!s->xs_server && !sim_console_may_get_input(s) &&
	    !(s->control && s->disks_detached))
		return false;
	uv_run(s->loop, UV_RUN_ONCE);
	if (!sim_signals_check(s)) {
		sim_console_deliver(s);
		sim_dom0_work(s);
	}
	return true;
}

/* xorshift64: the seed's sequence of "does dom0 run now?" answers; one
 * sequence for the whole run, the first domain's. */
bool sim_coin(struct sim *s)
{
	if (s->borrowed)
		s = sim_world_first(s->world);
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng & 1;
}

static bool dom0_runs_now(struct sim *s)
{
	return s->cfg->seed == 0 || sim_coin(s);
}

void sim_yield(struct sim *s)
{
	if (dom0_runs_now(s))
		sim_dom0_work(s);
}

long sim_hypercall(struct sim *s, struct hv_vcpu *v, uint64_t op,
		   const uint64_t arg[5])
{
	long rc = sim_resume_if_suspended(s, hv_hypercall(v, op, arg));

	s->hypercalls++;
	s->idle_wakes = 0;
	if (dom0_runs_now(s) && !sim_fault_skip_turn(s))
		sim_dom0_work(s);
	if (s->world)
		sim_world_after_hypercall(s);
	if (s->smp)
		sim_smp_after_hypercall(s);
	sim_signals_check(s);
	return rc;
}
