"""Type hints of the `warcoder` extension module (see docs/python.md)."""

import datetime
import os
import pathlib
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union, overload

__version__: str
__credits__: str

Output = Dict[str, Any]
"""One document's output: the object `warcoder extract --format json` prints."""

Incident = Dict[str, Any]
"""One incident record: the object `warcoder events --format jsonl` prints per line."""

Day = Union[str, datetime.date]
Item = Union[str, Dict[str, Any]]
"""A document for extract_many: a str, or a dict with "text" or "html" and
optionally "id", "url", "published", "title" (the JSONL input record)."""

class WarcoderError(ValueError):
    """A document or a query warcoder cannot handle; the message says what to change."""

def extract(
    text: str,
    published: Optional[Day] = None,
    url: Optional[str] = None,
    *,
    all_languages: bool = False,
) -> Output:
    """Code one document; its output contract as a dict.

    A text reliably in another language than English is not coded: no
    events, and output["document"]["not_coded_language"] names the language;
    all_languages=True codes it as English anyway.

    Raises WarcoderError for an empty, binary or oversized text, TypeError
    for a text that is no str."""

def extract_many(
    items: Iterable[Item],
    threads: Optional[int] = None,
    skip_errors: bool = False,
    *,
    all_languages: bool = False,
) -> "Extraction":
    """Code every document of `items` on `threads` threads (default: all
    cores); yields one output dict per document, in input order. Languages
    other than English are yielded uncoded unless all_languages=True."""

class Extraction(Iterator[Output]):
    """The generator extract_many returns."""

    def __iter__(self) -> "Extraction": ...
    def __next__(self) -> Output: ...

class Store:
    """An event store written by `warcoder ingest PATH --db FILE`."""

    def __init__(self, path: Union[str, "os.PathLike[str]"]) -> None: ...
    @property
    def path(self) -> pathlib.Path: ...
    def events(
        self,
        *,
        from_: Optional[Day] = None,
        to: Optional[Day] = None,
        country: Optional[str] = None,
        type: Optional[str] = None,
        actor: Optional[str] = None,
        bbox: Union[str, Tuple[float, float, float, float], Sequence[float], None] = None,
        text: Optional[str] = None,
    ) -> "Records":
        """Incidents matching every filter given, oldest first; the filters of
        `warcoder events` (`from_` because `from` is a Python keyword)."""

class Records(Sequence[Incident]):
    """Incident records from Store.events."""

    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, index: int) -> Incident: ...
    @overload
    def __getitem__(self, index: slice) -> List[Incident]: ...
    def __iter__(self) -> Iterator[Incident]: ...
    def to_list(self) -> List[Incident]: ...
    def to_pandas(self) -> Any:
        """A pandas DataFrame (pandas.json_normalize of the records); raises
        ImportError when pandas is not installed."""
