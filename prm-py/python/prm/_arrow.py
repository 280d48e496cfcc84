"""Arrow tables out of prm's columnar entry points, as the caller asks.

The native functions take anything that speaks the Arrow PyCapsule interface (pyarrow tables and
batches, polars DataFrames, pandas >= 2.2 DataFrames, Spark Arrow batches) and return an object
exporting ``__arrow_c_stream__``; ``result`` turns it into a ``pyarrow.Table`` (default), a polars
or a pandas DataFrame — through the C stream, without copying the columns.
"""

from __future__ import annotations

from typing import Any, List, Literal

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
        import pandas as pd

        # list columns (gaps, reasons) stay Arrow-backed: converting them to Python objects per
        # row would cost more than computing them; scalar columns convert as usual
        return out.to_pandas(types_mapper=lambda t: pd.ArrowDtype(t) if pa.types.is_list(t) else None)
    if output != "arrow":
        raise ValueError(f"output must be 'arrow', 'polars', 'pandas' or 'stream', not {output!r}")
    return out


def column_names(data: Any) -> List[str]:
    """A table's or frame's column names (empty when it does not say, e.g. a bare C stream)."""
    for attr in ("column_names", "columns"):
        names = getattr(data, attr, None)
        if names is not None:
            return [str(n) for n in names]
    schema = getattr(data, "schema", None)
    return list(getattr(schema, "names", []) or [])


def is_arrow(data: Any) -> bool:
    """An Arrow object that is not already a pandas or polars frame (pyarrow tables, batches,
    readers, or anything else exporting ``__arrow_c_stream__`` / ``__arrow_c_array__``)."""
    mod = type(data).__module__
    if mod.startswith("pandas") or mod.startswith("polars"):
        return False
    return hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__")


def polars_frame(data: Any) -> Any:
    """An Arrow object as a polars DataFrame (zero-copy)."""
    import polars as pl
    import pyarrow as pa

    return pl.from_arrow(pa.table(data))


def via_polars(fn, data: Any) -> Any:
    """Runs a frame function on Arrow input through polars and returns a ``pyarrow.Table``."""
    return fn(polars_frame(data)).to_arrow()
