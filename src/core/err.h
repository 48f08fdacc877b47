/*
 * err.h: the one error type that reaches a user. A service fills a struct err and returns -1;
 * the API layer turns it into the JSON body of api.md with the HTTP status from one table
 * (err_http_status). Messages are written in both Vietnamese and English, short, as
 * PostgreSQL's error style guide asks: a primary message, no trailing period.
 */
#ifndef MOTCUA_ERR_H
#define MOTCUA_ERR_H

enum err_code {
	ERR_NONE = 0,
	ERR_VALIDATION,		/* 400 */
	ERR_UNAUTHENTICATED,	/* 401 */
	ERR_FORBIDDEN,		/* 403 */
	ERR_NOT_FOUND,		/* 404 */
	ERR_METHOD_NOT_ALLOWED, /* 405 */
	ERR_CONFLICT,		/* 409 */
	ERR_TOO_LARGE,		/* 413 */
	ERR_UNSUPPORTED_MEDIA,	/* 415 */
	ERR_RATE_LIMITED,	/* 429 */
	ERR_INTERNAL,		/* 500 */
	ERR_UNAVAILABLE,	/* 503 */
	ERR__MAX
};

struct err {
	enum err_code code;
	char field[96];	      /* the request field at fault, "" when none */
	char message_vi[384]; /* Vietnamese, NFC */
	char message_en[256];
	char allowed[256]; /* for conflicts: space-separated allowed actions, else "" */
};

#define ERR_INIT                                                                                   \
	{                                                                                          \
		ERR_NONE, "", "", "", ""                                                           \
	}

/* err_set: fill e (which may be NULL) and return -1, so `return err_set(...)` reads well. */
int err_set(struct err *e, enum err_code code, const char *field, const char *vi, const char *en);
/* err_setf: as err_set with printf-style formats; both formats take the same arguments. */
int err_setf(struct err *e, enum err_code code, const char *field, const char *vi_fmt,
	     const char *en_fmt, ...);
/* err_clear: back to ERR_NONE. */
void err_clear(struct err *e);

/* err_http_status: the HTTP status for a code (500 for anything unknown). */
int err_http_status(enum err_code code);
/* err_code_name: the machine-readable code of api.md ("validation", "not_found", ...). */
const char *err_code_name(enum err_code code);

#endif
