"""The working-day calendar and the legal clock as a service (api.md, domain.md §4-§5).

GET/PUT /calendar/{year}, GET /calendar/due, GET/PUT /units/{id}/hours and `motcua calendar`.
Every test that changes the calendar puts it back as it found it (2029 and 2030 are the
years edited: no other test counts on them)."""
import datetime
import json
import os
import tempfile
import time
import urllib.parse

from harness import Fail, check, eq, expect_error, test

API = "/api/v1"
TET_2026 = ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"]


def admin(ctx):
    c = ctx.server.client()
    r = c.login("admin", ctx.logins["admin"])
    eq(r.status, 200, f"admin login {r}")
    return c


def as_user(ctx, name):
    c = ctx.server.client()
    r = c.login(name, ctx.logins[name])
    eq(r.status, 200, f"login {name} {r}")
    return c


def unit_id(ctx, code):
    r = ctx.server.client().get(f"{API}/units?flat=1")
    for u in r.json["items"]:
        if u["code"] == code:
            return u["id"]
    raise Fail(f"no unit {code}")


def count(ctx, table, where=""):
    return int(ctx.server.sql(f"SELECT COUNT(*) FROM {table} {where}"))


def due(ctx, **params):
    return ctx.server.client().get(f"{API}/calendar/due?" + urllib.parse.urlencode(params))


def due_ok(ctx, **params):
    r = due(ctx, **params)
    eq(r.status, 200, f"due {params} {r}")
    return r.json


def year_body(y):
    """The PUT body of a GET answer."""
    return {"status": y["status"], "notices": y["notices"], "days_off": y["days_off"],
            "working_days": y["working_days"]}


def get_year(ctx, year):
    r = ctx.server.client().get(f"{API}/calendar/{year}")
    eq(r.status, 200, f"GET calendar {year} {r}")
    return r.json


def weekday(date):
    return datetime.date.fromisoformat(date).weekday()  # 0 = Monday


# ---- the legal clock ----

@test
def due_of_the_api_md_example(ctx):
    d = due_ok(ctx, **{"from": "2026-02-13T09:00:00+07:00", "working_days": "3"})
    eq(d["due"], "2026-02-25T09:00:00+07:00", "due")
    eq(d["working_minutes"], 1440, "working_minutes")
    skipped = {s["date"]: s["reason"] for s in d["skipped"]}
    for day in TET_2026:
        eq(skipped.get(day), "Tết Nguyên đán", f"skipped {day}")
    # weekly rest days are in the explanation, not in "skipped"
    check("2026-02-14" not in skipped and "2026-02-21" not in skipped, f"weekend in {skipped}")
    kinds = [(x["kind"], x.get("date")) for x in d["explain"]]
    check(("skip", "2026-02-14") in kinds and ("skip", "2026-02-22") in kinds, kinds)
    sat = [x for x in d["explain"] if x.get("date") == "2026-02-14"][0]
    eq(sat["reason"], "Thứ Bảy", "reason of a Saturday")
    last = d["explain"][-1]
    eq((last["kind"], last["due"], last["unit"], last["amount"]),
       ("due", "2026-02-25T09:00:00+07:00", "working_days", 3), "the due item")
    eq(d["start"], {"at": "2026-02-13T09:00:00+07:00", "moved": False, "why": "as_is",
                    "reason": d["start"]["reason"]}, "start")
    eq(d["proposed_days_used"], False, "2026 is confirmed")
    eq(d["unconfirmed_years"], [], "unconfirmed_years")
    eq(d["duration"], {"unit": "working_days", "amount": 3, "working_minutes": 1440}, "duration")
    eq(d["working_hours"], "mon-fri 07:00-11:30 13:30-17:00", "default hours")
    # an unencoded "+07:00" arrives as a space: read as the "+" it was
    r = ctx.server.client().get(f"{API}/calendar/due?from=2026-02-13T09:00:00+07:00&working_days=3")
    eq((r.status, r.json and r.json.get("due")), (200, "2026-02-25T09:00:00+07:00"), f"raw + {r}")
    # any offset on input, +07:00 on output
    d = due_ok(ctx, **{"from": "2026-02-13T02:00:00Z", "working_days": "3"})
    eq(d["due"], "2026-02-25T09:00:00+07:00", "UTC input")


@test
def acceptance_on_the_friday_before_tet(ctx):
    """Friday 13 February 2026: Tết runs Monday 16 to Friday 20, so the next working day is
    Monday 23. One working day = 480 working minutes."""
    cases = [
        # accepted, due, start, why
        ("06:30", "2026-02-13T17:00:00+07:00", "2026-02-13T07:00:00+07:00", "before_opening"),
        ("11:45", "2026-02-23T11:30:00+07:00", "2026-02-13T13:30:00+07:00", "lunch"),
        ("16:59", "2026-02-23T16:59:00+07:00", "2026-02-13T16:59:00+07:00", "as_is"),
        ("17:00", "2026-02-23T17:00:00+07:00", "2026-02-23T07:00:00+07:00", "after_closing"),
        ("17:30", "2026-02-23T17:00:00+07:00", "2026-02-23T07:00:00+07:00", "after_closing"),
    ]
    for at, want_due, want_start, why in cases:
        d = due_ok(ctx, **{"from": f"2026-02-13T{at}:00+07:00", "working_days": "1"})
        eq(d["due"], want_due, f"due of {at}")
        eq(d["start"]["at"], want_start, f"start of {at}")
        eq(d["start"]["why"], why, f"why of {at}")
        eq(d["start"]["moved"], why != "as_is", f"moved of {at}")
        eq(d["working_minutes"], 480, f"working minutes of {at}")
        starts = [x for x in d["explain"] if x["kind"] == "start"]
        if why == "as_is":
            eq(starts, [], f"no start item at {at}")
        else:
            eq((starts[0]["why"], starts[0]["to"]), (why, want_start), f"start item of {at}")
            check(starts[0]["reason"].startswith("Tiếp nhận"), starts[0])
        if want_due.startswith("2026-02-23"):
            eq([s["date"] for s in d["skipped"]], TET_2026, f"skipped at {at}")
    # accepted on a day off (Tết itself) counts from the next working morning
    d = due_ok(ctx, **{"from": "2026-02-17T10:00:00+07:00", "hours": "1"})
    eq((d["start"]["why"], d["due"]), ("day_off", "2026-02-23T08:00:00+07:00"), "on Tết")


@test
def cutoff_hour_moves_the_start_to_the_next_working_day(ctx):
    # Tuesday 10 March 2026, cut-off 15:00
    d = due_ok(ctx, **{"from": "2026-03-10T15:30:00+07:00", "working_days": "1",
                       "cutoff": "15:00"})
    eq((d["start"]["at"], d["start"]["why"]), ("2026-03-11T07:00:00+07:00", "after_cutoff"),
       "after the cut-off")
    eq(d["due"], "2026-03-11T17:00:00+07:00", "due after the cut-off")
    eq(d["cutoff"], "15:00", "cutoff echoed")
    d = due_ok(ctx, **{"from": "2026-03-10T15:00:00+07:00", "working_days": "1",
                       "cutoff": "15:00"})
    eq(d["start"]["why"], "after_cutoff", "at the cut-off itself")
    d = due_ok(ctx, **{"from": "2026-03-10T14:59:00+07:00", "working_days": "1",
                       "cutoff": "15:00"})
    eq((d["start"]["why"], d["due"]), ("as_is", "2026-03-11T14:59:00+07:00"), "before cut-off")
    d = due_ok(ctx, **{"from": "2026-03-10T15:30:00+07:00", "working_days": "1"})
    eq(d["due"], "2026-03-11T15:30:00+07:00", "no cut-off given")


@test
def calendar_days_landing_on_a_day_off_move_to_the_next_working_day(ctx):
    # 13 Feb + 3 calendar days = Monday 16 Feb, Tết: the period ends at the close of Monday 23
    d = due_ok(ctx, **{"from": "2026-02-13T09:00:00+07:00", "calendar_days": "3"})
    eq(d["due"], "2026-02-23T17:00:00+07:00", "moved past Tết")
    moved = [x for x in d["explain"] if x["kind"] == "moved"]
    eq(len(moved), 1, f"one moved item {d['explain']}")
    eq((moved[0]["date"], moved[0]["due"]), ("2026-02-16", "2026-02-23T17:00:00+07:00"), "moved")
    eq([s["date"] for s in d["skipped"]], TET_2026, "skipped")
    eq(d["duration"], {"unit": "calendar_days", "amount": 3}, "duration")
    # Wednesday 4 March + 3 = Saturday 7 March: Monday 9 March
    d = due_ok(ctx, **{"from": "2026-03-04T09:00:00+07:00", "calendar_days": "3"})
    eq(d["due"], "2026-03-09T17:00:00+07:00", "moved past a weekend")
    eq(d["skipped"], [], "a weekend is not a holiday")
    # Monday 2 March + 3 = Thursday 5 March, nothing moves
    d = due_ok(ctx, **{"from": "2026-03-02T09:00:00+07:00", "calendar_days": "3"})
    eq(d["due"], "2026-03-05T17:00:00+07:00", "plain calendar days")
    check(all(x["kind"] != "moved" for x in d["explain"]), d["explain"])


@test
def half_days_hours_and_minutes(ctx):
    base = {"from": "2026-03-10T07:00:00+07:00"}  # Tuesday, opening
    for params, want, minutes in [
        ({"working_days": "0.5"}, "2026-03-10T11:00:00+07:00", 240),
        ({"working_days": "1.5"}, "2026-03-11T11:00:00+07:00", 720),
        ({"hours": "4"}, "2026-03-10T11:00:00+07:00", 240),
        ({"hours": "4.5"}, "2026-03-10T11:30:00+07:00", 270),  # used up at 11:30, not 13:30
        ({"hours": "5"}, "2026-03-10T14:00:00+07:00", 300),
        ({"minutes": "240"}, "2026-03-10T11:00:00+07:00", 240),
    ]:
        d = due_ok(ctx, **base, **params)
        eq(d["due"], want, f"due of {params}")
        eq(d["working_minutes"], minutes, f"working minutes of {params}")
        eq(d["duration"]["working_minutes"], minutes, f"duration of {params}")
    eq(due_ok(ctx, **base, working_days="0.5")["duration"]["amount"], 0.5, "amount 0.5")


@test
def due_over_an_unconfirmed_year_says_so(ctx):
    d = due_ok(ctx, **{"from": "2031-03-04T09:00:00+07:00", "working_days": "5"})
    eq(d["proposed_days_used"], True, "2031 is only proposed")
    eq(d["unconfirmed_years"], [2031], "unconfirmed_years")
    check("not" in d["note"] and "chưa được xác nhận" in d["note_vi"], d)
    skips = [x for x in d["explain"] if x["kind"] == "skip"]
    check(skips and all(x["proposed"] for x in skips), f"proposed days {skips}")
    # a period inside a confirmed year carries no note
    d = due_ok(ctx, **{"from": "2025-03-04T09:00:00+07:00", "working_days": "5"})
    eq((d["proposed_days_used"], "note" in d), (False, False), "2025 is confirmed")


BAD_DUE = [
    # (query, field)
    ({"working_days": "3"}, "from"),
    ({"from": "", "working_days": "3"}, "from"),
    ({"from": "2026-02-30T09:00", "working_days": "3"}, "from"),
    ({"from": "2026-02-13T09:00+25:00", "working_days": "3"}, "from"),
    ({"from": "2026-02-13T24:00:00+07:00", "working_days": "3"}, "from"),
    ({"from": "yesterday", "working_days": "3"}, "from"),
    ({"from": "1990-02-13T09:00:00+07:00", "working_days": "3"}, "from"),
    ({"from": "2026-02-13T09:00:00+07:00"}, "working_days"),
    ({"from": "2026-02-13T09:00:00+07:00", "working_days": "3", "hours": "2"}, "hours"),
    ({"from": "2026-02-13T09:00:00+07:00", "hours": "2", "calendar_days": "2"},
     "calendar_days"),
    ({"from": "2026-02-13T09:00:00+07:00", "working_days": "-1"}, "working_days"),
    ({"from": "2026-02-13T09:00:00+07:00", "working_days": "0"}, "working_days"),
    ({"from": "2026-02-13T09:00:00+07:00", "working_days": "0.0"}, "working_days"),
    ({"from": "2026-02-13T09:00:00+07:00", "working_days": "2611"}, "working_days"),
    ({"from": "2026-02-13T09:00:00+07:00", "working_days": "99999999999999999999"},
     "working_days"),
    ({"from": "2026-02-13T09:00:00+07:00", "working_days": "abc"}, "working_days"),
    ({"from": "2026-02-13T09:00:00+07:00", "working_days": "1e3"}, "working_days"),
    ({"from": "2026-02-13T09:00:00+07:00", "working_days": ""}, "working_days"),
    ({"from": "2026-02-13T09:00:00+07:00", "working_days": "0.333"}, "working_days"),
    ({"from": "2026-02-13T09:00:00+07:00", "hours": "-4"}, "hours"),
    ({"from": "2026-02-13T09:00:00+07:00", "hours": "20881"}, "hours"),
    ({"from": "2026-02-13T09:00:00+07:00", "calendar_days": "1.5"}, "calendar_days"),
    ({"from": "2026-02-13T09:00:00+07:00", "calendar_days": "3654"}, "calendar_days"),
    ({"from": "2026-02-13T09:00:00+07:00", "minutes": "0.5"}, "minutes"),
    ({"from": "2058-02-13T09:00:00+07:00", "working_days": "2000"}, "working_days"),
    ({"from": "2026-02-13T09:00:00+07:00", "working_days": "1", "cutoff": "25:00"}, "cutoff"),
    ({"from": "2026-02-13T09:00:00+07:00", "working_days": "1", "cutoff": "15h"}, "cutoff"),
]


@test
def due_rejects_bad_input_naming_the_parameter(ctx):
    for params, field in BAD_DUE:
        err = expect_error(due(ctx, **params), 400, "validation", field, what=json.dumps(params))
        check(err["message_vi"] != err["message"], f"two languages {err}")
    expect_error(due(ctx, **{"from": "2026-02-13T09:00:00+07:00", "working_days": "1",
                             "unit": "999999"}), 404, "not_found", "unit")
    expect_error(due(ctx, **{"from": "2026-02-13T09:00:00+07:00", "working_days": "1",
                             "unit": "no-such-unit"}), 404, "not_found", "unit")


# ---- the calendar of a year ----

@test
def get_a_confirmed_shipped_year(ctx):
    y = get_year(ctx, 2025)
    eq((y["year"], y["status"], y["confirmed"], y["source"]),
       (2025, "confirmed", True, "data"), "2025")
    check(y["notices"], "a confirmed year names its notices")
    eq((y["note"], y["note_vi"]), (None, None), "no note for a confirmed year")
    off = {d["date"]: d["reason"] for d in y["days_off"]}
    eq(off.get("2025-01-01"), "Tết Dương lịch", "1 January")
    check("2025-01-29" in off, "Tết 2025 (lunar new year 29 January)")
    eq([d["date"] for d in y["days_off"]], sorted(off), "days off in date order")
    work = [d["date"] for d in y["working_days"]]
    eq(work, ["2025-04-26"], "the make-up Saturday of 2025")
    eq(weekday(work[0]), 5, "a Saturday")
    eq(y["working_hours"], "mon-fri 07:00-11:30 13:30-17:00", "hours")


@test
def get_a_proposed_year_says_it_is_not_confirmed(ctx):
    y = get_year(ctx, 2031)
    eq((y["status"], y["confirmed"], y["source"]), ("proposed", False, "proposed"), "2031")
    check("not confirmed" in y["note"], y["note"])
    check("chưa được xác nhận" in y["note_vi"], y["note_vi"])
    off = [d["date"] for d in y["days_off"]]
    for day in ("2031-01-01", "2031-04-30", "2031-05-01", "2031-09-02"):
        check(day in off, f"{day} in {off}")
    eq(sum(1 for d in y["days_off"] if d["reason"] == "Tết Nguyên đán"), 5, "five Tết days")


@test
def years_that_do_not_exist(ctx):
    c = ctx.server.client()
    for bad in ("abc", "1899", "2200", "20266", "0999", "202"):
        err = expect_error(c.get(f"{API}/calendar/{bad}"), 404, "not_found", "year", what=bad)
        check(err["message_vi"] and err["message"], err)


# ---- editing a year ----

@test
def put_changes_the_due_date_at_once_and_is_audited(ctx):
    c = admin(ctx)
    orig = get_year(ctx, 2029)
    q = {"from": "2029-03-06T09:00:00+07:00", "working_days": "1"}  # Tuesday
    eq(due_ok(ctx, **q)["due"], "2029-03-07T09:00:00+07:00", "before the edit")
    rows, audits = count(ctx, "calendar_year"), count(ctx, "audit_log")
    body = year_body(orig)
    body["days_off"] = body["days_off"] + [{"date": "2029-03-07", "reason": "Nghỉ thử nghiệm"}]
    r = c.put(f"{API}/calendar/2029", body)
    eq(r.status, 200, f"PUT {r}")
    eq(r.json["source"], "store", "now from the store")
    check({"date": "2029-03-07", "reason": "Nghỉ thử nghiệm"} in r.json["days_off"], r.json)
    d = due_ok(ctx, **q)
    eq(d["due"], "2029-03-08T09:00:00+07:00", "the new day off moves the due date at once")
    eq(d["skipped"], [{"date": "2029-03-07", "reason": "Nghỉ thử nghiệm"}], "skipped")
    eq(count(ctx, "audit_log", "WHERE action = 'calendar.put' AND object_id = '2029'") >= 1,
       True, "audited")
    eq(count(ctx, "audit_log"), audits + 1, "one audit row")
    # confirm it with a notice
    body["status"], body["notices"] = "confirmed", ["Thông báo thử 1/TB-BNV"]
    r = c.put(f"{API}/calendar/2029", body)
    eq((r.status, r.json["confirmed"], r.json["notices"]), (200, True, ["Thông báo thử 1/TB-BNV"]),
       f"confirm {r}")
    eq(due_ok(ctx, **q)["proposed_days_used"], False, "a confirmed year is no proposal")
    # put it back
    r = c.put(f"{API}/calendar/2029", year_body(orig))
    eq(r.status, 200, f"restore {r}")
    eq(year_body(get_year(ctx, 2029)), year_body(orig), "restored")
    eq(due_ok(ctx, **q)["due"], "2029-03-07T09:00:00+07:00", "after the restore")
    eq(count(ctx, "calendar_year"), rows + (0 if orig["source"] == "store" else 1), "one row")
    eq(count(ctx, "audit_log"), audits + 3, "three audit rows")
    eq(ctx.server.cli("verify").returncode, 0, "the audit chain holds")


def bad_put_bodies(orig):
    base = year_body(orig)
    weekdays = []
    day = datetime.date(2029, 1, 1)
    while day.year == 2029:
        if day.weekday() < 5:
            weekdays.append({"date": day.isoformat(), "reason": "Nghỉ"})
        day += datetime.timedelta(days=1)
    n = len(base["days_off"])

    def with_(**kw):
        b = json.loads(json.dumps(base))
        b.update(kw)
        return b

    def off_with(i, **kw):
        b = json.loads(json.dumps(base))
        b["days_off"][i].update(kw)
        return b

    return [
        (off_with(3, date="2030-01-01"), 400, "days_off[3].date"),
        (off_with(0, date="2028-12-31"), 400, "days_off[0].date"),
        (with_(days_off=base["days_off"] + [dict(base["days_off"][0])]), 400,
         f"days_off[{n}].date"),
        (with_(days_off=base["days_off"] + [{"date": "2029-03-10", "reason": "Nghỉ thứ Bảy"}],
               working_days=[{"date": "2029-03-10", "reason": "Làm bù"}]), 400,
         "working_days[0].date"),
        (with_(working_days=[{"date": "2029-03-07", "reason": "Làm bù thứ Tư"}]), 400,
         "working_days[0].date"),
        (off_with(1, reason=""), 400, "days_off[1].reason"),
        (off_with(1, reason="   "), 400, "days_off[1].reason"),
        (off_with(2, reason="ễ" * 100), 400, "days_off[2].reason"),  # 100 letters, 300 bytes
        (off_with(2, reason="x" * 201), 400, "days_off[2].reason"),
        (off_with(2, reason="Dòng một\nDòng hai"), 400, "days_off[2].reason"),
        (off_with(0, date="2029-02-30"), 400, "days_off[0].date"),
        (off_with(0, date=20290101), 400, "days_off[0].date"),
        (off_with(0, note="thừa"), 400, "days_off[0].note"),
        (with_(days_off=weekdays), 400, "days_off"),
        (with_(status="confirmed", notices=[]), 400, "notices"),
        (with_(status="confirmed", notices=[""]), 400, "notices[0]"),
        (with_(status="confirmed", notices=["Thông báo " * 40]), 400, "notices[0]"),
        (with_(notices=["a", "b", "c", "d", "e"]), 400, "notices"),
        (with_(status="final"), 400, "status"),
        (with_(colour="red"), 400, "colour"),
        (with_(year=2029), 400, "year"),
        ({k: v for k, v in base.items() if k != "status"}, 400, "status"),
        ({k: v for k, v in base.items() if k != "days_off"}, 400, "days_off"),
        (with_(days_off="2029-01-01"), 400, "days_off"),
    ]


@test
def bad_calendar_edits_name_the_field_and_save_nothing(ctx):
    c = admin(ctx)
    orig = get_year(ctx, 2029)
    rows, audits = count(ctx, "calendar_year"), count(ctx, "audit_log")
    version = ctx.server.sql("SELECT value FROM setting WHERE key = 'calendar_version'")
    for body, status, field in bad_put_bodies(orig):
        err = expect_error(c.put(f"{API}/calendar/2029", body), status, "validation", field,
                           what=json.dumps(body, ensure_ascii=False)[:200])
        check(err["message_vi"] != err["message"], f"two languages {err}")
    # a year the clocks do not cover, and years that are no years
    expect_error(c.put(f"{API}/calendar/2100", {"status": "proposed", "days_off": []}), 400,
                 "validation", "year")
    expect_error(c.put(f"{API}/calendar/abc", {"status": "proposed", "days_off": []}), 404,
                 "not_found", "year")
    expect_error(c.request("PUT", f"{API}/calendar/2029", raw=b"{\"status\":",
                           headers={"Content-Type": "application/json"}), 400, "validation",
                 "body")
    eq(count(ctx, "calendar_year"), rows, "no calendar row left behind")
    eq(count(ctx, "audit_log"), audits, "no audit row left behind")
    eq(ctx.server.sql("SELECT value FROM setting WHERE key = 'calendar_version'"), version,
       "no clock rebuilt")
    eq(get_year(ctx, 2029), orig, "the year is as it was")


@test
def only_an_administrator_at_the_root_edits_the_calendar(ctx):
    orig = get_year(ctx, 2029)
    body = year_body(orig)
    body["days_off"] = body["days_off"] + [{"date": "2029-03-07", "reason": "Nghỉ trái phép"}]
    rows, audits = count(ctx, "calendar_year"), count(ctx, "audit_log")
    for name in ("tn.nhatrang", "qt.tuphap"):
        expect_error(as_user(ctx, name).put(f"{API}/calendar/2029", body), 403, "forbidden",
                     what=name)
    expect_error(ctx.server.client().put(f"{API}/calendar/2029", body), 401, "unauthenticated")
    eq((count(ctx, "calendar_year"), count(ctx, "audit_log")), (rows, audits), "nothing saved")
    eq(get_year(ctx, 2029), orig, "unchanged")
    eq(due_ok(ctx, **{"from": "2029-03-06T09:00:00+07:00", "working_days": "1"})["due"],
       "2029-03-07T09:00:00+07:00", "the clock is unchanged")


# ---- a unit's working hours ----

@test
def unit_hours_change_the_due_date_of_that_unit(ctx):
    c = admin(ctx)
    nt = unit_id(ctx, "001.01.00.H34")
    r = ctx.server.client().get(f"{API}/units/{nt}/hours")
    eq((r.status, r.json["own"], r.json["working_hours"]),
       (200, False, "mon-fri 07:00-11:30 13:30-17:00"), f"default {r}")
    # Friday 6 March 2026 16:00 + 2 working hours
    q = {"from": "2026-03-06T16:00:00+07:00", "hours": "2"}
    eq(due_ok(ctx, **q, unit=str(nt))["due"], "2026-03-09T08:00:00+07:00", "default hours")
    rows, audits = count(ctx, "unit_hours"), count(ctx, "audit_log")
    r = c.put(f"{API}/units/{nt}/hours", {"working_hours": "mon-sat 07:30-11:30 13:00-17:00"})
    eq(r.status, 200, f"set hours {r}")
    eq((r.json["own"], r.json["working_hours"], r.json["minutes_per_day"]),
       (True, "mon-sat 07:30-11:30 13:00-17:00", 480), "canonical")
    d = due_ok(ctx, **q, unit=str(nt))
    eq(d["due"], "2026-03-07T08:30:00+07:00", "Saturday is worked at this unit")
    eq((d["unit"], d["working_hours"]), (nt, "mon-sat 07:30-11:30 13:00-17:00"), "unit echoed")
    eq(due_ok(ctx, **q, unit="001.01.00.H34")["due"], "2026-03-07T08:30:00+07:00", "by code")
    eq(due_ok(ctx, **q)["due"], "2026-03-09T08:00:00+07:00", "other units keep the default")
    eq(count(ctx, "audit_log"), audits + 1, "audited")
    # bad input leaves nothing behind
    for body, status, code, field in [
        ({"working_hours": "mon-fri 25:00-26:00"}, 400, "validation", "working_hours"),
        ({"working_hours": "mon-fri 13:00-11:00"}, 400, "validation", "working_hours"),
        ({"working_hours": "someday 07:00-11:00"}, 400, "validation", "working_hours"),
        ({"working_hours": ""}, 400, "validation", "working_hours"),
        ({"working_hours": 8}, 400, "validation", "working_hours"),
        ({}, 400, "validation", "working_hours"),
        ({"working_hours": None, "extra": 1}, 400, "validation", "extra"),
    ]:
        expect_error(c.put(f"{API}/units/{nt}/hours", body), status, code, field,
                     what=json.dumps(body))
    expect_error(as_user(ctx, "tn.nhatrang").put(f"{API}/units/{nt}/hours",
                                                 {"working_hours": None}), 403, "forbidden")
    expect_error(c.put(f"{API}/units/999999/hours", {"working_hours": None}), 404, "not_found")
    expect_error(c.get(f"{API}/units/999999/hours"), 404, "not_found")
    eq(count(ctx, "audit_log"), audits + 1, "no audit row for refused changes")
    eq(ctx.server.client().get(f"{API}/units/{nt}/hours").json["own"], True, "still set")
    # back to the default
    r = c.put(f"{API}/units/{nt}/hours", {"working_hours": None})
    eq((r.status, r.json["own"]), (200, False), f"reset {r}")
    eq(due_ok(ctx, **q, unit=str(nt))["due"], "2026-03-09T08:00:00+07:00", "default again")
    eq(count(ctx, "unit_hours"), rows, "no unit_hours row left")


# ---- the command line ----

@test
def cli_calendar_propose_prints_the_text_format(ctx):
    p = ctx.server.cli("calendar", "propose", "2030")
    lines = [l for l in p.stdout.splitlines() if l and not l.startswith("#")]
    check("off 2030-01-01 Tết Dương lịch" in lines, p.stdout)
    check("year 2030" in lines and "status proposed" in lines, p.stdout)
    for l in lines:
        check(l.split(" ", 1)[0] in ("year", "status", "notice", "off", "work"), f"line {l!r}")
    eq(sum(1 for l in lines if l.endswith("Tết Nguyên đán") and l.startswith("off")), 5,
       "five Tết days")
    for bad in ("20x0", "1899", "99999"):
        p = ctx.server.cli("calendar", "propose", bad, check_rc=False)
        check(p.returncode != 0 and "year" in p.stderr, f"bad year {bad}: {p.stderr}")
    p = ctx.server.cli("calendar", "frobnicate", "2030", check_rc=False)
    check(p.returncode != 0 and "calendar" in p.stderr, p.stderr)


@test
def cli_calendar_set_and_show(ctx):
    proposal = ctx.server.cli("calendar", "propose", "2030").stdout
    rows, audits = count(ctx, "calendar_year"), count(ctx, "audit_log")
    with tempfile.TemporaryDirectory() as tmp:
        bad = os.path.join(tmp, "bad.txt")
        with open(bad, "w") as f:
            f.write(proposal + "off 2030-13-01 Không có tháng 13\n")
        p = ctx.server.cli("calendar", "set", bad, check_rc=False)
        check(p.returncode != 0 and "Line" in p.stderr, f"bad file: {p.returncode} {p.stderr}")
        with open(bad, "w") as f:
            f.write(proposal.replace("status proposed", "status confirmed"))
        p = ctx.server.cli("calendar", "set", bad, check_rc=False)
        check(p.returncode != 0 and "notice" in p.stderr, f"no notice: {p.stderr}")
        p = ctx.server.cli("calendar", "set", os.path.join(tmp, "missing.txt"), check_rc=False)
        check(p.returncode != 0, "a missing file")
        eq((count(ctx, "calendar_year"), count(ctx, "audit_log")), (rows, audits),
           "bad files save nothing")

        edited = os.path.join(tmp, "2030.txt")
        with open(edited, "w") as f:
            f.write(proposal + "off 2030-03-06 Nghỉ thử qua dòng lệnh\n")
        p = ctx.server.cli("calendar", "set", edited)
        check("2030" in p.stdout and "saved" in p.stdout, p.stdout)
        y = get_year(ctx, 2030)
        eq(y["source"], "store", "2030 from the store")
        check({"date": "2030-03-06", "reason": "Nghỉ thử qua dòng lệnh"} in y["days_off"], y)
        shown = ctx.server.cli("calendar", "show", "2030").stdout
        check("off 2030-03-06 Nghỉ thử qua dòng lệnh" in shown and "store" in shown, shown)
        # the running server sees it within a second (it checks the version once a second)
        time.sleep(1.1)
        d = due_ok(ctx, **{"from": "2030-03-05T09:00:00+07:00", "working_days": "1"})
        eq(d["due"], "2030-03-07T09:00:00+07:00", "the server counts the new day off")
        # put it back
        with open(edited, "w") as f:
            f.write(proposal)
        ctx.server.cli("calendar", "set", edited)
        time.sleep(1.1)
        d = due_ok(ctx, **{"from": "2030-03-05T09:00:00+07:00", "working_days": "1"})
        eq(d["due"], "2030-03-06T09:00:00+07:00", "restored")
    shown = ctx.server.cli("calendar", "show", "2025").stdout
    check("status confirmed" in shown and "source: data" in shown, shown)
