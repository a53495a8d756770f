"""The demo world written in the vendors' shapes (Fivetran's tables), for `cxw generate
--vendors zendesk,salesforce,qualtrics`.

Each vendor module exposes ``write(contract, out_dir, file_format) -> list[Path]``: ``contract``
maps ``"<system>/<table>"`` to the contract demo's table (text), and the writer puts
``<out_dir>/<vendor>/<vendor table>.<ext>`` in the vendor's shape. A module may also expose
``rewrite_references(contract) -> contract``: how the other systems must point at its ids
(Zendesk tickets are integers, so survey responses carry ``123`` for ``TKT-0000123``).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from demo_data.vendors import hubspot, qualtrics, salesforce, zendesk
from demo_data.vendors.common import read_contract_table
from ingest.contract import OPTIONAL_TABLES, TABLES
from ingest.vendor_tables import SYSTEM_OF
from lib.errors import UserError

WRITERS: dict[str, Callable] = {
    "zendesk": zendesk.write,
    "salesforce": salesforce.write,
    "hubspot": hubspot.write,
    "qualtrics": qualtrics.write,
}
REWRITERS: dict[str, Callable] = {"zendesk": zendesk.rewrite_references}

__all__ = ["SYSTEM_OF", "WRITERS", "generate_vendor_demo", "parse_vendors"]


def parse_vendors(text: str | None) -> list[str]:
    """``"zendesk,qualtrics"`` -> the vendors, checked: known, one per system."""
    vendors = list(dict.fromkeys(v.strip().lower() for v in (text or "").split(",") if v.strip()))
    unknown = [v for v in vendors if v not in WRITERS]
    if unknown:
        known = ", ".join(sorted(WRITERS))
        raise UserError(f"--vendors: no demo writer for {', '.join(unknown)}; known: {known}")
    systems = [SYSTEM_OF[v] for v in vendors]
    for system in set(systems):
        if systems.count(system) > 1:
            both = [v for v in vendors if SYSTEM_OF[v] == system]
            raise UserError(f"--vendors: {' and '.join(both)} both feed {system}; pick one")
    return vendors


def generate_vendor_demo(
    landing: Path,
    vendors: list[str],
    *,
    progress: Callable[[str], None] | None = None,
    **options,
):
    """Generate the contract demo into a temporary folder, then write the systems of
    ``vendors`` in their vendors' shapes into ``landing`` and copy the other systems as
    they are. Returns the generator's result."""
    from demo_data.generator import generate

    say = progress or (lambda _m: None)
    file_format = options.get("file_format", "csv")
    landing = Path(landing)
    fed = {SYSTEM_OF[v] for v in vendors}
    with tempfile.TemporaryDirectory(prefix="cxw-contract-demo-") as tmp:
        contract_dir = Path(tmp)
        result = generate(contract_dir, progress=progress, **options)
        contract = {
            f"{t.system}/{t.name}": read_contract_table(
                contract_dir / t.system / f"{t.name}.{file_format}"
            )
            for t in TABLES
        }
        for t in OPTIONAL_TABLES:  # support operations, when generated (the writers may read them)
            path = contract_dir / t.system / f"{t.name}.{file_format}"
            if path.exists():
                contract[f"{t.system}/{t.name}"] = read_contract_table(path)
        original = dict(contract)
        for vendor in vendors:
            rewrite = REWRITERS.get(vendor)
            if rewrite:
                contract = rewrite(contract)
        for system in {t.system for t in TABLES} | set(SYSTEM_OF):
            shutil.rmtree(landing / system, ignore_errors=True)
        for vendor in vendors:
            paths = WRITERS[vendor](contract, landing, file_format)
            say(f"{vendor}: wrote {len(paths)} tables in Fivetran's shape")
        for t in (*TABLES, *OPTIONAL_TABLES):
            if t.system in fed or f"{t.system}/{t.name}" not in contract:
                continue
            target = landing / t.system / f"{t.name}.{file_format}"
            target.parent.mkdir(parents=True, exist_ok=True)
            key = f"{t.system}/{t.name}"
            if contract[key] is not original[key]:  # its references were rewritten
                _write_contract(contract[key], target)
            else:
                shutil.copyfile(contract_dir / t.system / target.name, target)
    return result


def _write_contract(table, target: Path) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if target.suffix == ".parquet":
        pq.write_table(table, target)
    else:
        pacsv.write_csv(table, target)
