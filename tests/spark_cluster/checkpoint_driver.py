"""A Spark driver for the lost-checkpoint test: checkpoint a table over both executors, wait, read it again.

    python checkpoint_driver.py MASTER plain|clusterobs [KEY=VALUE ...]

Prints ``checkpointed`` once the table (40 partitions, the numbers 0..99,999) is checkpointed, then
waits for a line on stdin (the test kills a worker meanwhile) and prints the sum read from the checkpoint,
or ``failed: <error>``. ``plain`` is PySpark's ``localCheckpoint``, ``clusterobs`` ``backends.checkpoint``.
"""

from __future__ import annotations

import sys
import time

from clusterobs.mapping.backends import checkpoint, parse_spark_conf, spark_backend


def main(master: str, how: str, *conf: str) -> None:
    con = spark_backend(master, conf=parse_spark_conf(list(conf)))
    session = con._session
    deadline = time.monotonic() + 120
    # both executors registered (the driver's block manager counts too), so both hold blocks
    while session.sparkContext._jsc.sc().getExecutorMemoryStatus().size() < 3 and time.monotonic() < deadline:
        time.sleep(0.5)
    df = session.range(0, 100_000, numPartitions=40)
    cut = df.localCheckpoint(eager=True) if how == "plain" else checkpoint(df)
    print("checkpointed", flush=True)
    sys.stdin.readline()
    try:
        print(cut.groupBy().sum("id").collect()[0][0], flush=True)
    except Exception as exc:
        lines = [line for line in str(exc).splitlines() if "Checkpoint block" in line] or str(exc).splitlines()[:1]
        print(f"failed: {lines[0].strip()[:300]}", flush=True)
    con.disconnect()


if __name__ == "__main__":
    main(*sys.argv[1:])
