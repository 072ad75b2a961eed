/* SPDX-License-Identifier: BSD-2-Clause */
/* xensim sim: seeded fault runs of the guest's block workload (see
 * sim/simcmd.c). */
#ifndef SIM_SIMCMD_H
#define SIM_SIMCMD_H

/* argv[0] is "sim"; returns the process exit code. */
int sim_cmd_main(int argc, char **argv);

#endif
