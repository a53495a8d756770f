"""Resources: where the warehouse reads and writes, taken from the environment at load time."""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from lib.settings import Settings
from orchestration.project import dbt_project


class WarehouseResource(dg.ConfigurableResource):
    """Paths of the landing folder, the working and serving databases and published output.

    Defaults come from the CXW_* environment variables (see `cxw --help`), so `dagster dev`,
    `cxw run` and the tests agree without extra configuration."""

    landing_dir: str
    database: str
    serving_database: str
    publish_dir: str
    quality_dir: str
    delivery_mode: str = "full"  # "full": files are full exports; "delta": new and changed rows

    @classmethod
    def from_settings(cls, settings: Settings) -> WarehouseResource:
        return cls(
            landing_dir=str(settings.landing_dir),
            database=str(settings.database),
            serving_database=str(settings.serving_database),
            publish_dir=str(settings.publish_dir),
            quality_dir=str(settings.quality_dir),
            delivery_mode=settings.delivery_mode,
        )

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
    return {
        "warehouse": WarehouseResource.from_settings(settings),
        "dbt": DbtCliResource(
            project_dir=dbt_project,
            profiles_dir=str(dbt_project.profiles_dir),
            # the dbt of this environment, also when its bin/ is not on PATH
            dbt_executable=str(Path(sys.executable).with_name("dbt")),
        ),
    }
