# sockscope — plain make.
#
#   make            build libsockscope.a, bin/sockscope and the lab programs
#   make test       build, then run every test (Check suites, end-to-end, sanitizers)
#   make demo       build, then open sockscope on a bundled capture
#   make bench      benchmarks against tcpdump (and termshark where installed)
#   make captures   regenerate captures/*.pcap from the labs (needs root)
#   make install    install into $(DESTDIR)$(PREFIX)
#   make po         update po/sockscope.pot and po/*.po from the sources (po/README.md)
#
# Variables: WERROR=1 (warnings are errors; CI sets it), SAN=1 (AddressSanitizer +
# UndefinedBehaviorSanitizer build under build/san/), V=1 (show commands).

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
WERROR  ?= 0
SAN     ?= 0

CONFIG := build/config.mk

ifeq ($(SAN),1)
  BUILD := build/san
  BIN   := build/san/bin
  OPT   ?= -O1 -g
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
  BUILD := build/plain
  BIN   := bin
  OPT   ?= -O2 -g
  SANFLAGS :=
endif

# Which goals need the libraries: everything but cleaning and help.
NOCONFIG_GOALS := clean distclean help po
ifneq ($(filter-out $(NOCONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
include $(CONFIG)
endif

WARN := -Wall -Wextra -pedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wno-format-nonliteral -Wvla -Wpointer-arith -Wcast-qual
ifeq ($(WERROR),1)
  WARN += -Werror
endif

LOCALEDIR ?= $(PREFIX)/share/locale
CPPFLAGS_ALL := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Icore \
                -DSK_LOCALEDIR='"$(LOCALEDIR)"' $(CPPFLAGS)
CFLAGS_ALL   := -std=c11 $(OPT) $(WARN) $(SANFLAGS) -MMD -MP $(CFLAGS)
LDFLAGS_ALL  := $(SANFLAGS) $(LDFLAGS)

ifeq ($(V),1)
  Q :=
else
  Q := @
endif

# ---------------------------------------------------------------- sources
CORE_SRC := $(sort $(wildcard core/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
TUI_SRC  := $(sort $(wildcard tui/*.c))
LABKIT_SRC := $(sort $(wildcard labs/labkit*.c))
LAB_SRC  := $(sort $(wildcard labs/lab-*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ  := $(TUI_SRC:%.c=$(BUILD)/%.o)
LABKIT_OBJ := $(LABKIT_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o)

LIB       := $(BUILD)/libsockscope.a
SOCKSCOPE := $(BIN)/sockscope
LABS      := $(LAB_SRC:labs/%.c=$(BIN)/%)
UNIT      := $(BUILD)/tests/unit-tests
BENCHES   := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

PO_FILES  := $(wildcard po/*.po)
MO_FILES  := $(PO_FILES:po/%.po=build/locale/%/LC_MESSAGES/sockscope.mo)

.PHONY: all test unit demo bench captures install uninstall clean distclean help \
        san test-deps check-tools po
all: $(LIB) $(SOCKSCOPE) $(LABS) $(MO_FILES)

help:
	@sed -n "3,12p" Makefile | sed 's/^# \{0,1\}//'

$(CONFIG): scripts/configure scripts/install-deps
	@scripts/configure $@

# ---------------------------------------------------------------- compile
$(BUILD)/core/%.o: core/%.c $(CONFIG)
	@mkdir -p $(@D)
	@[ -n "$(Q)" ] && echo "  CC      $<" || true
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(PCAP_CFLAGS) -c $< -o $@

$(BUILD)/cli/%.o: cli/%.c $(CONFIG)
	@mkdir -p $(@D)
	@[ -n "$(Q)" ] && echo "  CC      $<" || true
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(PCAP_CFLAGS) -c $< -o $@

$(BUILD)/tui/%.o: tui/%.c $(CONFIG)
	@mkdir -p $(@D)
	@[ -n "$(Q)" ] && echo "  CC      $<" || true
	$(Q)$(CC) $(CPPFLAGS_ALL) -D_XOPEN_SOURCE_EXTENDED $(CFLAGS_ALL) $(PCAP_CFLAGS) $(CURSES_CFLAGS) -c $< -o $@

$(BUILD)/labs/%.o: labs/%.c $(CONFIG)
	@mkdir -p $(@D)
	@[ -n "$(Q)" ] && echo "  CC      $<" || true
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/tests/%.o: tests/%.c $(CONFIG)
	@mkdir -p $(@D)
	@[ -n "$(Q)" ] && echo "  CC      $<" || true
	$(Q)$(CC) $(CPPFLAGS_ALL) -I$(BUILD)/tests $(CFLAGS_ALL) $(PCAP_CFLAGS) $(CHECK_CFLAGS) -c $< -o $@

# The runner lists every `Suite *name_suite(void)` defined in tests/unit/.
$(BUILD)/tests/suites.inc: $(UNIT_SRC)
	@mkdir -p $(@D)
	$(Q)sed -n 's/^Suite \*\([a-z0-9_]*_suite\)(void)$$/SK_SUITE(\1)/p' $(UNIT_SRC) > $@.tmp && mv $@.tmp $@
$(BUILD)/tests/unit/main.o: $(BUILD)/tests/suites.inc

$(BUILD)/bench/%: bench/%.c $(CONFIG)
	@mkdir -p $(@D)
	@[ -n "$(Q)" ] && echo "  CC      $<" || true
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(PCAP_CFLAGS) $< -o $@ $(LDFLAGS_ALL) $(PCAP_LIBS) -lm

# ---------------------------------------------------------------- link
$(LIB): $(CORE_OBJ)
	@mkdir -p $(@D)
	@[ -n "$(Q)" ] && echo "  AR      $@" || true
	$(Q)rm -f $@ && ar rcs $@ $^

$(SOCKSCOPE): $(CLI_OBJ) $(TUI_OBJ) $(LIB)
	@mkdir -p $(@D)
	@[ -n "$(Q)" ] && echo "  LD      $@" || true
	$(Q)$(CC) $(LDFLAGS_ALL) $(CLI_OBJ) $(TUI_OBJ) $(LIB) -o $@ $(PCAP_LIBS) $(CURSES_LIBS) -lpthread -lm

$(BIN)/lab-%: $(BUILD)/labs/lab-%.o $(LABKIT_OBJ)
	@mkdir -p $(@D)
	@[ -n "$(Q)" ] && echo "  LD      $@" || true
	$(Q)$(CC) $(LDFLAGS_ALL) $^ -o $@

$(UNIT): $(UNIT_OBJ) $(LIB)
	@mkdir -p $(@D)
	@[ -n "$(Q)" ] && echo "  LD      $@" || true
	$(Q)$(CC) $(LDFLAGS_ALL) $(UNIT_OBJ) $(LIB) -o $@ $(CHECK_LIBS) $(PCAP_LIBS) -lpthread -lm

build/locale/%/LC_MESSAGES/sockscope.mo: po/%.po
	@mkdir -p $(@D)
	@[ -n "$(Q)" ] && echo "  MSGFMT  $<" || true
	$(Q)msgfmt --check -o $@ $<

# Where the catalogues are installed is compiled in: rebuild what uses it when
# LOCALEDIR (or PREFIX) changes between a build and `make install`.
LOCALEDIR_STAMP := $(BUILD)/localedir
$(LOCALEDIR_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(LOCALEDIR)' | cmp -s - $@ 2>/dev/null || echo '$(LOCALEDIR)' > $@
$(BUILD)/core/i18n.o $(BUILD)/labs/labkit.o: $(LOCALEDIR_STAMP)
.PHONY: FORCE
FORCE:

# ---------------------------------------------------------------- goals
unit: $(UNIT)
	$(UNIT)

san:
	$(Q)$(MAKE) --no-print-directory SAN=1 all build/san/tests/unit-tests

# Tools the end-to-end tests use (tmux, tcpdump, tshark, nc, socat, ip, tc).
test-deps:
	@scripts/install-deps --check test 2>/dev/null || { \
	  echo "make test: installing the tools the tests use (scripts/install-deps test)"; \
	  scripts/install-deps test; }

test: test-deps all $(UNIT)
	$(Q)$(MAKE) --no-print-directory SAN=1 all build/san/tests/unit-tests
	$(Q)tests/run

demo: all
	@scripts/demo

bench: all $(BENCHES)
	@scripts/install-deps --check bench 2>/dev/null || { \
	  echo "make bench: installing the peer tools it measures against (scripts/install-deps bench)"; \
	  scripts/install-deps bench || true; }
	$(Q)bench/run

captures: all
	$(Q)scripts/make-captures

po:
	$(Q)scripts/update-po

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(SOCKSCOPE) $(LABS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 docs/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	@for mo in $(MO_FILES); do \
	  lang=$$(echo $$mo | cut -d/ -f3); \
	  install -d $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES; \
	  install -m 644 $$mo $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/sockscope.mo; \
	done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/sockscope $(LABS:$(BIN)/%=$(DESTDIR)$(PREFIX)/bin/%)
	rm -f $(patsubst docs/man/%,$(DESTDIR)$(PREFIX)/share/man/man1/%,$(wildcard docs/man/*.1))
	rm -f $(DESTDIR)$(LOCALEDIR)/*/LC_MESSAGES/sockscope.mo

clean:
	rm -rf build/plain build/san build/locale build/tests bin

distclean: clean
	rm -rf build

# Objects built through pattern rules are kept, not deleted as intermediates.
.SECONDARY:

-include $(CORE_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TUI_OBJ:.o=.d) $(LABKIT_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
-include $(LAB_SRC:labs/%.c=$(BUILD)/labs/%.d)
