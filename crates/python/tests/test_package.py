"""The package's surface: type hints that match it, credits, and the docs'
Python example (every ```python block of docs/python.md, run in order)."""

import ast
import importlib.util
import pathlib
import re

import warcoder
from conftest import REPO

STUB = pathlib.Path(__file__).resolve().parents[1] / "warcoder.pyi"


def test_the_type_hints_name_exactly_the_public_api():
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    hinted = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    public = {
        name
        for name in dir(warcoder)
        if not name.startswith("_") and callable(getattr(warcoder, name))
    }
    assert hinted == public
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        methods = {f.name for f in cls.body if isinstance(f, ast.FunctionDef) and not f.name.startswith("__")}
        assert methods <= set(dir(getattr(warcoder, cls.name))), cls.name


def test_credits_name_the_data_compiled_in():
    assert "GeoNames" in warcoder.__credits__ and "CC BY 4.0" in warcoder.__credits__
    assert "ACLED" in warcoder.__credits__
    assert re.fullmatch(r"\d+\.\d+\.\d+", warcoder.__version__)


def python_blocks(markdown):
    return re.findall(r"^```python\n(.*?)^```", markdown, flags=re.S | re.M)


def run_blocks(markdown_file):
    """Every ```python block of a Markdown file, in order, in one namespace,
    as a notebook runs them. Without pandas the blocks that need it are
    left out (and named)."""
    blocks = python_blocks(markdown_file.read_text(encoding="utf-8"))
    has_pandas = importlib.util.find_spec("pandas") is not None
    namespace = {"__name__": "docs_blocks"}
    for n, block in enumerate(blocks, 1):
        name = f"{markdown_file.relative_to(REPO)} block {n}"
        if "to_pandas()" in block and not has_pandas:
            print(f"{name} left out: pandas is not installed")
            continue
        exec(compile(block, name, "exec"), namespace)
    return len(blocks)


def test_every_python_block_of_the_python_guide_runs(in_examples_dir):
    assert run_blocks(REPO / "docs" / "python.md") >= 5


def test_the_readmes_python_block_runs(in_examples_dir):
    assert run_blocks(REPO / "README.md") >= 1
