# SPDX-License-Identifier: GPL-2.0
# The rules of a host-side C tool of scripts/<dir>/: PROG (<PROG>.c, built
# as $(O)/<PROG>) and LDLIBS are set by the including Makefile.
#
#   make -C scripts/<dir> [O=dir] [WERROR=1]
#
# O defaults to build/<dir>; a relative O is taken from the project's top
# directory, so "make -C scripts/<dir> O=build/x" works from there.  CFLAGS
# may be set freely: the warnings and the C standard are in TOOL_CFLAGS.
TOP := $(abspath $(CURDIR)/../..)
O ?= build/$(notdir $(CURDIR))
override O := $(if $(filter /%,$(O)),$(O),$(TOP)/$(O))
CFLAGS ?= -O2 -g
TOOL_CFLAGS := -std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 \
	-Wstrict-prototypes -Wmissing-prototypes $(if $(WERROR),-Werror)

.PHONY: all clean

all: $(O)/$(PROG)

$(O)/$(PROG): $(PROG).c ../hosttool.h ../hosttool.mk Makefile
	@mkdir -p $(O)
	$(CC) $(TOOL_CFLAGS) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $(PROG).c $(LDLIBS)

clean:
	rm -f $(O)/$(PROG)
