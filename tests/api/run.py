#!/usr/bin/env python3
"""Run the API tests against one database: python3 tests/api/run.py --bin B --db URL.

Loads the demo province into a fresh database, starts the real server, runs every test
module (test_*.py, in name order), stops the server with SIGTERM and requires a clean exit.
Prints one line per test and ends with "N passed, N failed".
"""
import argparse
import glob
import importlib.util
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


class Ctx:
    pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--label", default="")
    ap.add_argument("-k", default="", help="only tests whose name contains this")
    args = ap.parse_args()

    here = os.path.dirname(os.path.abspath(__file__))
    for path in sorted(glob.glob(os.path.join(here, "test_*.py"))):
        spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod   # so that one test module may import another once
        spec.loader.exec_module(mod)
    if args.k:
        harness.TESTS[:] = [t for t in harness.TESTS if args.k in t.__name__]

    ctx = Ctx()
    ctx.bin = args.bin
    ctx.db = args.db
    ctx.backend = "postgres" if args.db.startswith("postgres") else "sqlite"
    ctx.server = harness.Server(args.bin, args.db)
    passed = failed = 0
    try:
        ctx.server.load_demo()
        ctx.server.start()
        ctx.logins = ctx.server.logins
        p, f = harness.run(ctx)
        passed += p
        failed += f
    except Exception as e:  # noqa: BLE001
        print(f"ERROR setting up: {e}")
        failed += 1
    finally:
        try:
            if ctx.server.proc:
                ctx.server.stop()
            passed += 1
            print("ok   server_stops_cleanly_under_sanitizers")
        except Exception as e:  # noqa: BLE001
            failed += 1
            print(f"FAIL server_stops_cleanly_under_sanitizers: {e}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
