/* SPDX-License-Identifier: BSD-2-Clause */
/* Forced first into every ARM guest translation unit (-include): every
 * symbol is hidden, so the position-independent image reaches its globals
 * PC-relative with no GOT; only pointers stored in data need relocating. */
#pragma GCC visibility push(hidden)
