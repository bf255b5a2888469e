"""warcoder.extract and warcoder.extract_many against the command line."""

import datetime
import json
import threading

import pytest

import warcoder
from conftest import EXAMPLES, run_cli


def test_reference_article_gives_the_clis_events(warcoder_bin, seed_text):
    cli = json.loads(run_cli(warcoder_bin, "extract", "--format", "json", "-", stdin=seed_text))
    out = warcoder.extract(seed_text)
    assert out["events"], "the reference article has events"
    assert out["events"] == cli["events"]
    assert out["aggregates"] == cli["aggregates"]
    assert out["document"]["id"] == cli["document"]["id"]


def test_published_and_url_are_the_jsonl_records(warcoder_bin, seed_text):
    record = {"text": seed_text, "url": "https://news.example/a/1", "published": "2024-03-04"}
    cli = json.loads(run_cli(warcoder_bin, "extract", "--format", "jsonl", "-", stdin=json.dumps(record) + "\n"))
    by_string = warcoder.extract(seed_text, published="2024-03-04", url="https://news.example/a/1")
    assert by_string == cli
    by_date = warcoder.extract(seed_text, published=datetime.date(2024, 3, 4), url="https://news.example/a/1")
    assert by_date == cli
    assert by_date["document"]["reference_date"] == "2024-03-04"


def example_texts():
    return [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]


def test_extract_many_streams_in_input_order():
    texts = example_texts()
    items = [{"id": n, "text": texts[n % len(texts)]} for n in range(100)]
    pulled = []

    def source():
        for item in items:
            pulled.append(item["id"])
            yield item

    stream = warcoder.extract_many(source(), threads=2)
    first = next(stream)
    assert first["document"]["input_id"] == "0"
    # One chunk (16 items per thread) pulled, not the whole input.
    assert len(pulled) == 32
    rest = list(stream)
    assert [o["document"]["input_id"] for o in [first, *rest]] == [str(n) for n in range(100)]
    assert rest[len(texts) - 1]["events"] == warcoder.extract(texts[0])["events"]


def test_extract_many_equals_extract_one_by_one():
    texts = example_texts()
    assert [o["events"] for o in warcoder.extract_many(texts)] == [
        warcoder.extract(t)["events"] for t in texts
    ]


def test_extract_many_reads_html_records():
    page = (EXAMPLES / "05-zaporizhzhia-strike-local.html").read_text(encoding="utf-8")
    [out, blank_text] = warcoder.extract_many(
        [{"html": page, "url": "https://news.example/z"}, {"text": " ", "html": page, "url": "https://news.example/z"}]
    )
    assert out["document"]["span_basis"] == "extracted_text"
    assert out["events"]
    assert blank_text["document"]["span_basis"] == "extracted_text"
    assert blank_text["events"] == out["events"]


def test_the_gil_is_released_while_coding(seed_text):
    """Another Python thread runs while extract_many codes."""
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(1)
            done.wait(0.001)

    ticker = threading.Thread(target=tick)
    ticker.start()
    try:
        before = len(ticks)
        list(warcoder.extract_many([seed_text] * 64, threads=1))
        during = len(ticks) - before
    finally:
        done.set()
        ticker.join()
    assert during > 10


@pytest.mark.parametrize(
    "text, error, words",
    [
        ("", warcoder.WarcoderError, "empty input"),
        ("  \n\t ", warcoder.WarcoderError, "empty input"),
        ("a\x00b\x01c", warcoder.WarcoderError, "binary"),
        (b"Troops fired.", TypeError, "decode bytes first"),
        (None, TypeError, "must be a str"),
    ],
)
def test_bad_text_raises_a_message_that_says_what_to_do(text, error, words):
    with pytest.raises(error, match=words):
        warcoder.extract(text)


def test_bad_arguments_raise():
    with pytest.raises(TypeError, match="published must be a str"):
        warcoder.extract("Troops fired.", published=20240304)
    with pytest.raises(TypeError, match="url must be a str"):
        warcoder.extract("Troops fired.", url=1)
    with pytest.raises(ValueError, match="threads must be 1 or more"):
        warcoder.extract_many([], threads=0)
    with pytest.raises(TypeError):
        warcoder.extract_many(5)


def test_a_bad_item_raises_at_its_position():
    stream = warcoder.extract_many(["Troops fired on protesters in Dhaka, killing two.", 7, "x"])
    assert next(stream)["events"] is not None
    with pytest.raises(TypeError, match=r"<item 1>: expected a str or a dict"):
        next(stream)
    with pytest.raises(TypeError, match="no \"text\" or \"html\""):
        list(warcoder.extract_many([{"url": "https://news.example/x"}]))


def test_skip_errors_skips_a_bad_document_with_a_warning():
    texts = ["Troops fired on protesters in Dhaka, killing two.", "   ", "Gunmen killed 3 in Kano."]
    with pytest.warns(UserWarning, match=r"<item 1>: empty input"):
        outs = list(warcoder.extract_many(texts, skip_errors=True))
    assert len(outs) == 2
    with pytest.raises(warcoder.WarcoderError, match=r"<item 1>: empty input"):
        list(warcoder.extract_many(texts))


FRENCH = (
    "Des hommes armés ont attaqué mardi un poste de police à la sortie de la ville et tué "
    "trois agents, selon les autorités locales. L'attaque a eu lieu peu après l'aube."
)


def test_another_language_is_named_not_coded_as_the_cli_does(warcoder_bin):
    cli = json.loads(run_cli(warcoder_bin, "extract", "--format", "json", "-", stdin=FRENCH))
    out = warcoder.extract(FRENCH)
    assert out["document"]["not_coded_language"]["name"] == "French"
    assert out["events"] == [] and cli["events"] == []
    assert out["document"]["not_coded_language"] == cli["document"]["not_coded_language"]
    [streamed] = list(warcoder.extract_many([FRENCH]))
    assert streamed["document"]["not_coded_language"] == out["document"]["not_coded_language"]
    assert streamed["events"] == []


def test_all_languages_codes_it_as_english_as_the_cli_does(warcoder_bin):
    cli = json.loads(
        run_cli(warcoder_bin, "extract", "--all-languages", "--format", "json", "-", stdin=FRENCH)
    )
    out = warcoder.extract(FRENCH, all_languages=True)
    assert out["document"].get("not_coded_language") is None
    assert out["events"] == cli["events"]
    [streamed] = list(warcoder.extract_many([FRENCH], all_languages=True))
    assert streamed["document"].get("not_coded_language") is None
    assert streamed["events"] == out["events"]
