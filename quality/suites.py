"""Great Expectations checks: suites kept as reviewable JSON files in `expectations/<layer>/`.

A suite file is a GX 1.x expectation suite (``name``, ``expectations``) plus a ``meta`` block
that says what it checks:

* ``relation``: the table (``raw_survey.answers``, ``marts.tickets`` ...) and ``asset``: its
  Dagster asset key;
* ``query`` (optional): the SQL that shapes the rows checked (e.g. casting raw text to numbers);
  by default ``select * from <relation>``;
* ``row_count_collapse_tolerance`` (optional): the relation's row count may not fall below
  ``(1 - tolerance) * rows at the last good run``; the runner passes that bound as the
  ``min_rows`` suite parameter (1 before the first good run);
* ``jump_bands`` (optional): ``{column: band}``; the runner passes ``<column>_low`` and
  ``<column>_high`` = the column's value at the last good run -/+ band (unbounded before the
  first good run), so an expectation can warn when a headline figure jumps;
* ``min_bad_rows`` (optional; default 10 for raw suites, 0 otherwise): an error expectation
  with a share threshold (``mostly``, a proportion of unique keys) blocks only when more rows
  than this are bad; fewer bad rows warn (quality/gates.py). An expectation's own
  ``meta.min_bad_rows`` overrides it, and its ``meta.sample_column`` names the source column
  whose values a failure shows (for a derived column such as ``created_at_is_parseable``).

Each expectation's GX ``severity`` decides what a failure does: ``critical`` is an **error**
(blocks publishing), ``warning`` is a **warning** (published, listed on the data-quality page).

**Where the figures are computed** (`run_suites`). The raw layer (``SQL_LAYERS``) is checked
in SQL by DuckDB (quality/sql_checks.py): one aggregate query a suite over its ``meta.query``,
a small second query for samples only when rows are bad. Raw tables are the largest (millions
of ticket events) and reading them whole into pandas would break the memory budget: at 80,000
demo accounts the raw checks took 1.66 GiB and 73-96 s through pandas, 0.42 GiB and 19 s in
SQL (docs/architecture.md). The figures, success (`mostly`, bounds, ``min_rows``,
``<column>_low/_high``), severity and samples are those GX gives (tests/expectations/
test_sql_equivalence.py), and the results go into the layer's Data Docs as GX validations.
The mart suites (small tables) run in GX itself, on pandas DataFrames read from DuckDB (GX's
SQL path does not support DuckDB); so does a raw suite using an expectation type, kwarg or
row condition the SQL path does not translate (``sql_checks.SUPPORTED``), with a warning.
Data Docs are rebuilt into a local folder on every run.
"""

from __future__ import annotations

import json
import math
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lib.settings import PROJECT_DIR
from quality import gates
from quality.gates import DEFAULT_MIN_BAD_ROWS

EXPECTATIONS_DIR = PROJECT_DIR / "expectations"
SAMPLE_SIZE = 5
# layers whose suites are checked in SQL (quality/sql_checks.py): the raw tables are large
SQL_LAYERS = frozenset({"raw"})


@dataclass(frozen=True)
class SuiteFile:
    path: Path
    name: str
    layer: str
    relation: str
    asset: tuple[str, ...]
    query: str
    collapse_tolerance: float | None
    jump_bands: dict[str, float]
    body: dict
    # an error expectation with a share threshold blocks only beyond this many bad rows
    # (quality/gates.py); meta.min_bad_rows, default by layer
    min_bad_rows: int = 0

    @property
    def error_count(self) -> int:
        return sum(1 for e in self.body["expectations"] if _severity(e) == "error")

    @property
    def warning_count(self) -> int:
        return len(self.body["expectations"]) - self.error_count


@dataclass
class ExpectationOutcome:
    suite: str
    relation: str
    expectation: str
    column: str | None
    severity: str  # error | warning
    success: bool
    unexpected_count: int | None = None
    sample: list[Any] = field(default_factory=list)
    observed: Any = None
    notes: str = ""
    threshold: str = ""  # the rule in words: "at least 0.98", "bad on at most 2 % of rows"
    blocking: bool = True  # False: failed, but few bad rows (min_bad_rows): a warning
    bad_rows: int | None = None
    min_bad_rows: int | None = None

    def describe(self) -> str:
        where = f"{self.relation}.{self.column}" if self.column else self.relation
        text = f"{self.expectation} on {where}"
        if self.unexpected_count:
            text += f": {self.unexpected_count} unexpected"
        elif self.bad_rows and not self.success:
            text += f": {self.bad_rows} bad rows"
        if self.sample:
            text += f", e.g. {', '.join(repr(v) for v in self.sample)}"
        if self.observed is not None and not self.success:
            text += f"; observed {self.observed!r}"
        if self.threshold and not self.success:
            text += f"; expected {self.threshold}"
        if not self.success and not self.blocking:
            text += (
                f" (only {self.bad_rows} bad rows, at most {self.min_bad_rows} tolerated: "
                "quarantined, not blocking)"
            )
        return text


@dataclass
class SuiteOutcome:
    suite: SuiteFile
    outcomes: list[ExpectationOutcome]
    rows: int  # rows of the relation (not of the query's result)
    seconds: float
    values: dict[str, Any] = field(default_factory=dict)  # jump-band columns, for next time
    # checked in SQL (quality/sql_checks.py): each expectation's result as GX words it
    results: list[dict] = field(default_factory=list, repr=False)

    def failed(self, severity: str) -> list[ExpectationOutcome]:
        """Failures of a severity; for `error`, only those that block (see `tolerated`)."""
        return [
            o
            for o in self.outcomes
            if not o.success and o.severity == severity and (o.blocking or severity != "error")
        ]

    def tolerated(self) -> list[ExpectationOutcome]:
        """Error expectations that failed on too few bad rows to block (quality/gates.py)."""
        return [
            o for o in self.outcomes if not o.success and o.severity == "error" and not o.blocking
        ]


def _severity(expectation: dict) -> str:
    return "warning" if expectation.get("severity", "critical") == "warning" else "error"


def load_suites(layer: str) -> list[SuiteFile]:
    """Every suite of a layer (``raw``, ``marts``), sorted by name."""
    suites = []
    for path in sorted((EXPECTATIONS_DIR / layer).glob("*.json")):
        body = json.loads(path.read_text())
        meta = body.get("meta", {})
        try:
            relation = meta["relation"]
            asset = tuple(meta["asset"])
        except KeyError as exc:
            raise ValueError(f"{path}: meta.{exc.args[0]} is required") from exc
        suites.append(
            SuiteFile(
                path=path,
                name=body["name"],
                layer=layer,
                relation=relation,
                asset=asset,
                query=meta.get("query") or f"select * from {relation}",
                collapse_tolerance=meta.get("row_count_collapse_tolerance"),
                jump_bands=meta.get("jump_bands", {}),
                body=body,
                min_bad_rows=int(meta.get("min_bad_rows", DEFAULT_MIN_BAD_ROWS.get(layer, 0))),
            )
        )
    return suites


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


class Validator:
    """One GX context for a whole run: building it costs seconds, validating is cheap."""

    def __init__(self, docs_dir: Path | None = None) -> None:
        # GX probes for pyspark at import time; the warehouse never hands it Spark frames,
        # and hiding pyspark saves seconds per run when it is installed for the spark target.
        if "pyspark" not in sys.modules:
            sys.modules["pyspark"] = None  # type: ignore[assignment]
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.docs_dir = docs_dir
        if docs_dir is not None:
            docs_dir.mkdir(parents=True, exist_ok=True)
            self.context.add_data_docs_site(
                site_name="local",
                site_config={
                    "class_name": "SiteBuilder",
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(docs_dir),
                    },
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                },
            )
        self.datasource = self.context.data_sources.add_pandas("cx_warehouse")

    def build_docs(self) -> None:
        """Render the Data Docs site of every suite validated so far (no-op without one)."""
        if self.docs_dir is not None:
            self.context.build_data_docs(site_names=["local"])

    def validate(
        self, suite: SuiteFile, frame, parameters: dict[str, Any], relation_rows: int
    ) -> SuiteOutcome:
        from great_expectations.core.expectation_suite import ExpectationSuite

        started = time.perf_counter()
        gx = self.gx
        asset = self.datasource.add_dataframe_asset(suite.name)
        batch_definition = asset.add_batch_definition_whole_dataframe("whole")
        expectations = [
            {k: v for k, v in e.items() if k in ("type", "kwargs", "meta", "severity", "notes")}
            for e in suite.body["expectations"]
        ]
        gx_suite = self.context.suites.add(
            ExpectationSuite(name=suite.name, expectations=expectations)
        )
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=gx_suite)
        )
        # Data Docs are built once per layer (`build_docs`), not after every suite
        checkpoint = self.context.checkpoints.add(
            gx.Checkpoint(name=suite.name, validation_definitions=[definition], actions=[])
        )
        run = checkpoint.run(
            batch_parameters={"dataframe": frame}, expectation_parameters=parameters
        )
        outcomes = []
        for validation in run.run_results.values():
            for r in validation.results:
                outcomes.append(self._outcome(suite, r, frame, parameters))
        values = {
            column: _jsonable(frame[column].iloc[0])
            for column in suite.jump_bands
            if column in frame.columns and len(frame) == 1
        }
        return SuiteOutcome(suite, outcomes, relation_rows, time.perf_counter() - started, values)

    def _outcome(self, suite: SuiteFile, r, frame, parameters: dict) -> ExpectationOutcome:
        """One expectation's result: GX's figures, source-value samples (make_outcome)."""
        config = r.expectation_config
        result = r.result or {}
        kind, kwargs, meta = config.type, dict(config.kwargs), dict(config.meta or {})
        column = kwargs.get("column")
        sample = [_jsonable(v) for v in (result.get("partial_unexpected_list") or [])]
        bad_rows = _jsonable(result.get("unexpected_count"))
        if kind in gates.SHARE_EXPECTATIONS and column:
            bad_rows = gates.duplicate_rows(frame, column)
            sample = [_jsonable(v) for v in gates.duplicate_sample(frame, column, SAMPLE_SIZE)]
        elif meta.get("sample_column"):
            indexes = result.get("partial_unexpected_index_list") or []
            values = gates.source_sample(frame, indexes, meta["sample_column"], SAMPLE_SIZE)
            sample = [_jsonable(v) for v in values] or sample
        severity = str(getattr(config.severity, "value", config.severity))
        return make_outcome(
            suite, kind, kwargs, meta, severity, bool(r.success), result, parameters,
            bad_rows=bad_rows, sample=sample,
        )  # fmt: skip

    def record(self, outcome: SuiteOutcome, parameters: dict[str, Any]) -> None:
        """Store a suite checked in SQL (quality/sql_checks.py) as a GX validation result,
        so the layer's Data Docs show it like any other (no-op without a docs site)."""
        if self.docs_dir is None:
            return
        from quality.gx_records import store_validation

        store_validation(self.context, outcome, parameters)


def make_outcome(
    suite: SuiteFile,
    kind: str,
    kwargs: dict,
    meta: dict,
    severity: str,
    success: bool,
    result: dict,
    parameters: dict,
    *,
    bad_rows: Any,
    sample: list,
) -> ExpectationOutcome:
    """One expectation's outcome from its figures (GX's or SQL's): the rule in words, and
    whether a failure blocks (quality/gates.py)."""
    min_bad_rows = int(meta.get("min_bad_rows", suite.min_bad_rows))
    bad_rows = _jsonable(bad_rows)
    blocking = True
    if not success and gates.is_share_threshold(kind, kwargs) and bad_rows is not None:
        blocking = bad_rows > min_bad_rows
    return ExpectationOutcome(
        suite=suite.name,
        relation=suite.relation,
        expectation=kind,
        column=kwargs.get("column"),
        severity="warning" if severity == "warning" else "error",
        success=bool(success),
        unexpected_count=_jsonable(result.get("unexpected_count")),
        sample=[_jsonable(v) for v in sample][:SAMPLE_SIZE],
        observed=_jsonable(result.get("observed_value")),
        notes=meta.get("notes", ""),
        threshold=gates.threshold(kind, kwargs, parameters),
        blocking=blocking,
        bad_rows=bad_rows,
        min_bad_rows=min_bad_rows,
    )


def write_docs_index(docs_root: Path, run_dir: Path | None = None, run_id: str = "") -> Path:
    """Write `docs_root/index.html`: the run's checks in full, readable offline
    (quality/page.py), linking the Great Expectations Data Docs site of each layer (one GX
    site a layer: the layers are checked in separate steps, each with its own context)."""
    from quality.page import LAYER_TITLES, render
    from quality.page import load_results as run_results

    links = [
        (
            f"{site.name}/index.html",
            f"Great Expectations Data Docs: {LAYER_TITLES.get(site.name, site.name)} "
            "(their styles and scripts load from the internet)",
        )
        for site in sorted(p.parent for p in docs_root.glob("*/index.html"))
    ]
    results = run_results(run_dir) if run_dir is not None else {}
    index = docs_root / "index.html"
    docs_root.mkdir(parents=True, exist_ok=True)
    index.write_text(render(results, run_id, links), encoding="utf-8")
    return index


def suite_parameters(suite: SuiteFile, previous: dict[str, Any], extra: dict[str, Any]) -> dict:
    """The values a suite's ``{"$PARAMETER": ...}`` placeholders take in this run."""
    parameters = dict(extra)
    min_rows = 1
    last_rows = previous.get("row_counts", {}).get(suite.relation)
    if suite.collapse_tolerance is not None and last_rows:
        min_rows = max(1, math.floor(last_rows * (1 - suite.collapse_tolerance)))
    parameters["min_rows"] = min_rows
    last_values = previous.get("values", {}).get(suite.relation, {})
    for column, band in suite.jump_bands.items():
        last = last_values.get(column)
        # before the first good run there is nothing to jump from: an unbounded band
        parameters[f"{column}_low"] = float("-inf") if last is None else last - band
        parameters[f"{column}_high"] = float("inf") if last is None else last + band
    return parameters


def run_suites(
    suites: list[SuiteFile],
    con,
    *,
    previous: dict[str, Any] | None = None,
    extra_parameters: dict[str, Any] | None = None,
    docs_dir: Path | None = None,
    validator: Validator | None = None,
    log: Callable[[str], None] | None = None,
) -> list[SuiteOutcome]:
    """Check ``suites`` against the DuckDB connection ``con``: a suite of an ``SQL_LAYERS``
    layer in SQL (quality/sql_checks.py), any other suite, or one the SQL path cannot
    translate (with a warning to ``log``), by GX on a pandas frame of its query."""
    from quality import sql_checks

    results = []
    for suite in suites:
        parameters = suite_parameters(suite, previous or {}, extra_parameters or {})
        relation_rows = con.execute(f"select count(*) from {suite.relation}").fetchone()[0]
        if suite.layer in SQL_LAYERS:
            try:
                outcome = sql_checks.evaluate(suite, con, parameters, relation_rows)
            except sql_checks.Untranslatable as exc:
                (log or _warn)(
                    f"{suite.path.name if suite.path else suite.name}: {exc}; "
                    "checked by Great Expectations on a pandas frame of its query instead"
                )
            else:
                if docs_dir is not None or validator is not None:
                    validator = validator or Validator(docs_dir)
                    validator.record(outcome, parameters)
                results.append(outcome)
                continue
        validator = validator or Validator(docs_dir)
        frame = con.execute(suite.query).df()
        results.append(validator.validate(suite, frame, parameters, relation_rows))
    if validator is not None:
        validator.build_docs()
    return results


def _warn(message: str) -> None:
    warnings.warn(message, stacklevel=3)


def run_layer(
    layer: str,
    con,
    *,
    previous: dict[str, Any] | None = None,
    extra_parameters: dict[str, Any] | None = None,
    docs_dir: Path | None = None,
    validator: Validator | None = None,
) -> list[SuiteOutcome]:
    """Check every suite of ``layer`` against the DuckDB connection ``con`` (run_suites)."""
    return run_suites(
        load_suites(layer),
        con,
        previous=previous,
        extra_parameters=extra_parameters,
        docs_dir=docs_dir,
        validator=validator,
    )


def outcomes_as_records(results: list[SuiteOutcome]) -> list[dict]:
    return [asdict(o) for r in results for o in r.outcomes]
