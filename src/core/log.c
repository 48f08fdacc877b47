#include "core/log.h"
#include "core/civil.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int log_fd = 2;
static enum log_level log_min = LOG_INFO;
static const char *level_names[LOG__MAX] = {"debug", "info", "warn", "error"};

int
log_open(const char *path)
{
	if (!path || strcmp(path, "-") == 0) {
		log_fd = 2;
		return 0;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (fd < 0)
		return -1;
	log_fd = fd;
	return 0;
}

void
log_set_level(enum log_level lv)
{
	log_min = lv;
}

int
log_begin(struct buf *b, enum log_level lv, const char *event)
{
	if (lv < log_min)
		return -1;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	char when[32];
	civil_format_rfc3339(ts.tv_sec, when);
	/* insert milliseconds before the offset: 2026-01-01T07:00:00.123+07:00 */
	buf_addf(b, "{\"ts\":\"%.19s.%03ld%s\",\"level\":\"%s\",\"event\":", when,
		 ts.tv_nsec / 1000000, when + 19, level_names[lv]);
	buf_add_json_str(b, event);
	return 0;
}

void
log_end(struct buf *b)
{
	buf_adds(b, "}\n");
	if (b->overflow) {
		buf_reset(b);
		buf_adds(b, "{\"level\":\"error\",\"event\":\"log_line_too_long\"}\n");
	}
	ssize_t n = write(log_fd, b->data, b->len);
	(void)n;
	buf_release(b);
}

void
log_event(enum log_level lv, const char *event, ...)
{
	struct buf b = BUF_INIT(16384);
	if (log_begin(&b, lv, event) < 0)
		return;
	va_list ap;
	va_start(ap, event);
	const char *k;
	while ((k = va_arg(ap, const char *)) != NULL) {
		const char *v = va_arg(ap, const char *);
		buf_addc(&b, ',');
		buf_add_json_str(&b, k);
		buf_addc(&b, ':');
		buf_add_json_str(&b, v);
	}
	va_end(ap);
	log_end(&b);
}
