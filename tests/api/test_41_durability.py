"""An accepted dossier survives kill -9: every 201 is on disk, whole, with a valid chain, and
the daily serials have no gap that a lost answer cannot explain."""
import signal
import threading
import time

from harness import Server, check, eq, test
import importlib

dossiers = importlib.import_module("test_40_dossiers")

API = "/api/v1"


@test
def intake_survives_kill_9(ctx):
    dossiers.ensure_procedures(ctx)
    s = Server(ctx.bin, ctx.db).start()
    acked, lock, stop = [], threading.Lock(), threading.Event()
    attempts = [0]

    def worker():
        c = s.client()
        c.login("tn.tinh", ctx.logins["tn.tinh"])
        body = dossiers.intake_body(receiving_unit="000.00.01.H34",
                                    competent_unit="001.01.00.H34")
        while not stop.is_set():
            try:
                with lock:
                    attempts[0] += 1
                r = c.post(f"{API}/dossiers", body)
            except OSError:
                return  # the server died under us: that answer is lost
            if r.status == 201:
                with lock:
                    acked.append(r.json["code"])

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    deadline = time.time() + 20
    while time.time() < deadline:
        with lock:
            if len(acked) >= 60:
                break
        time.sleep(0.05)
    s.proc.send_signal(signal.SIGKILL)   # mid-load: no chance to flush or finish anything
    s.proc.wait()
    stop.set()
    for t in threads:
        t.join()
    s.proc.stdout.close()
    s.stderr.close()
    s.proc = None
    check(len(acked) >= 20, f"too few intakes before the kill: {len(acked)}")

    s2 = Server(ctx.bin, ctx.db).start()   # restart on the same database
    try:
        c = s2.client()
        c.login("tn.tinh", ctx.logins["tn.tinh"])
        for code in acked:
            r = c.get(f"{API}/dossiers/{code}")
            eq(r.status, 200, f"acknowledged dossier {code} lost")
            eq(len(r.json["steps"]), 2, f"{code} steps")
            eq(len(r.json["components"]), 1, f"{code} components")
            eq(r.json["events"][0]["action"], "receive", f"{code} events")
            check(r.json["due_at"], f"{code} due")
        # whole, and no unexplained gap: every serial of the centre's days exists
        rows = ctx.server.sql("SELECT code FROM dossier WHERE code LIKE '000.00.01.H34-%'")
        by_day = {}
        for code in rows.split("\n"):
            _, day, serial = code.rsplit("-", 2)
            by_day.setdefault(day, []).append(int(serial))
        for day, serials in by_day.items():
            serials.sort()
            eq(serials, list(range(1, len(serials) + 1)), f"serial gap on {day}")
        stored = sum(len(v) for v in by_day.values())
        check(stored >= len(acked), "fewer dossiers than acknowledged")
        check(stored <= len(acked) + attempts[0], "more dossiers than attempts")
        # no half-written dossier: each has its steps, components and first event
        half = ctx.server.sql(
            "SELECT COUNT(*) FROM dossier d WHERE NOT EXISTS (SELECT 1 FROM dossier_step s "
            "WHERE s.dossier_id = d.id) OR NOT EXISTS (SELECT 1 FROM dossier_event e WHERE "
            "e.dossier_id = d.id) OR NOT EXISTS (SELECT 1 FROM dossier_component m WHERE "
            "m.dossier_id = d.id)")
        eq(half, "0", "half-written dossiers")
        p = ctx.server.cli("verify")
        check("every chain intact" in p.stdout, p.stdout)
    finally:
        s2.stop()
