"""Fetch, verify or bump the browser libraries the site serves (Mermaid, KaTeX).

    python scripts/vendor.py check               # fetch every pinned package and verify it
    python scripts/vendor.py bump mermaid 11.18.0  # pin a new version and its integrity hash

The pins live in data/vendor.json; the build (overrides/hooks/vendor_assets.py)
fetches and verifies the packages the site serves, and the tests fetch the
others (axe-core) the same way, so `check` is only a convenience.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "overrides" / "hooks"))
import vendor_assets  # noqa: E402


def bump(name: str, version: str, lock_file: Path = vendor_assets.LOCK_FILE) -> str:
    data = json.loads(lock_file.read_text(encoding="utf-8"))
    if name not in data["packages"]:
        raise SystemExit(f"{lock_file}: no package named '{name}' (known: {', '.join(data['packages'])})")
    with tempfile.TemporaryDirectory() as tmp:
        tarball = vendor_assets.npm_pack(name, version, Path(tmp))
        integrity = vendor_assets.sri_sha512(tarball)
    data["packages"][name].update(version=version, integrity=integrity)
    lock_file.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return integrity


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="fetch and verify every pinned package")
    p_bump = sub.add_parser("bump", help="pin a new version of a package")
    p_bump.add_argument("name")
    p_bump.add_argument("version")
    args = parser.parse_args(argv)
    try:
        if args.command == "bump":
            integrity = bump(args.name, args.version)
            print(f"{args.name}@{args.version} pinned ({integrity[:30]}…); run the tests.")
        else:
            for name in vendor_assets.load_lock():
                print(f"{name}: {vendor_assets.package_dir(name)}")
    except vendor_assets.VendorError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
