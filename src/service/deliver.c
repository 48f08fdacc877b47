/*
 * deliver.c: SMTP and webhook delivery through libcurl (see deliver.h).
 *
 * Mail is sent as text/plain UTF-8 in base64, so no line of the body depends on the server
 * supporting 8BITMIME and no line can begin with a dot; the subject is RFC 2047 encoded
 * words of at most 75 characters, folded, each ending on a whole UTF-8 character.
 */
#include "service/deliver.h"
#include "core/text.h"
#include "core/civil.h"
#include "crypto/crypto.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAIL_MAX (256 * 1024)

struct deliver {
	CURL *mail, *hook;
	char *smtp_url;
	const atomic_int *stop;
	char errbuf[CURL_ERROR_SIZE];
};

int
deliver_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void
deliver_global_cleanup(void)
{
	curl_global_cleanup();
}

struct deliver *
deliver_new(const char *smtp_url, const atomic_int *stop)
{
	struct deliver *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->stop = stop;
	d->mail = curl_easy_init();
	d->hook = curl_easy_init();
	if (smtp_url)
		d->smtp_url = strdup(smtp_url);
	if (!d->mail || !d->hook || (smtp_url && !d->smtp_url)) {
		deliver_free(d);
		return NULL;
	}
	return d;
}

void
deliver_free(struct deliver *d)
{
	if (!d)
		return;
	if (d->mail)
		curl_easy_cleanup(d->mail);
	if (d->hook)
		curl_easy_cleanup(d->hook);
	free(d->smtp_url);
	free(d);
}

static const char *const wdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Subject: one encoded word per 39 bytes (52 base64 characters, 64 with the markers, so the
 * first line "Subject: =?UTF-8?B?...?=" is 73 characters: RFC 2047 section 2 allows 76),
 * never splitting a UTF-8 sequence; the next words on folded lines. */
static void
add_subject(struct buf *b, const char *s)
{
	size_t n = strlen(s), i = 0;
	buf_adds(b, "Subject:");
	if (n == 0)
		buf_adds(b, " ");
	while (i < n) {
		size_t take = n - i > 39 ? 39 : n - i;
		while (take > 1 && i + take < n && ((unsigned char)s[i + take] & 0xC0) == 0x80)
			take--;
		char enc[CRYPTO_BASE64_LEN(39)];
		crypto_base64(s + i, take, enc);
		buf_addf(b, "%s=?UTF-8?B?%s?=", i ? "\r\n " : " ", enc);
		i += take;
	}
	buf_adds(b, "\r\n");
}

/* The body in canonical form (CRLF line ends), base64 in lines of 76 characters. */
static int
add_body(struct buf *b, const char *text)
{
	struct buf crlf = BUF_INIT(MAIL_MAX);
	for (const char *p = text; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n')
			buf_addc(&crlf, '\r');
		buf_addc(&crlf, *p);
	}
	buf_adds(&crlf, "\r\n");
	if (crlf.overflow) {
		buf_release(&crlf);
		return -1;
	}
	for (size_t i = 0; i < crlf.len; i += 57) {
		size_t take = crlf.len - i > 57 ? 57 : crlf.len - i;
		char line[CRYPTO_BASE64_LEN(57)];
		crypto_base64(crlf.data + i, take, line);
		buf_addf(b, "%s\r\n", line);
	}
	buf_release(&crlf);
	return 0;
}

int
deliver_format_mail(const struct deliver_mail *m, struct buf *out)
{
	if (!text_email_ok(m->from) || !text_email_ok(m->to))
		return -1;
	struct civil t;
	civil_from_epoch(m->date, &t);
	char rnd[CRYPTO_TOKEN_LEN + 1];
	crypto_token(rnd);
	rnd[16] = '\0';
	buf_addf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0700\r\n", wdays[t.wday], t.day,
		 months[t.month - 1], t.year, t.hour, t.minute, t.second);
	buf_addf(out, "From: %s\r\nTo: %s\r\n", m->from, m->to);
	add_subject(out, m->subject ? m->subject : "");
	buf_addf(out, "Message-ID: <%s.%s@%s>\r\n", m->message_tag ? m->message_tag : "motcua", rnd,
		 strchr(m->from, '@') + 1);
	buf_adds(out, "MIME-Version: 1.0\r\n"
		      "Content-Type: text/plain; charset=UTF-8\r\n"
		      "Content-Transfer-Encoding: base64\r\n"
		      "Auto-Submitted: auto-generated\r\n"
		      "\r\n");
	if (add_body(out, m->body ? m->body : "") < 0)
		return -1;
	return out->overflow ? -1 : 0;
}

/* ---- libcurl ---- */

static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	const atomic_int *stop = arg;
	return stop && atomic_load(stop) ? 1 : 0;
}

struct reader {
	const char *data;
	size_t len, off;
};

static size_t
on_read(char *to, size_t size, size_t nitems, void *arg)
{
	struct reader *r = arg;
	size_t room = size * nitems, left = r->len - r->off;
	size_t n = left < room ? left : room;
	memcpy(to, r->data + r->off, n);
	r->off += n;
	return n;
}

static size_t
on_write(char *data, size_t size, size_t nmemb, void *arg)
{
	return size * nmemb; /* the receiver's answer is not kept */
}

static void
common_options(struct deliver *d, CURL *h)
{
	d->errbuf[0] = '\0';
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, d->errbuf);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)d->stop);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
}

static enum deliver_result
curl_failure(struct deliver *d, CURLcode rc, char *err)
{
	if (rc == CURLE_ABORTED_BY_CALLBACK)
		return DELIVER_ABORTED;
	snprintf(err, DELIVER_ERR_MAX, "%.100s%s%.130s", curl_easy_strerror(rc),
		 d->errbuf[0] ? ": " : "", d->errbuf);
	return DELIVER_RETRY;
}

enum deliver_result
deliver_mail(struct deliver *d, const struct deliver_mail *m, char *err)
{
	if (!d->smtp_url) {
		snprintf(err, DELIVER_ERR_MAX, "no SMTP server configured");
		return DELIVER_RETRY;
	}
	struct buf msg = BUF_INIT(MAIL_MAX * 2);
	if (deliver_format_mail(m, &msg) < 0) {
		buf_release(&msg);
		snprintf(err, DELIVER_ERR_MAX, "invalid address or message too large");
		return DELIVER_PERMANENT;
	}
	char from[300], to[300];
	snprintf(from, sizeof(from), "<%s>", m->from);
	snprintf(to, sizeof(to), "<%s>", m->to);
	struct curl_slist *rcpt = curl_slist_append(NULL, to);
	struct reader r = {msg.data, msg.len, 0};
	CURL *h = d->mail;
	curl_easy_reset(h);
	common_options(d, h);
	curl_easy_setopt(h, CURLOPT_URL, d->smtp_url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &r);
	curl_easy_setopt(h, CURLOPT_INFILESIZE, (long)msg.len);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)DELIVER_MAIL_TIMEOUT);
	CURLcode rc = curl_easy_perform(h);
	enum deliver_result out = DELIVER_OK;
	if (rc != CURLE_OK) {
		long code = 0;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		out = curl_failure(d, rc, err);
		/* 5xx: the server refuses for good (no such mailbox, policy); 4xx: later */
		if (out == DELIVER_RETRY && code >= 500 && code < 600) {
			out = DELIVER_PERMANENT;
			size_t len = strlen(err);
			snprintf(err + len, DELIVER_ERR_MAX - len, " (SMTP %ld)", code);
		}
	}
	curl_slist_free_all(rcpt);
	buf_release(&msg);
	return out;
}

enum deliver_result
deliver_hook(struct deliver *d, const struct deliver_hook *hk, char *err)
{
	if (!hk->url || (strncmp(hk->url, "http://", 7) && strncmp(hk->url, "https://", 8))) {
		snprintf(err, DELIVER_ERR_MAX, "not an http(s) URL");
		return DELIVER_PERMANENT;
	}
	size_t len = strlen(hk->body);
	char mac[CRYPTO_SHA256_HEX];
	crypto_hmac_sha256_hex(hk->secret, strlen(hk->secret), hk->body, len, mac);
	char sig[100], event[120], delivery[64];
	snprintf(sig, sizeof(sig), "X-Motcua-Signature: sha256=%s", mac);
	snprintf(event, sizeof(event), "X-Motcua-Event: %s", hk->event ? hk->event : "");
	snprintf(delivery, sizeof(delivery), "X-Motcua-Delivery: %" PRId64, hk->delivery);
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json; "
							 "charset=utf-8");
	hdr = curl_slist_append(hdr, sig);
	hdr = curl_slist_append(hdr, event);
	hdr = curl_slist_append(hdr, delivery);
	hdr = curl_slist_append(hdr, "Expect:"); /* no 100-continue round trip */
	CURL *h = d->hook;
	curl_easy_reset(h);
	common_options(d, h);
	curl_easy_setopt(h, CURLOPT_URL, hk->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(h, CURLOPT_USERAGENT, "motcua/0.1");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, hk->body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)DELIVER_HOOK_TIMEOUT);
	CURLcode rc = curl_easy_perform(h);
	enum deliver_result out = DELIVER_OK;
	if (rc != CURLE_OK) {
		out = curl_failure(d, rc, err);
	} else {
		long code = 0;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		if (code < 200 || code > 299) {
			snprintf(err, DELIVER_ERR_MAX, "HTTP %ld", code);
			out = DELIVER_RETRY;
		}
	}
	curl_slist_free_all(hdr);
	return out;
}
