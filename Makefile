# motcua — build, run and test. `make run` and `make test` are the two commands a newcomer
# needs; see README.md.

CC       ?= cc
PKGS     := libmicrohttpd jansson libutf8proc sqlite3 libpq libsodium libcurl libzip expat \
            pangocairo cairo libqrencode fontconfig xlsxwriter zlib
B        ?= build
MODE     ?= release

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN     := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter \
            -Wformat=2 -Wno-format-nonliteral
CPPFLAGS := -D_GNU_SOURCE -Isrc -I$(B)/gen -include src/core/banned.h -MMD -MP
CFLAGS   := -std=c11 $(WARN) $(PKG_CFLAGS) -pthread
ifeq ($(MODE),asan)
CFLAGS   += -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
else
CFLAGS   += -O2 -g
endif
LDLIBS   := $(PKG_LIBS) -lcmocka -lpthread -lm

SRCS     := $(shell find src -name '*.c' | sort)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/obj/%.o) $(B)/obj/gen/embedded.o
TESTS    := $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))
# Everything the binary carries: migrations, the OpenAPI document, law as data, the web UI.
EMBED    := $(sort $(wildcard src/store/migrations/*.sql) docs/api/openapi.yaml \
              $(shell find data web -type f 2>/dev/null | grep -v '/\.' | sort))

.PHONY: all run test unit bench fuzz clean format lint deps
all: $(B)/motcua

deps:
	@scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p var
	@$(B)/motcua serve --demo-if-empty

$(B)/motcua: $(B)/obj/src/main.o $(B)/libmotcua.a
	@echo "  LD    $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/libmotcua.a: $(LIB_OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	@$(CC) -std=c11 -O2 -Wall -Wextra -Werror -o $@ $<

$(B)/gen/embedded.c: $(B)/tools/embed $(EMBED) Makefile
	@mkdir -p $(dir $@)
	@$(B)/tools/embed $@ $(EMBED)

$(B)/obj/gen/embedded.o: $(B)/gen/embedded.c
	@mkdir -p $(dir $@)
	@$(CC) -std=c11 -O0 -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(B)/libmotcua.a
	@mkdir -p $(dir $@)
	@echo "  TEST  $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libmotcua.a $(LDLIBS)

# The test build: AddressSanitizer and UndefinedBehaviorSanitizer, then every test.
test: deps
	@$(MAKE) --no-print-directory B=build/asan MODE=asan build/asan/motcua unit
	@tests/run.sh build/asan

unit: $(TESTS)

bench: deps
	@$(MAKE) --no-print-directory all
	@bench/run.sh $(B)
	@bench/search.sh $(B)
	@bench/dossiers.sh $(B)
	@bench/clock.sh $(B)
	@bench/forms.sh $(B)
	@bench/stats.sh $(B)

fuzz: deps
	@fuzz/run.sh

format:
	clang-format -i $(SRCS) $(wildcard src/*/*.h tests/unit/*.c fuzz/*.c bench/*.c tools/*.c)

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr --suppress=missingIncludeSystem -Isrc $(SRCS) \
	  --suppress=varFuncNullUB # log_event's sentinel: glibc's NULL is ((void *)0) in C

clean:
	rm -rf build

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
