#include "core/text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int
text_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned char c = p[i];
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0 || cp < 0)
			return 0;
		i += (size_t)n;
	}
	return 1;
}

size_t
text_utf8_len(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			n++;
	return n;
}

int
text_is_nfc(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0x80)
			goto slow;
	return 1; /* ASCII is NFC */
slow:;
	utf8proc_uint8_t *n = utf8proc_NFC((const utf8proc_uint8_t *)s);
	if (!n)
		return 0;
	int same = strcmp((const char *)n, s) == 0;
	free(n);
	return same;
}

int
text_nfc(const char *s, struct buf *out)
{
	if (!text_utf8_valid(s, strlen(s)))
		return -1;
	utf8proc_uint8_t *n = utf8proc_NFC((const utf8proc_uint8_t *)s);
	if (!n)
		return -1;
	int rc = buf_adds(out, (const char *)n);
	free(n);
	return rc;
}

int
text_fold(const char *s, struct buf *out)
{
	utf8proc_uint8_t *d = NULL;
	/* Decompose, drop combining marks, fold case: á → a, Ừ → u. đ has no decomposition. */
	utf8proc_ssize_t n =
	    utf8proc_map((const utf8proc_uint8_t *)s, 0, &d,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
			     UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD | UTF8PROC_COMPAT);
	if (n < 0)
		return -1;
	int space = 1, rc = 0;
	for (utf8proc_ssize_t i = 0; i < n && rc == 0;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(d + i, n - i, &cp);
		if (k <= 0)
			break;
		if (cp == 0x0111 || cp == 0x0110) { /* đ Đ */
			rc = buf_addc(out, 'd');
			space = 0;
		} else if (utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS || cp == ' ' ||
			   cp == '\t' || cp == '\n' || cp == '\r') {
			if (!space)
				rc = buf_addc(out, ' ');
			space = 1;
		} else {
			rc = buf_add(out, d + i, (size_t)k);
			space = 0;
		}
		i += k;
	}
	free(d);
	if (rc == 0 && out->len > 0 && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
	return rc;
}

size_t
text_trim(const char *s, const char **start)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n > 0 &&
	       (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	*start = s;
	return n;
}

int
text_email_ok(const char *s)
{
	size_t len = s ? strlen(s) : 0;
	if (len < 5 || len > 254)
		return 0;
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == 0x7f || strchr("<>()[],;:\\\"", *p))
			return 0;
	const char *dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] != '\0';
}
