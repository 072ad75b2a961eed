# SPDX-License-Identifier: BSD-2-Clause
# The judges of test results judged: scripts/run-tests.sh and
# tests/results/battery.sh fed fake programs and transcripts.
CHECK_PROGRAMS += tests/results/test-runner.sh
