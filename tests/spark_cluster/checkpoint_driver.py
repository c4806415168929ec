"""A Spark driver for the lost-checkpoint test: checkpoint a table over both executors two ways, wait, read both.

    python checkpoint_driver.py MASTER [KEY=VALUE ...]

Prints ``checkpointed`` once the table (40 partitions, the numbers 0..99,999) is checkpointed with PySpark's
plain ``localCheckpoint`` and with clusterobs's ``backends.checkpoint``, waits for a line on stdin (the test
kills a worker meanwhile), then prints one line per way: ``plain <sum>`` or ``plain failed: <error>``, the
same for ``clusterobs``.
"""

from __future__ import annotations

import sys
import time

from clusterobs.mapping.backends import checkpoint, parse_spark_conf, spark_backend


def main(master: str, *conf: str) -> None:
    con = spark_backend(master, conf=parse_spark_conf(list(conf)))
    session = con._session
    deadline = time.monotonic() + 120
    # both executors registered (the driver's block manager counts too), so both hold blocks
    while session.sparkContext._jsc.sc().getExecutorMemoryStatus().size() < 3 and time.monotonic() < deadline:
        time.sleep(0.5)
    df = session.range(0, 100_000, numPartitions=40)
    cuts = {"plain": df.localCheckpoint(eager=True), "clusterobs": checkpoint(df)}
    print("checkpointed", flush=True)
    sys.stdin.readline()
    for how, cut in cuts.items():
        try:
            print(how, cut.groupBy().sum("id").collect()[0][0], flush=True)
        except Exception as exc:
            lines = [line for line in str(exc).splitlines() if "Checkpoint block" in line] or str(exc).splitlines()[:1]
            print(f"{how} failed: {lines[0].strip()[:300]}", flush=True)
    con.disconnect()


if __name__ == "__main__":
    main(*sys.argv[1:])
