"""A small MCP server shipped with the gallery: unit conversion, offline, written with the `mcp` SDK (FastMCP).

    python unit_converter.py        # JSON-RPC on stdin/stdout, as an MCP workbench's stdio server

Tools: `convert` (length, mass, temperature and volume units) and `list_units`. A resource `units://table` (the
units it knows) and a prompt `explain_conversion`. Standalone: the standard library and `mcp` only, so the tool
sandbox can run it from this directory.
"""

from __future__ import annotations

from mcp.server.fastmcp import FastMCP

server = FastMCP("unit-converter", log_level="WARNING")

_TO_BASE = {  # unit -> (dimension, factor to the dimension's base unit)
    "mm": ("length", 0.001), "cm": ("length", 0.01), "m": ("length", 1.0), "km": ("length", 1000.0),
    "in": ("length", 0.0254), "ft": ("length", 0.3048), "mi": ("length", 1609.344),
    "g": ("mass", 0.001), "kg": ("mass", 1.0), "lb": ("mass", 0.45359237), "oz": ("mass", 0.028349523125),
    "ml": ("volume", 0.001), "l": ("volume", 1.0), "cup": ("volume", 0.2365882365), "gal": ("volume", 3.785411784),
}
_TEMPERATURES = ("C", "F", "K")


def _to_celsius(value: float, unit: str) -> float:
    return {"C": value, "F": (value - 32) * 5 / 9, "K": value - 273.15}[unit]


def _from_celsius(value: float, unit: str) -> float:
    return {"C": value, "F": value * 9 / 5 + 32, "K": value + 273.15}[unit]


@server.tool()
def convert(value: float, from_unit: str, to_unit: str) -> str:
    """Convert a value from one unit to another of the same kind: length (mm, cm, m, km, in, ft, mi), mass
    (g, kg, lb, oz), volume (ml, l, cup, gal) or temperature (C, F, K)."""
    if from_unit in _TEMPERATURES and to_unit in _TEMPERATURES:
        result = _from_celsius(_to_celsius(value, from_unit), to_unit)
    else:
        try:
            (kind, a), (other, b) = _TO_BASE[from_unit], _TO_BASE[to_unit]
        except KeyError as missing:
            raise ValueError(f"unknown unit {missing.args[0]!r}: list_units names the known ones") from None
        if kind != other:
            raise ValueError(f"cannot convert {kind} ({from_unit}) to {other} ({to_unit})")
        result = value * a / b
    return f"{value:g} {from_unit} = {result:.4g} {to_unit}"


@server.tool()
def list_units() -> dict[str, list[str]]:
    """The units `convert` knows, by kind."""
    kinds: dict[str, list[str]] = {"temperature": list(_TEMPERATURES)}
    for unit, (kind, _) in _TO_BASE.items():
        kinds.setdefault(kind, []).append(unit)
    return kinds


@server.resource("units://table", mime_type="text/plain")
def unit_table() -> str:
    """Every unit with its factor to the base unit of its kind."""
    return "\n".join(f"{unit}: {factor:g} {kind} base units" for unit, (kind, factor) in _TO_BASE.items())


@server.prompt()
def explain_conversion(value: str, from_unit: str, to_unit: str) -> str:
    """Ask for a conversion with the working shown."""
    return f"Convert {value} {from_unit} to {to_unit} with the convert tool, and show the factor used."


if __name__ == "__main__":
    server.run("stdio")
