"""Arrow tables out of prm's columnar entry points, as the caller asks.

The native functions take anything that speaks the Arrow PyCapsule interface (pyarrow tables and
batches, polars DataFrames, pandas >= 2.2 DataFrames, Spark Arrow batches) and return an object
exporting ``__arrow_c_stream__``; ``result`` turns it into a ``pyarrow.Table`` (default), a polars
or a pandas DataFrame — through the C stream, without copying the columns.
"""

from __future__ import annotations

from typing import Any, Literal

Output = Literal["arrow", "polars", "pandas", "stream"]


def result(table: Any, output: Output = "arrow") -> Any:
    if output == "stream":
        return table
    if output == "polars":
        import polars as pl

        return pl.DataFrame(table)
    import pyarrow as pa

    out = pa.table(table)
    if output == "pandas":
        return out.to_pandas()
    if output != "arrow":
        raise ValueError(f"output must be 'arrow', 'polars', 'pandas' or 'stream', not {output!r}")
    return out
