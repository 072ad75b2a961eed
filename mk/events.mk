# Benchmarks of event channels and grant copies, natively: the guest's
# layers and the model compiled optimised and without sanitizers (a build
# of their own under $(BUILD)/bench/events-obj), driven in-process through
# tests/lib/native_guest.c. `make bench` runs them; they print figures.
# Their unit and integration tests are built by the top Makefile.

EV_BENCH_DIR  := $(BUILD)/bench/events-obj
EV_BENCH_OPT  := -O2 -g
EV_BENCH_HOST_CFLAGS  := $(CSTD) $(WARN) $(EV_BENCH_OPT) $(HV_INC) $(FDT_CFLAGS)
EV_BENCH_GUEST_CFLAGS := $(CSTD) $(WARN) $(EV_BENCH_OPT) -ffreestanding \
	$(GUEST_INC) $(FDT_CFLAGS)

ev_bench_obj = $(patsubst %.c,$(EV_BENCH_DIR)/%.o,$(1))

EV_BENCH_LIBGUEST := $(EV_BENCH_DIR)/libguest.a
EV_BENCH_LIBHV    := $(EV_BENCH_DIR)/libhv.a
EV_BENCH_HARNESS  := $(call ev_bench_obj,tests/lib/native_guest.c)
EV_BENCHES        := $(BUILD)/bench/bench_evtchn $(BUILD)/bench/bench_gnttab

$(EV_BENCH_DIR)/guest/%.o: guest/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(EV_BENCH_GUEST_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(EV_BENCH_DIR)/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(EV_BENCH_HOST_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(EV_BENCH_LIBGUEST): $(call ev_bench_obj,$(GUEST_HOST_SRCS))
	$(Q)rm -f $@ && ar rcs $@ $^

$(EV_BENCH_LIBHV): $(call ev_bench_obj,$(HV_SRCS))
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/bench/bench_%: $(EV_BENCH_DIR)/bench/bench_%.o $(EV_BENCH_HARNESS) \
		$(EV_BENCH_LIBGUEST) $(EV_BENCH_LIBHV)
	@mkdir -p $(@D)
	$(Q)$(CC) -o $@ $^ $(HOST_LIBS)

BENCH_PROGRAMS += $(EV_BENCHES)
BENCH_DEPS     += $(EV_BENCHES)

# Keep the objects: make would delete them as intermediates.
.SECONDARY: $(call ev_bench_obj,bench/bench_evtchn.c bench/bench_gnttab.c) \
	$(EV_BENCH_HARNESS)
