/* SPDX-License-Identifier: BSD-2-Clause */
/* Compiled with -include <one header>: proves the header stands alone. */
typedef int abi_header_tu_not_empty;
