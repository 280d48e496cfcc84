"""Peak memory of prm's table entry points against the size of their input (issue 3: ≤ 2×).

    .venv/bin/python benches/py/peak_memory.py

Writes the 1,000,000 journeys of ``attribution_compare.journeys`` and the 300,000 deals × 5
touches of ``attribution_compare.touch_frame`` to Parquet in a temporary folder, then
measures each call in a fresh process: the peak resident size during the call (``VmHWM``, reset
through ``/proc/self/clear_refs`` just before it) minus the resident size before it.
"""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

CHILD = r'''
import os, sys
import pandas as pd, polars as pl, pyarrow.parquet as pq
import prm
call, kind, path = sys.argv[1:4]
if kind == "pyarrow":
    data = pq.read_table(path); size = data.nbytes
elif kind == "polars":
    data = pl.read_parquet(path); size = data.estimated_size()
else:
    data = pd.read_parquet(path, **({"dtype_backend": "pyarrow"} if kind == "pandas-arrow" else {}))
    size = int(data.memory_usage(deep=True).sum())
page = os.sysconf("SC_PAGE_SIZE")
before = int(open("/proc/self/statm").read().split()[1]) * page
open("/proc/self/clear_refs", "w").write("5")
if call == "markov":
    prm.attribution.markov(data)
else:
    prm.attribution.split_table(data, "linear")
peak = [int(line.split()[1]) * 1024 for line in open("/proc/self/status") if line.startswith("VmHWM")][0]
print(f"| `{call}` | {kind} | {size / 1e6:.0f} MB | {(peak - before) / 1e6:.0f} MB | {(peak - before) / size:.2f}x |")
'''


def main():
    sys.path.insert(0, HERE)
    import pyarrow as pa
    import pyarrow.parquet as pq

    import attribution_compare as a

    with tempfile.TemporaryDirectory() as tmp:
        journeys = os.path.join(tmp, "journeys.parquet")
        a.journeys(1_000_000).to_parquet(journeys)
        touches = os.path.join(tmp, "touches.parquet")
        pq.write_table(pa.Table.from_pandas(a.touch_frame(300_000, 5), preserve_index=False), touches)
        print("| call | input | input size | rise during the call | ratio |")
        print("|---|---|---|---|---|")
        for call, path in (("markov", journeys), ("split_table", touches)):
            for kind in ("pandas", "pandas-arrow", "polars", "pyarrow"):
                out = subprocess.run([sys.executable, "-c", CHILD, call, kind, path], capture_output=True, text=True)
                print(out.stdout.strip() or out.stderr.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
