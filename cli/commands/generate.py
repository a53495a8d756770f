"""`cxw generate`: write a demo landing folder."""

from __future__ import annotations

import argparse

from cli.progress import Progress
from lib.settings import Settings


def demo_options(args: argparse.Namespace) -> dict:
    return {
        "accounts": args.accounts,
        "seed": args.seed,
        "file_format": args.file_format,
        "bad_row_share": args.bad_row_share,
        "end_date": args.end_date,
        "months": args.months,
        "support_operations": args.support_operations,
    } | (
        ({"vendors": args.vendors} if args.vendors else {})
        # only when given: the demo stamp of a landing folder keeps its default options
        | (
            {"chunk_accounts": args.chunk_accounts}
            if getattr(args, "chunk_accounts", None) is not None
            else {}
        )
    )


def cmd_generate(args: argparse.Namespace, settings: Settings, say: Progress) -> int:
    from demo_data.generator import generate

    landing = args.landing.resolve() if args.landing else settings.landing_dir
    say(f"generating demo data for {args.accounts:,} accounts into {landing}")
    options = demo_options(args)
    if options.get("vendors"):
        from demo_data.vendors import generate_vendor_demo, parse_vendors

        vendors = parse_vendors(options.pop("vendors"))
        result = generate_vendor_demo(landing, vendors, progress=say, **options)
        from demo_data.vendors import SYSTEM_OF

        print(f"wrote {', '.join(vendors)} in Fivetran's shape to {landing}")
        for vendor in vendors:
            for path in sorted((landing / vendor).iterdir()):
                with path.open("rb") as f:
                    lines = sum(1 for _ in f) - 1 if path.suffix == ".csv" else None
                counted = f"{lines:>10,}" if lines is not None else ""
                print(f"  {vendor}.{path.stem:<22} {counted}")
        fed = {SYSTEM_OF[v] for v in vendors}
        rows = {
            k: v for k, v in getattr(result, "rows", result).items() if k.split(".")[0] not in fed
        }
        print("and in the raw contract's shape:")
        for name, n in rows.items():
            print(f"  {name:<26} {n:>10,}")
        return 0
    else:
        result = generate(landing, progress=say, **options)
    rows = getattr(result, "rows", result)
    total = sum(rows.values())
    print(f"wrote {total:,} rows to {landing}")
    for name, n in rows.items():
        print(f"  {name:<26} {n:>10,}")
    return 0
