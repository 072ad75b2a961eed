# SPDX-License-Identifier: BSD-2-Clause
# xensim --gdb: gdb-multiarch's batch sessions against the arm64 and arm32
# (ARM, Thumb-2) guests, with their ELF files, and one of the tiny guests
# that faults.
CHECK_PROGRAMS += tests/cli/test-gdb.sh
CHECK_DEPS     += $(SAN_XENSIM) $(ARM_IMAGES) $(UCG_ALL)
