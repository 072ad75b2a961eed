# SPDX-License-Identifier: BSD-2-Clause
# Progress lines for long runs (make bench, make fuzz), on stderr: done
# out of total, the rate and the time left at that rate. Wall time is used
# for the display only, never for a result. Sourced:
#   progress_start TOTAL LABEL UNIT   then   progress_show DONE [NOTE]
progress_start() {
	progress_total=$1
	progress_label=$2
	progress_unit=$3
	progress_t0=$(date +%s)
}

progress_show() {
	now=$(date +%s)
	awk -v done="$1" -v total="$progress_total" -v spent=$((now - progress_t0)) \
	    -v label="$progress_label" -v unit="$progress_unit" -v note="${2:-}" '
	BEGIN {
		rate = spent > 0 ? done / spent : 0
		left = rate > 0 ? (total - done) / rate : 0
		eta = rate > 0 ? sprintf("about %d s left", left) : "time left not known yet"
		printf "%s: %d/%d %s, %.2f/min, %d s so far, %s%s\n",
		       label, done, total, unit, rate * 60, spent, eta,
		       note == "" ? "" : " (" note ")"
	}' >&2
}

# progress_batches JOBS LABEL NOTE FUNCTION TARGET...: runs FUNCTION TARGET
# in the background for each target, JOBS at a time in the order given,
# with a progress line after each batch; returns when all have ended.
progress_batches() {
	batch_jobs=$1
	batch_note=$3
	batch_run=$4
	progress_start $(($# - 4)) "$2" targets
	shift 4
	batch_running=0
	batch_done=0
	for batch_target in "$@"; do
		"$batch_run" "$batch_target" &
		batch_running=$((batch_running + 1))
		if [ "$batch_running" -ge "$batch_jobs" ]; then
			wait
			batch_done=$((batch_done + batch_running))
			batch_running=0
			progress_show "$batch_done" "$batch_note"
		fi
	done
	wait
}
