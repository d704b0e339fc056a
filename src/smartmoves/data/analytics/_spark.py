"""The Spark backend: the same named queries on PySpark, for events beyond one machine.

PySpark is imported here only. One session is shared per process (starting a JVM costs
seconds); by default it runs in local mode on two cores with quiet logs. Point
``master`` at a cluster to run there instead.
"""

from __future__ import annotations

import os
import tempfile
import threading
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from smartmoves.data.analytics._backends import AnalyticsBackend
from smartmoves.data.analytics._sources import TableSource
from smartmoves.errors import ConfigError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["SparkBackend", "spark_session"]

_LOCK = threading.Lock()
_SESSION: Any = None
# Spark's default log4j profile prints INFO/WARN lines on every start; ours keeps errors.
_QUIET_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


def _quiet_log_config() -> Path:
    path = Path(tempfile.gettempdir()) / "smartmoves-spark-log4j2.properties"
    if not path.exists() or path.read_text() != _QUIET_LOG4J:
        path.write_text(_QUIET_LOG4J)
    return path


def spark_session(master: str = "local[2]") -> Any:
    """The process's shared SparkSession, started on first use.

    Raises
    ------
    ConfigError
        PySpark is not installed (the ``spark`` extra) or Java cannot start.
    """
    global _SESSION
    with _LOCK:
        if _SESSION is not None:
            return _SESSION
        try:
            with warnings.catch_warnings():
                # PySpark warns about pandas versions on import; we only exchange Arrow.
                warnings.simplefilter("ignore")
                from pyspark.sql import SparkSession
        except ImportError:
            raise ConfigError(
                "the spark backend needs PySpark: pip install 'smartmoves[spark]'"
            ) from None
        if master.startswith("local"):
            # Without it Spark warns that the hostname resolves to a loopback address.
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        log_option = f"-Dlog4j2.configurationFile=file:{_quiet_log_config()}"
        builder = (
            SparkSession.builder.master(master)
            .appName("smartmoves")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.driver.extraJavaOptions", log_option)
        )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                session = builder.getOrCreate()
        except Exception as exc:  # Java missing or failing: say so in one line
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ConfigError(f"cannot start Spark ({first}); is Java installed?") from None
        session.sparkContext.setLogLevel("ERROR")
        _SESSION = session
        return session


class SparkBackend(AnalyticsBackend):
    """Spark SQL over the shared session; views are dropped when the backend closes.

    Parameters
    ----------
    master
        Spark master URL; the default runs locally on two cores.
    """

    name = "spark"
    string_type = "STRING"
    identifier_quote = "`"
    templates: ClassVar[Mapping[str, str]] = {
        "split": "split({text}, ';')",
        "transform": "transform({list}, x -> {body})",
        "filter": "filter({list}, x -> {body})",
        "distinct": "array_distinct({list})",
        "size": "size({list})",
        "prepend": "concat(array({item}), {list})",
        "list_of": "array({item})",
        "explode": "explode({list})",
        # 0-based positions; "after" is the part of the list past that position.
        "explode_with_position": "posexplode({list}) AS ({pos}, {item})",
        "after": "slice({list}, {pos} + 2, size({list}))",
        "join_sorted_set": "array_join(array_sort(collect_set({value})), '+')",
    }

    def __init__(self, *, master: str = "local[2]") -> None:
        self._spark = spark_session(master)
        self._views: list[str] = []

    def _register_files(self, view: str, source: TableSource) -> None:
        reader = self._spark.read
        if source.format == "parquet":
            frame = reader.option("mergeSchema", "true").parquet(*source.files)
        else:
            frame = (
                reader.option("header", "true")
                .option("quote", '"')
                .option("escape", '"')
                .csv(list(source.files))
            )
        frame.createOrReplaceTempView(view)
        self._views.append(view)

    def columns(self, view: str) -> list[str]:
        return [str(c) for c in self._spark.table(view).columns]

    def arrow(self, query: str) -> pa.Table:
        return self._spark.sql(query).toArrow()

    def close(self) -> None:
        for view in self._views:
            self._spark.catalog.dropTempView(view)
        self._views.clear()
