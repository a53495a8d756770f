"""Resources: where the warehouse reads and writes, taken from the environment at load time."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from functools import cached_property
from importlib import metadata
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from packaging import version

from lib import dbt_target_folders
from lib.runlock import run_lock
from lib.settings import PROJECT_DIR, Settings
from orchestration.project import dbt_project

# dbt through lib/bin/dbt: it dies with the step that starts it (lib/childguard.py)
GUARDED_DBT = PROJECT_DIR / "lib" / "bin" / "dbt"


class WarehouseDbtResource(DbtCliResource):
    """dagster-dbt's dbt CLI resource without its in-process dbt adapter, and without a
    `dbt --version` run to learn the version of the dbt it starts.

    Before every `dbt` command dagster-dbt loads the project's macros and manifest once more
    in the job's own process to open a dbt adapter (2-3 CPU s on every run), which it uses
    only to fetch column schemas and row counts (`fetch_column_metadata`,
    `fetch_row_counts`). The warehouse asks for neither: dbt itself runs in its own process,
    as before, and the events, checks and materializations are the same.

    It also keeps only the newest few of the folders dagster-dbt makes under target/ for each
    dbt command (lib/dbt_target_folders.py)."""

    def _get_unique_target_path(self, *, context):  # noqa: ANN001, ANN202 - dagster-dbt's hook
        """dagster-dbt's own folder for this dbt command; the older ones beyond the newest
        few are removed first (lib/dbt_target_folders.py)."""
        path = super()._get_unique_target_path(context=context)
        target_dir = path.parent if path.is_absolute() else Path(self.project_dir) / path.parent
        dbt_target_folders.prune(target_dir, keep=dbt_target_folders.KEEP - 1)
        return path

    def _initialize_dbt_core_adapter(self, args):  # noqa: ANN001, ANN202 - dagster-dbt's hook
        return None

    @cached_property
    def _cli_version(self) -> version.Version:
        """dagster-dbt runs `dbt --version` (a whole dbt start, 1-3 CPU s) to learn which dbt
        it starts; lib/bin/dbt starts the dbt of this very environment, whose version its
        package metadata gives. Another program or Python (CXW_GUARDED_PROGRAM,
        CXW_GUARD_PYTHON): asked as dagster-dbt does."""
        python = os.environ.get("CXW_GUARD_PYTHON", sys.executable)
        if os.environ.get("CXW_GUARDED_PROGRAM") or python != sys.executable:
            return super()._cli_version
        return version.parse(metadata.version("dbt-core"))


class WarehouseResource(dg.ConfigurableResource):
    """Paths of the landing folder, the working and serving databases and published output.

    Defaults come from the CXW_* environment variables (see `cxw --help`), so `dagster dev`,
    `cxw run` and the tests agree without extra configuration.

    A run holds its data folder's run lock (lib/runlock.py) for as long as this resource is
    open, which with the job's in-process executor is the whole run: runs the UI, a schedule
    or a sensor start share the lock with `cxw run` (which takes it first, before anything
    else, and re-enters it here)."""

    landing_dir: str
    database: str
    serving_database: str
    publish_dir: str
    quality_dir: str
    delivery_mode: str = "full"  # "full": files are full exports; "delta": new and changed rows
    data_dir: str = ""  # the folder whose run lock a run holds [the working database's folder]

    @classmethod
    def from_settings(cls, settings: Settings) -> WarehouseResource:
        return cls(
            landing_dir=str(settings.landing_dir),
            database=str(settings.database),
            serving_database=str(settings.serving_database),
            publish_dir=str(settings.publish_dir),
            quality_dir=str(settings.quality_dir),
            delivery_mode=settings.delivery_mode,
            data_dir=str(settings.data_dir),
        )

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir) if self.data_dir else Path(self.database).parent

    @contextlib.contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[WarehouseResource]:
        run = getattr(context, "run", None)
        with run_lock(self.data_path, command=f"dagster run {run.run_id if run else ''}".strip()):
            yield self

    @property
    def landing_path(self) -> Path:
        return Path(self.landing_dir)

    @property
    def database_path(self) -> Path:
        return Path(self.database)

    @property
    def serving_path(self) -> Path:
        return Path(self.serving_database)

    @property
    def publish_path(self) -> Path:
        return Path(self.publish_dir)

    def run_quality_dir(self, run_id: str) -> Path:
        """Where the checks of one run leave their results for publishing to read."""
        return Path(self.quality_dir) / "runs" / run_id


def build_resources(settings: Settings | None = None) -> dict:
    settings = settings or Settings.from_env()
    os.environ.setdefault("CXW_GUARD_PYTHON", sys.executable)  # the python lib/bin/dbt uses
    return {
        "warehouse": WarehouseResource.from_settings(settings),
        "dbt": WarehouseDbtResource(
            project_dir=dbt_project,
            profiles_dir=str(dbt_project.profiles_dir),
            # the dbt of this environment (also when its bin/ is not on PATH), started so
            # that it dies with the step that started it
            dbt_executable=str(GUARDED_DBT),
        ),
    }
