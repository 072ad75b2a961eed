# The command-line test of xensim itself.
CHECK_PROGRAMS += tests/cli/test-cli.sh
CHECK_DEPS     += $(XENSIM)
