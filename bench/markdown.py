"""docs/benchmarks.md is shared: each harness owns the section between its own markers."""

from pathlib import Path

HEADER = "# 性能测试\n\n"


def replace_section(path, owner, text):
    """Put `text` between `<!-- owner:start -->` and `<!-- owner:end -->` in the file at `path`
    (appended when the markers are not there yet), leaving everything else as it is."""
    start, end = f"<!-- {owner}:start -->", f"<!-- {owner}:end -->"
    path = Path(path)
    block = f"{start}\n{text}{end}\n"
    current = path.read_text() if path.exists() else HEADER
    if start in current and end in current:
        before = current[: current.index(start)]
        after = current[current.index(end) + len(end):].lstrip("\n")
        current = before + block + ("\n" + after if after else "")
    else:
        current = current.rstrip("\n") + "\n\n" + block
    path.write_text(current)
