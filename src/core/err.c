#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	int status;
	const char *name;
} err_table[ERR__MAX] = {
    [ERR_NONE] = {200, "none"},
    [ERR_VALIDATION] = {400, "validation"},
    [ERR_UNAUTHENTICATED] = {401, "unauthenticated"},
    [ERR_FORBIDDEN] = {403, "forbidden"},
    [ERR_NOT_FOUND] = {404, "not_found"},
    [ERR_METHOD_NOT_ALLOWED] = {405, "method_not_allowed"},
    [ERR_CONFLICT] = {409, "conflict"},
    [ERR_TOO_LARGE] = {413, "too_large"},
    [ERR_UNSUPPORTED_MEDIA] = {415, "unsupported_media_type"},
    [ERR_RATE_LIMITED] = {429, "rate_limited"},
    [ERR_INTERNAL] = {500, "internal"},
    [ERR_UNAVAILABLE] = {503, "unavailable"},
};

static void
copy_str(char *dst, size_t cap, const char *src)
{
	if (!src)
		src = "";
	snprintf(dst, cap, "%s", src);
}

int
err_set(struct err *e, enum err_code code, const char *field, const char *vi, const char *en)
{
	if (!e)
		return -1;
	e->code = code;
	copy_str(e->field, sizeof(e->field), field);
	copy_str(e->message_vi, sizeof(e->message_vi), vi);
	copy_str(e->message_en, sizeof(e->message_en), en);
	e->allowed[0] = '\0';
	return -1;
}

int
err_setf(struct err *e, enum err_code code, const char *field, const char *vi_fmt,
	 const char *en_fmt, ...)
{
	if (!e)
		return -1;
	va_list ap, cp;
	va_start(ap, en_fmt);
	va_copy(cp, ap);
	e->code = code;
	copy_str(e->field, sizeof(e->field), field);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(e->message_vi, sizeof(e->message_vi), vi_fmt, ap);
	vsnprintf(e->message_en, sizeof(e->message_en), en_fmt, cp);
#pragma GCC diagnostic pop
	va_end(cp);
	va_end(ap);
	e->allowed[0] = '\0';
	return -1;
}

void
err_clear(struct err *e)
{
	memset(e, 0, sizeof(*e));
}

int
err_http_status(enum err_code code)
{
	if ((int)code < 0 || code >= ERR__MAX)
		return 500;
	return err_table[code].status;
}

const char *
err_code_name(enum err_code code)
{
	if ((int)code < 0 || code >= ERR__MAX)
		return "internal";
	return err_table[code].name;
}
