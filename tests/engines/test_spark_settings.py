"""Where the Spark target and loader run: CXW_SPARK_MASTER, read by lib.settings.spark_master
and SparkSettings; the driver binds to the loopback address only for a master on this
machine. No JVM is started here."""

from __future__ import annotations

import pytest

from ingest.spark_loader import SparkSettings, is_loopback_master
from lib.errors import UserError
from lib.settings import SPARK_MASTER_DEFAULT, spark_master


@pytest.mark.parametrize(
    "value",
    [
        "local",
        "local[2]",
        "local[*]",
        "local[4,2]",
        "spark://127.0.0.1:7077",
        "spark://master-a.internal:7077,master-b.internal:7077",
        "yarn",
        "k8s://https://k8s.example:6443",
    ],
)
def test_spark_master_accepts_master_urls(value: str):
    assert spark_master({"CXW_SPARK_MASTER": value}) == value


@pytest.mark.parametrize("env", [{}, {"CXW_SPARK_MASTER": ""}, {"CXW_SPARK_MASTER": "  "}])
def test_spark_master_defaults_to_a_local_session(env: dict[str, str]):
    assert spark_master(env) == SPARK_MASTER_DEFAULT == "local[2]"


@pytest.mark.parametrize(
    "value",
    ["spark://127.0.0.1", "127.0.0.1:7077", "local[two]", "spark:/host:7077", "mesos://h:5050"],
)
def test_spark_master_rejects_other_values_in_one_line(value: str):
    with pytest.raises(UserError) as caught:
        spark_master({"CXW_SPARK_MASTER": value})
    message = str(caught.value)
    assert "\n" not in message and "CXW_SPARK_MASTER" in message and repr(value) in message


def test_spark_settings_take_the_master_from_the_environment(tmp_path):
    env = {"CXW_DATA_DIR": str(tmp_path), "CXW_SPARK_MASTER": "spark://127.0.0.1:7077"}
    settings = SparkSettings.from_env(env)
    assert settings.master == "spark://127.0.0.1:7077"
    assert settings.config()["spark.master"] == "spark://127.0.0.1:7077"
    assert settings.env()["CXW_SPARK_MASTER"] == "spark://127.0.0.1:7077"
    assert SparkSettings.from_env({"CXW_DATA_DIR": str(tmp_path)}).master == "local[2]"


@pytest.mark.parametrize(
    ("master", "loopback"),
    [
        ("local[2]", True),
        ("spark://127.0.0.1:7077", True),
        ("spark://localhost:7077", True),
        ("spark://10.0.0.5:7077", False),
        ("spark://127.0.0.1:7077,10.0.0.5:7077", False),
        ("yarn", False),
    ],
)
def test_only_a_master_on_this_machine_binds_the_driver_to_loopback(
    master: str, loopback: bool, monkeypatch: pytest.MonkeyPatch, tmp_path
):
    monkeypatch.delenv("SPARK_LOCAL_IP", raising=False)
    assert is_loopback_master(master) is loopback
    settings = SparkSettings(tmp_path / "w", tmp_path / "d", master=master)
    assert ("SPARK_LOCAL_IP" in settings.env()) is loopback
