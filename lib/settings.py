"""Where things live: every path and target comes from an environment variable with a default.

The defaults keep everything of a demo under ``data/`` in the project folder (git-ignored):
the landing folder, the working database that dbt builds, the serving database that BI tools
and reports read, the published reports and the Dagster instance.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


# The setting that chooses where each system's raw tables come from: the contract files or a
# vendor's tables (CXW_CRM_SOURCE=salesforce ...); dbt reads the same variables.
SOURCE_VARIABLE: dict[str, str] = {
    system: f"CXW_{system.upper()}_SOURCE" for system in ("crm", "ticketing", "survey")
}


def duckdb_memory_limit() -> str:
    """DuckDB's memory limit for the warehouse's own connections (it spills to disk beyond
    it); the dbt profile reads the same variable."""
    return os.environ.get("CXW_DUCKDB_MEMORY_LIMIT", "3GB")


SPARK_MASTER_DEFAULT = "local[2]"
_SPARK_MASTER = re.compile(
    r"local(\[(\d+|\*)(,\d+)?\])?"  # local, local[2], local[*], local[2,3]
    r"|spark://[^\s/,:]+:\d+(,[^\s/,:]+:\d+)*"  # standalone (several masters: HA)
    r"|yarn|k8s://\S+"
)


def spark_master(env: Mapping[str, str] | None = None) -> str:
    """The Spark master of the ``spark`` target and of the Spark loader (CXW_SPARK_MASTER):
    ``local[2]`` (a SparkSession inside the process), or a cluster's master URL such as
    ``spark://host:7077``; the profile reads the same variable."""
    value = (os.environ if env is None else env).get("CXW_SPARK_MASTER", "").strip()
    if not value:
        return SPARK_MASTER_DEFAULT
    if not _SPARK_MASTER.fullmatch(value):
        from lib.errors import UserError

        raise UserError(
            f"CXW_SPARK_MASTER={value!r} is not a Spark master URL: use local[N], "
            "spark://HOST:PORT (a standalone cluster), yarn or k8s://URL"
        )
    return value


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    landing_dir: Path
    database: Path  # the working database dbt builds into
    serving_database: Path  # the database BI tools and reports read; replaced atomically
    publish_dir: Path  # published releases: snapshot, reports
    quality_dir: Path  # check results of every run and the Great Expectations Data Docs
    dagster_home: Path
    target: str
    delivery_mode: str = "full"  # landing files are full exports, or deltas merged by key

    @classmethod
    def from_env(cls) -> Settings:
        data = _path("CXW_DATA_DIR", PROJECT_DIR / "data")
        return cls(
            data_dir=data,
            landing_dir=_path("CXW_LANDING_DIR", data / "landing"),
            database=_path("CXW_DUCKDB_PATH", data / "warehouse.duckdb"),
            serving_database=_path("CXW_SERVING_PATH", data / "serving.duckdb"),
            publish_dir=_path("CXW_PUBLISH_DIR", data / "published"),
            quality_dir=_path("CXW_QUALITY_DIR", data / "quality"),
            dagster_home=_path("DAGSTER_HOME", data / "dagster"),
            target=os.environ.get("DBT_TARGET", "duckdb"),
            delivery_mode=os.environ.get("CXW_DELIVERY_MODE", "full").strip().lower() or "full",
        )

    def export(self) -> None:
        """Put the settings into the environment, where dbt's profile and Dagster read them."""
        os.environ["CXW_DATA_DIR"] = str(self.data_dir)
        os.environ["CXW_LANDING_DIR"] = str(self.landing_dir)
        os.environ["CXW_DUCKDB_PATH"] = str(self.database)
        os.environ["CXW_SERVING_PATH"] = str(self.serving_database)
        os.environ["CXW_PUBLISH_DIR"] = str(self.publish_dir)
        os.environ["CXW_QUALITY_DIR"] = str(self.quality_dir)
        os.environ["DAGSTER_HOME"] = str(self.dagster_home)
        os.environ["DBT_TARGET"] = self.target
        os.environ["CXW_DELIVERY_MODE"] = self.delivery_mode
        os.environ.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR))
        os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "true")
