"""warcoder.Store over a database made by `warcoder ingest examples/`."""

import datetime
import json
import sys

import pytest

import warcoder
from conftest import run_cli


def cli_events(binary, db, *filters):
    lines = run_cli(binary, "events", "--db", db, "--format", "jsonl", *filters).splitlines()
    return [json.loads(line) for line in lines]


def test_events_are_the_clis_records(warcoder_bin, examples_db):
    records = warcoder.Store(examples_db).events()
    assert len(records) > 5
    assert list(records) == cli_events(warcoder_bin, examples_db)
    assert records[0] == records.to_list()[0]
    assert records[-1]["id"] == cli_events(warcoder_bin, examples_db)[-1]["id"]


def test_filters_mirror_the_events_options(warcoder_bin, examples_db):
    store = warcoder.Store(str(examples_db))
    everything = store.events()
    types = {r["event_type"] for r in everything}
    assert len(types) > 1
    chosen = sorted(types)[0]
    by_type = store.events(type=chosen.upper())
    assert list(by_type) == cli_events(warcoder_bin, examples_db, "--type", chosen)
    assert {r["event_type"] for r in by_type} == {chosen}
    country = next(r["location"]["country"] for r in everything if r["location"])
    assert list(store.events(country=country.lower())) == cli_events(
        warcoder_bin, examples_db, "--country", country
    )
    day = next(r["date"] for r in everything if r["date"])
    since = store.events(from_=datetime.date.fromisoformat(day), to=day)
    assert list(since) == cli_events(warcoder_bin, examples_db, "--from", day, "--to", day)
    assert 0 < len(since) < len(everything)
    located = next(r for r in everything if r["location"])
    lon, lat = located["location"]["lon"], located["location"]["lat"]
    box = (lon - 0.5, lat - 0.5, lon + 0.5, lat + 0.5)
    assert list(store.events(bbox=box)) == list(store.events(bbox=",".join(map(str, box))))
    assert located in list(store.events(bbox=box))


def test_bad_filters_raise_with_the_vocabulary(examples_db):
    store = warcoder.Store(examples_db)
    with pytest.raises(warcoder.WarcoderError, match=r'type= "batle" is no ACLED event type.*Did you mean "Battles"'):
        store.events(type="batle")
    assert list(store.events(type="battle")) == list(store.events(type="Battles"))
    with pytest.raises(warcoder.WarcoderError, match="from_= 2024-05-01 is after to= 2024-04-01"):
        store.events(from_="2024-05-01", to="2024-04-01")
    with pytest.raises(warcoder.WarcoderError, match="not a YYYY-MM-DD date"):
        store.events(to="yesterday")
    with pytest.raises(warcoder.WarcoderError, match="two-letter ISO 3166-1 code"):
        store.events(country="Syria")
    with pytest.raises(warcoder.WarcoderError, match=r"bbox= .*four numbers"):
        store.events(bbox="1,2,3")
    with pytest.raises(TypeError, match="bbox must be four numbers"):
        store.events(bbox=[1, 2])
    with pytest.raises(TypeError):
        store.events("Battles")


def test_missing_or_foreign_store_raises(tmp_path):
    with pytest.raises(FileNotFoundError, match="run `warcoder ingest PATH --db"):
        warcoder.Store(tmp_path / "none.db")
    foreign = tmp_path / "notes.db"
    foreign.write_text("not a database, just notes\n" * 100)
    with pytest.raises(warcoder.WarcoderError, match="is not a warcoder event store"):
        warcoder.Store(foreign).events()


def test_to_pandas_gives_one_row_per_incident(examples_db):
    pandas = pytest.importorskip("pandas")
    records = warcoder.Store(examples_db).events()
    frame = records.to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert len(frame) == len(records)
    assert list(frame["id"]) == [r["id"] for r in records]
    assert "location.name" in frame.columns


def test_to_pandas_without_pandas_says_how_to_get_it(examples_db, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        warcoder.Store(examples_db).events().to_pandas()
