/* The checks of the battery, one function each. */
#ifndef SELFTEST_CHECKS_H
#define SELFTEST_CHECKS_H

#include "selftest.h"

void check_xen_version(struct selftest_ctx *ctx);
void check_xen_version_strings(struct selftest_ctx *ctx);
void check_xen_features(struct selftest_ctx *ctx);
void check_console_io(struct selftest_ctx *ctx);
void check_shared_info(struct selftest_ctx *ctx);
void check_device_tree(struct selftest_ctx *ctx);
void check_hvm_params(struct selftest_ctx *ctx);
void check_bad_pointer(struct selftest_ctx *ctx);
void check_unknown_hypercall(struct selftest_ctx *ctx);
void check_debug_hypercalls(struct selftest_ctx *ctx);

#endif
