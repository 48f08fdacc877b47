/*
 * fuzz_validate.c: libFuzzer target for request-body validation, the path every mutating API
 * request takes before its handler: json_parse_object (core/json.h), then validate_object
 * (api/validate.h) against the real route schemas. The schemas are private to routes.c, so
 * they are reached through api_routes[]: the first input byte picks a route that has one,
 * the rest is the body, NUL-terminated as the HTTP layer hands it over.
 *
 * Properties checked (any violation aborts):
 *   - a rejected body is ERR_VALIDATION with a field (an empty key is named "") and
 *     both messages set;
 *   - an accepted body is a fixed point: every string in it is valid UTF-8 and NFC with no
 *     leading or trailing blank, and validating it a second time succeeds unchanged;
 *   - nothing leaks (json_decref; ASan's leak check).
 *
 * fuzz/run.sh builds and runs it with fuzz/corpus/validate/ and fuzz/validate.dict. Alone:
 *   build/fuzz/fuzz_validate -max_total_time=30 -dict=fuzz/validate.dict /tmp/corpus \
 *     fuzz/corpus/validate
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/validate.h"
#include "core/json.h"
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_SCHEMA_ROUTES 64

static int schema_routes[MAX_SCHEMA_ROUTES];
static int nschema_routes;

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "property violated: %s\n", what);
		abort();
	}
}

static void
init(void)
{
	for (int i = 0; i < api_nroutes && nschema_routes < MAX_SCHEMA_ROUTES; i++)
		if (api_routes[i].schema)
			schema_routes[nschema_routes++] = i;
	check(nschema_routes > 0, "no route has a schema");
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Every string an accepted body holds: valid UTF-8, NFC, trimmed. */
static void
check_strings(const json_t *v)
{
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t len = json_string_length(v);
		check(strlen(s) == len, "accepted string holds a NUL");
		check(text_utf8_valid(s, len), "accepted string is not valid UTF-8");
		check(text_is_nfc(s), "accepted string is not NFC");
		/* Text and string references are trimmed; dates and instants are parsed
		 * strictly, which rejects blanks: either way none survives at the ends. */
		check(len == 0 || (!is_blank(s[0]) && !is_blank(s[len - 1])),
		      "accepted string has a leading or trailing blank");
	} else if (json_is_object(v)) {
		const char *k;
		json_t *c;
		json_object_foreach((json_t *)v, k, c) check_strings(c);
	} else if (json_is_array(v)) {
		size_t i;
		json_t *c;
		json_array_foreach(v, i, c) check_strings(c);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!nschema_routes)
		init();
	if (size < 1)
		return 0;
	const struct route *r = &api_routes[schema_routes[data[0] % nschema_routes]];
	size_t len = size - 1;
	/* The HTTP layer hands the body over NUL-terminated, length without the NUL. */
	char *body = malloc(len + 1);
	check(body != NULL, "out of memory");
	memcpy(body, data + 1, len);
	body[len] = '\0';

	struct err e = ERR_INIT;
	json_t *obj = json_parse_object(body, len, &e);
	if (!obj) {
		check(e.code == ERR_VALIDATION, "parse failure is not ERR_VALIDATION");
		check(strcmp(e.field, "body") == 0, "parse failure does not name the body");
		goto out;
	}
	if (validate_object(obj, r->schema, "", &e) < 0) {
		check(e.code == ERR_VALIDATION, "rejection is not ERR_VALIDATION");
		check(e.field[0] != '\0', "rejection names no field");
		check(e.message_en[0] != '\0' && e.message_vi[0] != '\0',
		      "rejection lacks a message");
		check(text_utf8_valid(e.message_vi, strlen(e.message_vi)),
		      "Vietnamese message is not valid UTF-8");
		goto out;
	}
	check_strings(obj);
	/* What validation lets through must pass again, unchanged. */
	json_t *copy = json_deep_copy(obj);
	check(copy != NULL, "out of memory");
	struct err e2 = ERR_INIT;
	check(validate_object(copy, r->schema, "", &e2) == 0, "accepted body fails a second time");
	check(json_equal(obj, copy), "validating an accepted body changed it");
	json_decref(copy);
out:
	json_decref(obj); /* NULL-safe */
	free(body);
	return 0;
}
