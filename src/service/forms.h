/*
 * forms.h: a dossier's printable forms (domain.md §6) as PDF, for staff whose units cover
 * the dossier. The texts are templates in data/forms/{set}/ (render/form.h); this module
 * fills them from the dossier and refuses (ERR_CONFLICT) a form that makes no sense in the
 * dossier's state, e.g. a refusal for an accepted dossier.
 */
#ifndef MOTCUA_FORMS_H
#define MOTCUA_FORMS_H

#include <stddef.h>

#include "service/service.h"

/* dossier_form: form (receipt, supplement, refusal, apology, stop, control) of the dossier
 * code in template set (NULL: the current set); lookup_base prefixes the QR code's
 * /tra-cuu/{code}?token=... (NULL or "": a relative URL). */
int dossier_form(const struct ctx *c, const char *code, const char *form, const char *set,
		 const char *lookup_base, const unsigned char **pdf, size_t *len, struct err *e);

/* unit_register_form: the register (Sổ theo dõi hồ sơ) of the dossiers received by or
 * competent in the unit's subtree between the days from and to (civil day numbers, both
 * included), as far as the caller's units cover them; at most FORMS_REGISTER_MAX rows. */
#define FORMS_REGISTER_MAX 5000
int unit_register_form(const struct ctx *c, int64_t unit_id, int64_t from, int64_t to,
		       const char *set, const unsigned char **pdf, size_t *len, struct err *e);

#endif
